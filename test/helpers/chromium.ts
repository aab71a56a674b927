import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (no browser is downloaded from elsewhere), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Whether a browser suite skips, and why: in CI a missing browser is a failure (.ci/run installs
 * it, and the suite's own `before` asserts it), on a developer machine without Chromium the suite
 * is skipped with the reason printed.
 */
export const chromiumSkip: string | false = !hasChromium && !process.env.CI ? `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)` : false;

/** Headless Chromium that makes no request of its own beyond the test's (no sync, no updates, no QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * An init script for a page whose browser cannot reach its vendor's push service: where that
 * service would answer, PushManager gives the loopback RFC 8030 push service's subscription
 * (`json`, from TestPushService.subscribe()), and forgets it on unsubscribe.
 */
export function pushManagerAnswering(json: object): string {
  return `(() => {
    const json = ${JSON.stringify(json)};
    let current = null;
    PushManager.prototype.subscribe = async function (options) {
      current = { endpoint: json.endpoint, options: { applicationServerKey: options.applicationServerKey, userVisibleOnly: true }, toJSON: () => json, unsubscribe: async () => { current = null; return true; } };
      return current;
    };
    PushManager.prototype.getSubscription = async function () { return current; };
  })();`;
}

/**
 * Delivers a push's payload to the page's service worker of `scopeURL` as the browser would
 * (DevTools `ServiceWorker.deliverPushMessage`), then waits up to 20 s for what the worker shows,
 * answering each notification's title, body and tag.
 */
export async function deliverPushAndWait(context: BrowserContext, page: Page, scopeURL: string, payload: object): Promise<Array<{ title: string; body: string; tag: string }>> {
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const found = registrations.find((registration: { scopeURL: string; isDeleted: boolean }) => registration.scopeURL === scopeURL && !registration.isDeleted);
      if (found) resolve(found.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: `${new URL(scopeURL).origin}/`, registrationId: await registrationId, data: JSON.stringify(payload) });
  const shownNow = () =>
    page.evaluate(async (scope) => {
      const registration = await navigator.serviceWorker.getRegistration(scope);
      return (await registration!.getNotifications()).map((notification) => ({ title: notification.title, body: notification.body, tag: notification.tag }));
    }, scopeURL);
  let shown = await shownNow();
  for (let tries = 0; shown.length === 0 && tries < 400; tries += 1) shown = await new Promise((resolve) => setTimeout(resolve, 50)).then(shownNow);
  return shown;
}
