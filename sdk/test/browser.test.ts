import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser, BrowserContext } from 'playwright-core';
import { CHROMIUM, chromiumSkip, deliverPushAndWait, hasChromium, launchChromium, pushManagerAnswering } from '../../test/helpers/chromium.js';
import { TestPushService } from '../../test/helpers/push-service.js';
import { ok } from '../src/index.js';
import { provisionTeam, readmeExample, startService, until, type Service } from './helpers.js';

/** The SDK bundled for the browser, as an integrator's bundler would: the page's half and the service worker's. */
async function bundle(entry: string, format: 'esm' | 'iife'): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format,
    platform: 'browser',
    target: 'chrome120',
    write: false,
    // Only reached on a platform without EventSource; a browser has its own.
    external: ['eventsource'],
  });
  return result.outputFiles[0]!.text;
}

interface PageWindow {
  sdk: typeof import('../src/index.js');
  requests: string[];
}

describe('the SDK in a real browser (Chromium)', { skip: chromiumSkip }, () => {
  let service: Service;
  let push: TestPushService;
  let page: Server;
  let origin: string;
  let browser: Browser;
  /** The module the README's browser example becomes on the page, set by its test. */
  let readmeModule = '';

  before(async () => {
    assert.ok(hasChromium, `Chromium is required in CI (${CHROMIUM})`);
    const files: Record<string, { type: string; body: string }> = {
      '/': { type: 'text/html', body: '<!doctype html><html lang="en"><title>inbox</title><script type="module" src="/app.js"></script><p>inbox</p></html>' },
      '/sdk.js': { type: 'text/javascript', body: await bundle('../src/index.ts', 'esm') },
      '/app.js': { type: 'text/javascript', body: "import * as sdk from '/sdk.js'; window.sdk = sdk; document.title = 'ready';" },
      '/sw.js': { type: 'text/javascript', body: await bundle('./fixtures/sw.ts', 'iife') },
    };
    // The page is served from its own origin, as an integrator's inbox app would be.
    page = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/readme.html')
        return void response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><html lang="en"><title>readme</title><button>Enable notifications</button><script type="module" src="/readme.js"></script></html>');
      if (path === '/readme.js') return void response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readmeModule);
      const file = files[path];
      if (!file) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8`, 'cache-control': 'no-store' });
      response.end(file.body);
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    push = await TestPushService.start();
    service = await startService({ CORS_ORIGINS: origin, PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await push?.close();
    page?.close();
  });

  async function openPage(context?: BrowserContext) {
    const tab = await (context ?? (await browser.newContext())).newPage();
    // The functions these tests hand to the page are compiled by tsx, which names them with a helper.
    await tab.addInitScript({ content: 'window.__name = (f) => f;' });
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    await tab.goto(origin);
    await tab.waitForFunction(() => document.title === 'ready');
    return { tab, requests };
  }

  it("watchPresence on the platform's EventSource keeps a live map, with only a ticket in the URL", async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const { tab, requests } = await openPage();
    await tab.evaluate(
      ({ baseUrl, chatbotId, apiKey }) => {
        const w = window as unknown as PageWindow & { agents: Array<[string, string]>; stream: { stop(): void } };
        w.agents = [];
        w.stream = w.sdk.watchPresence({ baseUrl, chatbotId, apiKey, onChange: (agents) => (w.agents = [...agents.values()].map((agent) => [agent.name, agent.state])) });
      },
      { baseUrl: service.url, chatbotId: team.chatbotId, apiKey: team.integrationKey },
    );
    await tab.waitForFunction(() => (window as unknown as { agents: unknown[] }).agents.length === 2);
    await team.agents[1]!.api.POST('/v1/inbox/{chatbotId}/agents/me/online', {
      params: { path: { chatbotId: team.chatbotId } },
      body: { online: true, clientTimestamp: String(Date.now()) },
    });
    await tab.waitForFunction(
      () =>
        JSON.stringify((window as unknown as { agents: unknown }).agents) ===
        JSON.stringify([
          ['Ada', 'offline'],
          ['Grace', 'available'],
        ]),
    );
    const stream = requests.find((line) => line.includes('/agents/online/stream?'));
    assert.match(stream ?? '', /\?ticket=cct_/);
    assert.ok(!requests.some((line) => line.includes(team.integrationKey)), 'the key is never in a URL');
    await tab.context().close();
  });

  it('the activity reporter reports on load and on input, at most once per interval: one report at once, one at the end of the window', async () => {
    // A window of 6 s: long enough that reading the list and moving the mouse stay inside it on a
    // busy machine (with 1.5 s, the trailing report came before the check).
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const { tab, requests } = await openPage();
    const activity = () => requests.filter((line) => line === `POST ${service.url}/v1/inbox/${team.chatbotId}/agents/me/activity`).length;
    await tab.evaluate(
      ({ baseUrl, chatbotId, apiKey }) => {
        const w = window as unknown as PageWindow & { reporter: { stop(): void } };
        w.reporter = w.sdk.startActivityReporter({ api: w.sdk.createInboxClient({ baseUrl, apiKey }), chatbotId, intervalMs: 6000 });
      },
      { baseUrl: service.url, chatbotId: team.chatbotId, apiKey: ada.key },
    );
    await until('the report on load', () => activity() === 1);
    const list = async () => ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })).agents[0]!;
    let first = await list();
    for (let tries = 0; !first.lastActiveAt && tries < 50; tries += 1) first = await new Promise((resolve) => setTimeout(resolve, 50)).then(list);
    assert.ok(first.lastActiveAt, 'the service recorded the activity');
    assert.deepEqual([first.state, first.reason], ['available', 'ready'], 'activity is a sign of life');
    for (let step = 0; step < 20; step += 1) await tab.mouse.move(10 + step * 5, 10 + step * 3);
    await tab.keyboard.press('a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(activity(), 1, 'input inside the window waits for its end');
    await until('the one trailing report', () => activity() === 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(activity(), 2, 'no input since: no more reports');
    await tab.evaluate(() => (window as unknown as { reporter: { stop(): void } }).reporter.stop());
    await tab.mouse.move(300, 300);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(activity(), 2, 'stopped: input reports nothing');
    await tab.context().close();
  });

  it('enablePush registers the subscription as a device; the push is shown by the service worker with title, body and tag; disablePush removes it', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin });
    const { tab } = await openPage(context);
    const subscription = push.subscribe();
    const { publicKey } = ok(await ada.api.GET('/v1/push/vapid-public-key'));
    push.expectedVapidKey = publicKey;

    // Chromium here cannot reach its vendor's push service: where that service would answer,
    // the page's push manager answers with a subscription of the loopback RFC 8030 push service.
    const deviceId = await tab.evaluate(
      async ({ baseUrl, chatbotId, apiKey, json }) => {
        const w = window as unknown as PageWindow & { unsubscribed: number; registration: ServiceWorkerRegistration };
        await navigator.serviceWorker.register('/sw.js');
        const registration = await navigator.serviceWorker.ready;
        w.registration = registration;
        w.unsubscribed = 0;
        let current: PushSubscription | null = null;
        const fake = (key: BufferSource) =>
          ({
            endpoint: json.endpoint,
            options: { applicationServerKey: key, userVisibleOnly: true },
            toJSON: () => json,
            unsubscribe: async () => {
              w.unsubscribed += 1;
              current = null;
              return true;
            },
          }) as unknown as PushSubscription;
        Object.defineProperty(registration.pushManager, 'subscribe', {
          value: async (options: PushSubscriptionOptionsInit) => (current = fake(options.applicationServerKey as BufferSource)),
        });
        Object.defineProperty(registration.pushManager, 'getSubscription', { value: async () => current });
        const api = w.sdk.createInboxClient({ baseUrl, apiKey });
        const enabled = await w.sdk.enablePush(registration, { api, chatbotId });
        const again = await w.sdk.enablePush(registration, { api, chatbotId });
        if (again.deviceId !== enabled.deviceId) throw new Error('enabling twice made a second device');
        return enabled.deviceId;
      },
      { baseUrl: service.url, chatbotId: team.chatbotId, apiKey: ada.key, json: subscription.json },
    );
    const settings = ok(await ada.api.GET('/v1/inbox/{chatbotId}/agents/me/notifications', { params: { path: { chatbotId: team.chatbotId } } }));
    assert.deepEqual(
      settings.devices.map((device) => [device.id, device.kind]),
      [[deviceId, 'webpush']],
    );

    const integration = (await import('../src/index.js')).createInboxClient({ baseUrl: service.url, apiKey: team.integrationKey });
    ok(
      await integration.POST('/v1/inbox/{chatbotId}/notifications', {
        params: { path: { chatbotId: team.chatbotId } },
        body: {
          type: 'conversation.waiting',
          title: 'A visitor is waiting',
          body: 'Anna: do you ship to Norway?',
          url: `${origin}/c/8812`,
          audience: { agentIds: [ada.id] },
          collapseKey: 'conv-8812',
        },
      }),
    );
    await push.waitForDelivered(1);
    const [received] = push.delivered(subscription.id);
    assert.equal(received?.payload.title, 'A visitor is waiting');

    // The decrypted payload goes to the page's service worker as the browser would deliver it.
    const shown = await deliverPushAndWait(context, tab, `${origin}/`, received!.payload);
    assert.deepEqual(shown, [{ title: 'A visitor is waiting', body: 'Anna: do you ship to Norway?', tag: 'conv-8812' }]);

    await tab.evaluate(
      async ({ baseUrl, chatbotId, apiKey, deviceId }) => {
        const w = window as unknown as PageWindow & { registration: ServiceWorkerRegistration };
        const api = w.sdk.createInboxClient({ baseUrl, apiKey });
        await w.sdk.disablePush(w.registration, { api, chatbotId, deviceId });
        await w.sdk.disablePush(w.registration, { api, chatbotId, deviceId }); // twice is fine
      },
      { baseUrl: service.url, chatbotId: team.chatbotId, apiKey: ada.key, deviceId },
    );
    const afterDisable = ok(await ada.api.GET('/v1/inbox/{chatbotId}/agents/me/notifications', { params: { path: { chatbotId: team.chatbotId } } }));
    assert.deepEqual(afterDisable.devices, [], 'the device is gone: no push is sent to it any more');
    assert.equal(await tab.evaluate(() => (window as unknown as { unsubscribed: number }).unsubscribed), 1, 'the browser was unsubscribed');
    assert.deepEqual(push.violations, []);
    await context.close();
  });

  it("the README's browser example, as written: reports activity on load, and the button enables notifications", async () => {
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const subscription = push.subscribe();
    // The example's free names, then the example itself, importing the bundled SDK.
    readmeModule =
      `const agentKey = ${JSON.stringify(ada.key)}, chatbotId = ${JSON.stringify(team.chatbotId)}, enableButton = document.querySelector('button');\n` +
      readmeExample('browser').replace("'@inbox-agents/sdk'", "'/sdk.js'").replace("'https://inbox.example.com'", JSON.stringify(service.url));
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin });
    const tab = await context.newPage();
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    // Where the browser's own push service would answer, the loopback push service's subscription.
    await tab.addInitScript({ content: pushManagerAnswering(subscription.json) });
    await tab.goto(`${origin}/readme.html`);
    await until('the activity report on load', () => requests.includes(`POST ${service.url}/v1/inbox/${team.chatbotId}/agents/me/activity`));
    await tab.getByRole('button', { name: 'Enable notifications' }).click();
    const stored = await tab.waitForFunction(() => localStorage.getItem('inbox-device'));
    const deviceId = await stored.jsonValue();
    const settings = ok(await ada.api.GET('/v1/inbox/{chatbotId}/agents/me/notifications', { params: { path: { chatbotId: team.chatbotId } } }));
    assert.deepEqual(
      settings.devices.map((device) => device.id),
      [deviceId],
    );
    await context.close();
  });
});
