import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { CHROMIUM, chromiumSkip, hasChromium, launchChromium } from './helpers/chromium.js';
import { createTestContext, meOnlinePath, type TestContext } from './helpers/context.js';
import { freshDatabase, type TestDatabase } from './helpers/database.js';
import { PROJECT_ROOT } from './helpers/processes.js';

/** The browser example exactly as the API guide (docs/api.md) shows it. */
function readmeExample(): string {
  const guide = readFileSync(join(PROJECT_ROOT, 'docs', 'api.md'), 'utf8');
  const match = /```js\n(\/\/ watchPresence[\s\S]*?)```/.exec(guide);
  assert.ok(match, 'docs/api.md has the watchPresence example');
  return match[1]!;
}

describe('the README browser example in a real browser', { skip: chromiumSkip }, () => {
  let ctx: TestContext;
  let database: TestDatabase;
  let page: Server;
  let pageOrigin: string;
  let apiBase: string;
  let browser: Browser;

  before(async () => {
    assert.ok(hasChromium, `Chromium is required in CI (${CHROMIUM})`);
    // The page is served from its own origin, as an inbox web app would be.
    page = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>inbox</title><script>${readmeExample()}</script>`);
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const address = page.address();
    pageOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    database = await freshDatabase();
    ctx = await createTestContext({ clock: 'real', env: { CORS_ORIGINS: pageOrigin }, database });
    apiBase = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await ctx?.close();
    page?.close();
  });

  it('keeps a live list from a ticket-opened EventSource, never putting the key in a URL', async () => {
    const chatbotId = await ctx.chatbot('Support');
    const alice = await ctx.agent(chatbotId, { name: 'Alice' });
    await ctx.agent(chatbotId, { name: 'Bob' });
    const { key } = await ctx.agentKey(alice);
    const tab = await browser.newPage();
    const urls: string[] = [];
    tab.on('request', (request) => urls.push(request.url()));
    await tab.goto(pageOrigin);
    await tab.evaluate(
      ([base, chatbot, apiKey]) => {
        const w = window as unknown as { updates: unknown[]; watchPresence: (...args: unknown[]) => Promise<void> };
        w.updates = [];
        void w.watchPresence(base, chatbot, apiKey, (agents: unknown) => w.updates.push(agents));
      },
      [apiBase, chatbotId, key],
    );
    const latest = () =>
      tab.evaluate(() => {
        const updates = (window as unknown as { updates: Array<Array<{ name: string; online: boolean; connected: boolean }>> }).updates;
        return updates.at(-1) ?? null;
      });
    await tab.waitForFunction(() => (window as unknown as { updates: unknown[] }).updates.length > 0, undefined, { timeout: 10_000 });
    assert.deepEqual(
      (await latest())?.map((a) => [a.name, a.online]),
      [
        ['Alice', false],
        ['Bob', false],
      ],
    );

    const response = await fetch(`${apiBase}${meOnlinePath(chatbotId)}`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
    });
    assert.equal(response.status, 200);
    await tab.waitForFunction(
      () => {
        const updates = (window as unknown as { updates: Array<Array<{ name: string; online: boolean }>> }).updates;
        return updates.at(-1)?.find((a) => a.name === 'Alice')?.online === true;
      },
      undefined,
      { timeout: 5_000 },
    );
    const alicesEntry = (await latest())?.find((a) => a.name === 'Alice');
    assert.equal(alicesEntry?.connected, true, "the page's stream, opened with Alice's ticket, keeps her connected");
    assert.ok(
      urls.some((url) => url.includes('/agents/online/stream?ticket=cct_')),
      'the stream was opened with a ticket',
    );
    assert.ok(!urls.some((url) => url.includes(key)), 'the key never appears in a URL');
    await tab.close();
  });

  it('recovers by itself when the server restarts, and shows what changed meanwhile; a refused key stops it', async () => {
    const chatbotId = await ctx.chatbot('Restarts');
    const alice = await ctx.agent(chatbotId, { name: 'Alice' });
    const bob = await ctx.agent(chatbotId, { name: 'Bob' });
    const { key } = await ctx.agentKey(alice);
    const bobKey = (await ctx.agentKey(bob)).key;
    const tab = await browser.newPage();
    const urls: string[] = [];
    tab.on('request', (request) => urls.push(request.url()));
    await tab.goto(pageOrigin);
    await tab.evaluate(
      ([base, chatbot, apiKey]) => {
        const w = window as unknown as { updates: unknown[]; errors: string[]; watchPresence: (...args: unknown[]) => unknown };
        w.updates = [];
        w.errors = [];
        w.watchPresence(
          base,
          chatbot,
          apiKey,
          (agents: unknown) => w.updates.push(agents),
          (error: Error) => w.errors.push(error.message),
        );
      },
      [apiBase, chatbotId, key],
    );
    const bobOnline = (online: boolean) =>
      tab.waitForFunction(
        (wanted) => {
          const updates = (window as unknown as { updates: Array<Array<{ name: string; online: boolean }>> }).updates;
          return updates.at(-1)?.find((a) => a.name === 'Bob')?.online === wanted;
        },
        online,
        { timeout: 15_000 },
      );
    await bobOnline(false);

    // The server goes away (streams end, tickets cannot be had) and comes back on the same port.
    const port = Number(new URL(apiBase).port);
    await ctx.close({ keepFiles: true });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    ctx = await createTestContext({ clock: 'real', env: { CORS_ORIGINS: pageOrigin }, database });
    await ctx.app.listen({ port, host: '127.0.0.1' });
    const posted = await fetch(`${apiBase}${meOnlinePath(chatbotId)}`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': bobKey, 'content-type': 'application/json' },
      body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
    });
    assert.equal(posted.status, 200);
    await bobOnline(true);
    assert.ok(!urls.some((url) => url.includes('ticket=undefined')), 'a failed ticket request never opens a stream');
    assert.ok(urls.filter((url) => url.includes('/agents/online/stream?ticket=cct_')).length >= 2, 'it reconnected with a new ticket');

    // A revoked key is refused: the example stops and says so, rather than retrying forever.
    await ctx.services.keys.revokeKey(CLI, (await ctx.services.keys.listKeys({ agentId: alice }, { limit: 50, after: null })).items[0]!.id, 'any');
    await ctx.close({ keepFiles: true });
    ctx = await createTestContext({ clock: 'real', env: { CORS_ORIGINS: pageOrigin }, database });
    await ctx.app.listen({ port, host: '127.0.0.1' });
    await tab.waitForFunction(() => (window as unknown as { errors: string[] }).errors.length > 0, undefined, { timeout: 15_000 });
    assert.match(await tab.evaluate(() => (window as unknown as { errors: string[] }).errors[0]!), /the key was refused: revoked_key/);
    await tab.close();
  });
});
