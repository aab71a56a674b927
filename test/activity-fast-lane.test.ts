import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLI } from '../src/auth/actor.js';
import { createTestContext, type TestContext } from './helpers/context.js';

const activityPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/me/activity`;

/** An answer's headers as a client compares them: without those that change from one answer to the next. */
const comparable = (all: Record<string, unknown>, keepRequestId = false) =>
  Object.fromEntries(
    Object.entries(all)
      .filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding', ...(keepRequestId ? [] : ['x-request-id'])].includes(name))
      .map(([name, value]) => [name, String(value)]),
  );

/** The answer's body with its time set aside (each report's own): the same shape, the same agent. */
const withoutTime = (body: string) => {
  const parsed = JSON.parse(body) as { agentId: string; lastActiveAt: string };
  assert.ok(!Number.isNaN(Date.parse(parsed.lastActiveAt)), 'lastActiveAt is a time');
  assert.deepEqual(Object.keys(parsed), ['agentId', 'lastActiveAt']);
  return parsed.agentId;
};

/**
 * The activity report's fast lane (src/presence/activity-fast-lane.ts) answers POST
 * me/activity from memory in front of Fastify when the report is kept in memory anyway. These
 * tests hold it to the route it stands in for: the same answers, and every case it cannot
 * answer left to the route.
 */
describe('the activity report fast lane', () => {
  let ctx: TestContext;
  let base: string;
  let chatbotId: string;
  let agentId: string;
  let key: string;
  const report = (headers: Record<string, string> = {}, init: RequestInit = {}, path = activityPath(chatbotId)) =>
    fetch(`${base}${path}`, { method: 'POST', ...init, headers: { 'x-chatcaptain-key': key, ...headers } });

  before(async () => {
    ctx = await createTestContext({ clock: 'real' });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    chatbotId = await ctx.chatbot();
    agentId = await ctx.agent(chatbotId, { name: 'Alice' });
    key = (await ctx.agentKey(agentId)).key;
  });
  after(() => ctx.close());

  it("a device's first report is written by the route; the next within 30 s is kept and answered by the lane, as the route answers it", async () => {
    const lane = ctx.app.activityFastLane;
    const served = lane.served;
    const first = await report();
    assert.equal(first.status, 200);
    assert.equal(lane.served, served, 'the first report (to be written) took the route');
    const second = await report();
    assert.equal(lane.served, served + 1, 'the second took the fast lane');
    const viaRoute = await ctx.call({ method: 'POST', url: activityPath(chatbotId), key });
    assert.equal(second.status, viaRoute.statusCode);
    assert.deepEqual(comparable(Object.fromEntries(second.headers)), comparable(viaRoute.headers));
    assert.equal(withoutTime(await second.text()), agentId);
    assert.equal(withoutTime(viaRoute.body), agentId);
    assert.ok(second.headers.get('x-request-id'), 'the answer carries a request id');
    assert.equal((await report({ 'x-request-id': 'trace-7/activity' })).headers.get('x-request-id'), 'trace-7/activity', "the caller's request id is kept");
    // What the lane kept is written before anyone is judged by it.
    await ctx.services.presence.reconcile(chatbotId);
    const { agents } = await ctx.services.presence.lists.list(chatbotId);
    assert.ok(Date.parse(agents.find((entry) => entry.agentId === agentId)!.lastActiveAt!) >= Date.parse(first.headers.get('date')!) - 1000);
  });

  it('leaves every other case to the route: a body, a query, other keys, chatbots and methods', async () => {
    const lane = ctx.app.activityFastLane;
    await report();
    const served = lane.served;
    assert.equal((await report({ 'content-type': 'application/json' }, { body: '{}' })).status, 200, 'a body: the route takes it');
    assert.equal((await report({}, {}, `${activityPath(chatbotId)}?x=1`)).status, 200, 'a query: the route');
    assert.equal((await report({ 'x-chatcaptain-key': `cck_${'A'.repeat(43)}` })).status, 401);
    assert.equal((await fetch(`${base}${activityPath(chatbotId)}`, { method: 'POST' })).status, 401);
    const other = await ctx.chatbot();
    assert.equal((await report({}, {}, activityPath(other))).status, 403, 'not a member there');
    assert.equal((await report({}, {}, `${activityPath(chatbotId)}/`)).status, 404, 'a trailing slash is another path');
    assert.equal((await report({}, { method: 'GET' })).status, 405);
    const integration = (await ctx.services.keys.createChatbotKey(CLI, { chatbotId, permissions: ['chatbots.inbox.agents.online.edit'] })).key;
    assert.equal((await report({ 'x-chatcaptain-key': integration })).status, 403, 'an integration key is no agent');
    const phone = await ctx.agentKey(agentId);
    assert.equal((await report({ 'x-chatcaptain-key': phone.key })).status, 200, "another device's first report is written: the route");
    assert.equal(lane.served, served, 'none of these took the fast lane');
    assert.equal((await report({ 'x-chatcaptain-key': phone.key })).status, 200);
    assert.equal(lane.served, served + 1, "that device's next report did");

    await ctx.services.keys.revokeKey(CLI, phone.id, 'any');
    assert.equal((await report({ 'x-chatcaptain-key': phone.key })).status, 401, 'a revoked key is refused on the very next request');
    await ctx.services.tenancy.removeMember(CLI, { chatbotId, agentId });
    assert.equal((await report()).status, 403, 'a removed member is refused on the very next request');
  });

  it('counts each report once against the status budget, whichever path answers it', async () => {
    const own = await createTestContext({ clock: 'real', env: { RATE_LIMIT_STATUS: '10/60s' } });
    try {
      const url = await own.app.listen({ port: 0, host: '127.0.0.1' });
      const chatbot = await own.chatbot();
      const agentKey = (await own.agentKey(await own.agent(chatbot))).key;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${url}${activityPath(chatbot)}`, { method: 'POST', headers: { 'x-chatcaptain-key': agentKey } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
      assert.ok(own.app.activityFastLane.served >= 3, 'the reports far from the limit took the fast lane');
    } finally {
      await own.close();
    }
  });

  for (const origins of ['https://inbox.example.com', '*']) {
    it(`with CORS_ORIGINS=${origins}: the same status, headers and body as Fastify for every Origin`, async () => {
      const own = await createTestContext({ clock: 'real', env: { CORS_ORIGINS: origins } });
      try {
        const url = await own.app.listen({ port: 0, host: '127.0.0.1' });
        const chatbot = await own.chatbot();
        const agent = await own.agent(chatbot);
        const agentKey = (await own.agentKey(agent)).key;
        await fetch(`${url}${activityPath(chatbot)}`, { method: 'POST', headers: { 'x-chatcaptain-key': agentKey } });
        for (const headers of [{}, { origin: 'https://inbox.example.com' }, { origin: 'https://elsewhere.example.org' }, { 'x-request-id': 'trace-42/abc' }] as Array<
          Record<string, string>
        >) {
          const asked = { 'x-chatcaptain-key': agentKey, ...headers };
          const served = own.app.activityFastLane.served;
          const fast = await fetch(`${url}${activityPath(chatbot)}`, { method: 'POST', headers: asked });
          assert.equal(own.app.activityFastLane.served, served + 1, 'the fast lane answered');
          const full = await own.call({ method: 'POST', url: activityPath(chatbot), headers: asked });
          const name = JSON.stringify(headers);
          assert.equal(fast.status, full.statusCode, name);
          assert.equal(withoutTime(await fast.text()), withoutTime(full.body), name);
          assert.deepEqual(comparable(Object.fromEntries(fast.headers), 'x-request-id' in headers), comparable(full.headers, 'x-request-id' in headers), name);
        }
      } finally {
        await own.close();
      }
    });
  }
});

