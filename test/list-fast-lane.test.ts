import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { after, before, describe, it } from 'node:test';
import { createTestContext, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';

/** What a client can observe of an answer, minus what changes from one answer to the next. */
async function seen(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'x-request-id'].includes(name)));
  return { status: response.status, headers, body: await response.text() };
}

/**
 * The agent list's fast lane (src/presence/list-fast-lane.ts) answers GET agents/online from
 * memory in front of Fastify. These tests hold it to the route it stands in for: the same
 * answers, and every case it cannot answer left to the route.
 */
describe('the agent list fast lane', () => {
  let ctx: TestContext;
  let base: string;
  let chatbotId: string;
  let key: string;
  const list = (headers: Record<string, string> = {}, path = onlinePath(chatbotId)) => fetch(`${base}${path}`, { headers: { 'x-chatcaptain-key': key, ...headers } });

  before(async () => {
    ctx = await createTestContext({ clock: 'real', env: { RATE_LIMIT_READS: '40/60s' } });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    chatbotId = await ctx.chatbot();
    const agentId = await ctx.agent(chatbotId, { name: 'Alice' });
    await ctx.agent(chatbotId, { name: 'Bob' });
    key = (await ctx.agentKey(agentId)).key;
    await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: Date.now() } });
  });
  after(() => ctx.close());

  it('answers exactly as the route does, 200 and 304, once key, membership and list are in memory', async () => {
    const lane = ctx.app.listFastLane;
    const first = await seen(await list());
    const served = lane.served;
    const second = await seen(await list());
    assert.equal(lane.served, served + 1, 'the second request took the fast lane');
    assert.deepEqual(second, first);
    const viaRoute = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key });
    assert.equal(viaRoute.body, second.body, 'the route (inject bypasses the lane) gives the same bytes');
    assert.equal(viaRoute.headers.etag, second.headers.etag);

    const etag = second.headers.etag!;
    const fromRoute = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key, headers: { 'if-none-match': etag } });
    const before304 = lane.served;
    const notModified = await seen(await list({ 'if-none-match': `W/${etag}, "other"` }));
    assert.equal(lane.served, before304 + 1);
    assert.deepEqual(notModified, { status: 304, headers: { etag, 'cache-control': 'no-cache' }, body: '' });
    assert.equal(fromRoute.statusCode, 304);
    assert.equal(fromRoute.headers['content-type'], undefined);
    assert.equal((await seen(await list({}, `${onlinePath(chatbotId)}?ignored=1`))).status, 200, 'a query string is ignored, as by the route');
  });

  it('leaves every other case to the route: unknown, revoked or foreign keys, other paths and methods', async () => {
    const lane = ctx.app.listFastLane;
    await list();
    const served = lane.served;
    assert.equal((await list({ 'x-chatcaptain-key': `cck_${'A'.repeat(43)}` })).status, 401);
    assert.equal((await fetch(`${base}${onlinePath(chatbotId)}`)).status, 401);
    const other = await ctx.chatbot();
    assert.equal((await list({}, onlinePath(other))).status, 403);
    assert.equal((await list({}, `${onlinePath(chatbotId)}/`)).status, 404, 'a trailing slash is another path');
    assert.equal((await fetch(`${base}${onlinePath(chatbotId)}`, { method: 'HEAD', headers: { 'x-chatcaptain-key': key } })).status, 200);
    const stranger = (await ctx.agentKey(await ctx.agent(other))).key;
    assert.equal((await list({ 'x-chatcaptain-key': stranger })).status, 403);
    assert.equal(lane.served, served, 'none of these took the fast lane');

    const revocable = await ctx.agentKey((await ctx.services.tenancy.allAgents(chatbotId))[0]!.id);
    assert.equal((await list({ 'x-chatcaptain-key': revocable.key })).status, 200);
    await ctx.services.keys.revokeKey(CLI, revocable.id, 'any');
    assert.equal((await list({ 'x-chatcaptain-key': revocable.key })).status, 401, 'a revoked key is refused on the very next request');
  });

  it('counts each request once against the rate limit, whichever path answers it', async () => {
    const own = await createTestContext({ clock: 'real', env: { RATE_LIMIT_READS: '10/60s' } });
    try {
      const url = await own.app.listen({ port: 0, host: '127.0.0.1' });
      const chatbot = await own.chatbot();
      const agentKey = (await own.agentKey(await own.agent(chatbot))).key;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${url}${onlinePath(chatbot)}`, { headers: { 'x-chatcaptain-key': agentKey } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
      assert.ok(own.app.listFastLane.served >= 3, 'the first requests, far from the limit, took the fast lane');
    } finally {
      await own.close();
    }
  });

  for (const origins of ['https://inbox.example.com', '*']) {
    it(`with CORS_ORIGINS=${origins}: the same status, headers and body as Fastify for every Origin, and the caller's request id kept`, async () => {
      const own = await createTestContext({ clock: 'real', env: { CORS_ORIGINS: origins } });
      try {
        const url = await own.app.listen({ port: 0, host: '127.0.0.1' });
        const chatbot = await own.chatbot();
        const agentKey = (await own.agentKey(await own.agent(chatbot))).key;
        const cases: Array<Record<string, string>> = [{}, { origin: 'https://inbox.example.com' }, { origin: 'https://elsewhere.example.org' }, { 'x-request-id': 'trace-42/abc' }];
        for (const headers of cases) {
          for (const etag of [false, true]) {
            const first = await own.call({ method: 'GET', url: onlinePath(chatbot), key: agentKey });
            const asked = { 'x-chatcaptain-key': agentKey, ...headers, ...(etag ? { 'if-none-match': first.headers.etag as string } : {}) };
            const served = own.app.listFastLane.served;
            const fast = await fetch(`${url}${onlinePath(chatbot)}`, { headers: asked });
            assert.equal(own.app.listFastLane.served, served + 1, 'the fast lane answered');
            const full = await own.call({ method: 'GET', url: onlinePath(chatbot), headers: asked });
            const name = JSON.stringify({ headers, etag });
            assert.equal(fast.status, full.statusCode, name);
            assert.equal(await fast.text(), full.body, name);
            const comparable = (all: Record<string, unknown>) =>
              Object.fromEntries(
                Object.entries(all)
                  .filter(([header]) => !['date', 'connection', 'keep-alive', 'transfer-encoding', ...(headers['x-request-id'] ? [] : ['x-request-id'])].includes(header))
                  .map(([header, value]) => [header, String(value)]),
              );
            assert.deepEqual(comparable(Object.fromEntries(fast.headers)), comparable(full.headers), name);
            assert.ok(fast.headers.get('x-request-id'), `${name}: the fast lane's answer carries a request id`);
          }
        }
        const allowed = await fetch(`${url}${onlinePath(chatbot)}`, { headers: { 'x-chatcaptain-key': agentKey, origin: 'https://inbox.example.com' } });
        assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://inbox.example.com');
        assert.equal(
          (await fetch(`${url}${onlinePath(chatbot)}`, { headers: { 'x-chatcaptain-key': agentKey, 'x-request-id': 'trace-42/abc' } })).headers.get('x-request-id'),
          'trace-42/abc',
        );
      } finally {
        await own.close();
      }
    });
  }
});