describe('a report kept in memory outlives no membership', () => {
  it('removing a member whose activity waits in memory succeeds and is announced (it failed with a foreign-key error), over HTTP and in the service', async () => {
    const ctx = await createTestContext({ clock: 'real' });
    try {
      const chatbotId = await ctx.chatbot();
      const admin = (await ctx.agentKey(await ctx.agent(chatbotId, { name: 'Admin', role: 'admin' }))).key;
      const leaving = await ctx.agent(chatbotId, { name: 'Leaving' });
      const other = await ctx.agent(chatbotId, { name: 'Staying' });
      for (const agentId of [leaving, other]) {
        const { key } = await ctx.agentKey(agentId);
        // The first report is written, the second kept in memory (within 30 s of the first).
        for (let i = 0; i < 2; i++) assert.equal((await ctx.call({ method: 'POST', url: activityPath(chatbotId), key })).statusCode, 200);
      }
      assert.ok(
        ctx.services.presence.canKeepActivity(
          chatbotId,
          leaving,
          (await ctx.database.db.selectFrom('api_keys').select('id').where('agent_id', '=', leaving).executeTakeFirstOrThrow()).id,
        ),
      );
      const removed = await ctx.call({ method: 'DELETE', url: `/v1/chatbots/${chatbotId}/members/${leaving}`, key: admin });
      assert.equal(removed.statusCode, 204, removed.body);
      // A whole-chatbot judgement (what a settings change or a deadline makes) writes the others' kept reports.
      await ctx.services.presence.reconcile(chatbotId);
      const { agents } = await ctx.services.presence.lists.list(chatbotId);
      assert.deepEqual(agents.map((entry) => entry.name).sort(), ['Admin', 'Staying']);
    } finally {
      await ctx.close();
    }
  });
});

describe('a report at the 30 s edge is kept or written, never both (the lane and the route agree on one moment)', () => {
  it('kept up to 29,999 ms after its device was written; at 30,000 ms it is to be written', async () => {
    const { ActivityThrottle } = await import('../src/presence/activity.js');
    const throttle = new ActivityThrottle();
    assert.equal(throttle.report('cb', 'ag', 'key', 1_000), true, 'the first report is written');
    assert.equal(throttle.wouldKeep('cb', 'ag', 'key', 30_999), true);
    assert.equal(throttle.wouldKeep('cb', 'ag', 'key', 31_000), false);
    assert.equal(throttle.report('cb', 'ag', 'key', 30_999), false, 'kept, as wouldKeep said');
    assert.equal(throttle.report('cb', 'ag', 'key', 31_000), true, 'written, as wouldKeep said');
  });
});
