import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTestContext, expectError, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';
import { presenceData, SseClient } from './helpers/sse.js';

const statusPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/me/status`;
const activityPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/me/activity`;
const availabilityPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/availability`;

interface Entry {
  agentId: string;
  online: boolean;
  state: string;
  reason: string;
  statusText: string | null;
  statusUntil: string | null;
  since: string;
  lastActiveAt: string | null;
  activeChats: number | null;
  maxChats: number | null;
}

describe('availability: chosen status, activity, the summary', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let alice: { id: string; key: string };
  let bob: { id: string; key: string };
  let admin: { id: string; key: string };

  beforeEach(async () => {
    // No TTL: liveness stays as the test sets it, so only the rule under test moves the state.
    ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '0' } });
    chatbotId = await ctx.chatbot('Support');
    const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
    const bobId = await ctx.agent(chatbotId, { name: 'Bob' });
    const adminId = await ctx.agent(chatbotId, { name: 'Zed', role: 'admin' });
    alice = { id: aliceId, key: (await ctx.agentKey(aliceId)).key };
    bob = { id: bobId, key: (await ctx.agentKey(bobId)).key };
    admin = { id: adminId, key: (await ctx.agentKey(adminId)).key };
  });
  afterEach(() => ctx.close());

  const iso = (millis = ctx.clock.now()) => new Date(millis).toISOString();
  const post = (url: string, key: string, payload?: object) => ctx.call({ method: 'POST', url, key, ...(payload ? { payload } : {}) });
  const setOnline = (key: string, online: boolean, ts = ctx.clock.now()) => post(meOnlinePath(chatbotId), key, { online, clientTimestamp: String(ts) });
  const choose = (key: string, body: Record<string, unknown>) => post(statusPath(chatbotId), key, { clientTimestamp: String(ctx.clock.now()), ...body });
  const entryOf = async (agentId: string): Promise<Entry> => {
    const response = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: admin.key });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json().agents as Entry[]).find((entry) => entry.agentId === agentId)!;
  };
  const summary = async (key = admin.key) => {
    const response = await ctx.call({ method: 'GET', url: availabilityPath(chatbotId), key });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { counts: Record<string, number>; anyoneAvailable: boolean; nextAvailableAt: string | null };
  };

  it('list entries keep the seed fields and add the derived state and its reason', async () => {
    const never = await entryOf(alice.id);
    assert.deepEqual(
      { online: never.online, state: never.state, reason: never.reason, statusText: never.statusText, lastActiveAt: never.lastActiveAt, activeChats: never.activeChats, maxChats: never.maxChats },
      { online: false, state: 'offline', reason: 'no_sign_of_life', statusText: null, lastActiveAt: null, activeChats: null, maxChats: null },
    );
    assert.equal((await setOnline(alice.key, true)).statusCode, 200);
    ctx.clock.advance(5);
    const on = await entryOf(alice.id);
    assert.deepEqual([on.online, on.state, on.reason], [true, 'available', 'ready']);
    assert.equal(on.since, iso(ctx.clock.now() - 5000), 'since: when the state began, not when it was read');
    ctx.clock.advance(5);
    await setOnline(alice.key, false);
    const off = await entryOf(alice.id);
    assert.deepEqual([off.online, off.state, off.reason, off.since], [false, 'offline', 'chosen_offline', iso()]);
  });

  it('a chosen status holds, with its text, until it lapses; online: false still means offline, online: true returns to it', async () => {
    await setOnline(alice.key, true);
    const until = iso(ctx.clock.now() + 30 * 60_000);
    const chosen = await choose(alice.key, { status: 'dnd', text: '  In a meeting ', until });
    assert.equal(chosen.statusCode, 200, chosen.body);
    assert.deepEqual(chosen.json(), {
      agentId: alice.id,
      status: 'dnd',
      text: 'In a meeting',
      until,
      clientTimestamp: String(ctx.clock.now()),
      applied: true,
      state: 'dnd',
      reason: 'chosen',
    });
    const dnd = await entryOf(alice.id);
    assert.deepEqual([dnd.online, dnd.state, dnd.reason, dnd.statusText, dnd.statusUntil], [true, 'dnd', 'chosen', 'In a meeting', until], 'a dnd agent is online: true, as the seed reads it');

    ctx.clock.advance(60);
    await setOnline(alice.key, false);
    const offline = await entryOf(alice.id);
    assert.deepEqual([offline.online, offline.state, offline.reason, offline.statusText], [false, 'offline', 'chosen_offline', 'In a meeting']);
    ctx.clock.advance(60);
    await setOnline(alice.key, true);
    assert.equal((await entryOf(alice.id)).state, 'dnd', 'online: true returns to the chosen status');

    ctx.clock.advance(30 * 60);
    const lapsed = await entryOf(alice.id);
    assert.deepEqual([lapsed.state, lapsed.reason, lapsed.statusText, lapsed.statusUntil, lapsed.since], ['available', 'ready', null, null, until]);
  });

  it('chosen statuses are ordered by their own clientTimestamp, apart from the online flag', async () => {
    const now = ctx.clock.now();
    await setOnline(alice.key, true, now - 100);
    assert.equal((await choose(alice.key, { status: 'busy', clientTimestamp: String(now) })).json().applied, true);
    const older = await choose(alice.key, { status: 'away', clientTimestamp: String(now - 1) });
    assert.deepEqual([older.statusCode, older.json().applied, older.json().status, older.json().state], [200, false, 'busy', 'busy']);
    // An online post with an older clientTimestamp than the status still applies: two clocks.
    assert.equal((await setOnline(alice.key, true, now - 10)).json().applied, true);
    assert.equal((await entryOf(alice.id)).state, 'busy');
  });

  it('refuses a bad chosen status with a clear error and changes nothing', async () => {
    await setOnline(alice.key, true);
    await choose(alice.key, { status: 'busy', text: 'Phone' });
    const before = await entryOf(alice.id);
    const cases: Array<[Record<string, unknown>, RegExp, string?]> = [
      [{ status: 'offline' }, /status must be "available", "away", "busy" or "dnd"/],
      [{ status: 'lunch' }, /status must be/],
      [{ status: 'away', text: 'x'.repeat(101) }, /text must be at most 100 characters/],
      [{ status: 'away', until: 'tomorrow' }, /until must be an ISO-8601 date-time/],
      [{ status: 'away', until: iso(ctx.clock.now() - 1000) }, /until must be a date-time in the future/],
      [{ status: 'away', until: iso(ctx.clock.now() + 367 * 86_400_000) }, /at most 366 days ahead/],
      [{ status: 'away', mood: 'happy' }, /mood is not a field of this body/],
      [{ status: 'away', clientTimestamp: 'yesterday' }, /clientTimestamp must be epoch milliseconds/, 'invalid_client_timestamp'],
      [{ status: 'away', clientTimestamp: String(ctx.clock.now() + 3_600_000) }, /ahead of the server clock/, 'client_timestamp_in_future'],
    ];
    for (const [body, message, code = 'invalid_request'] of cases) {
      const response = await choose(alice.key, body);
      expectError(response, 400, code);
      assert.match(response.json().error, message, JSON.stringify(body));
    }
    const missing = await post(statusPath(chatbotId), alice.key, { status: 'away' });
    expectError(missing, 400, 'invalid_request');
    assert.match(missing.json().error, /clientTimestamp is required/);
    assert.deepEqual(await entryOf(alice.id), before);
  });

  it('activity: never reported is never idle; idle after the chatbot\'s idleAfterSeconds; the next report is available again', async () => {
    await setOnline(alice.key, true);
    await setOnline(bob.key, true);
    const patched = await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin.key, payload: { idleAfterSeconds: 60 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().idleAfterSeconds, 60);

    const report = await post(activityPath(chatbotId), alice.key);
    assert.deepEqual(report.json(), { agentId: alice.id, lastActiveAt: iso() });
    const reportedAt = iso();
    ctx.clock.advance(59);
    assert.deepEqual([(await entryOf(alice.id)).state, (await entryOf(alice.id)).lastActiveAt], ['available', reportedAt]);
    ctx.clock.advance(1);
    const idle = await entryOf(alice.id);
    assert.deepEqual([idle.online, idle.state, idle.reason, idle.since], [true, 'away', 'idle', iso()]);
    ctx.clock.advance(3600);
    assert.equal((await entryOf(bob.id)).state, 'available', 'an agent whose clients never report activity is never idle');

    await post(activityPath(chatbotId), alice.key);
    const back = await entryOf(alice.id);
    assert.deepEqual([back.state, back.reason, back.lastActiveAt], ['available', 'ready', iso()]);
  });

  it('activity reports in quick succession are kept in memory, and never let an active agent be judged idle', async () => {
    await setOnline(alice.key, true);
    await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin.key, payload: { idleAfterSeconds: 30 } });
    await post(activityPath(chatbotId), alice.key);
    const written = iso();
    ctx.clock.advance(20);
    await post(activityPath(chatbotId), alice.key); // kept in memory: within 30 s of the last write
    const pendingAt = iso();
    const stored = await ctx.database.db.selectFrom('presence').select('last_active_at').where('agent_id', '=', alice.id).executeTakeFirstOrThrow();
    assert.equal(new Date(Number(stored.last_active_at)).toISOString(), written, 'the second report was not written');
    ctx.clock.advance(15); // 35 s after the written report, 15 s after the newest
    const entry = await entryOf(alice.id);
    assert.deepEqual([entry.state, entry.lastActiveAt], ['available', pendingAt], 'the newer report was written before judging');
  });

  it('idleAfterSeconds is checked: 30 to 86,400 whole seconds, and at least one field to change', async () => {
    const patch = (payload: object) => ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin.key, payload });
    for (const value of [29, 86_401, 60.5, '600', null]) {
      const response = await patch({ idleAfterSeconds: value });
      expectError(response, 400, 'invalid_request');
      assert.equal(response.json().error, 'idleAfterSeconds must be a whole number of seconds from 30 to 86400', String(value));
    }
    const empty = await patch({});
    expectError(empty, 400, 'invalid_request');
    assert.equal(empty.json().error, 'the body must hold at least one field to change');
    const chatbot = await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}`, key: admin.key });
    assert.equal(chatbot.json().idleAfterSeconds, 600, 'the default stands');
    const agentPatch = await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: alice.key, payload: { idleAfterSeconds: 60 } });
    expectError(agentPatch, 403, 'permission_denied');
  });

  it('the summary counts agents by state, says whether anyone is available and when the next is due; ETag and 304', async () => {
    const empty = await summary();
    assert.deepEqual(empty, { counts: { available: 0, away: 0, busy: 0, dnd: 0, offline: 3 }, anyoneAvailable: false, nextAvailableAt: null });
    await setOnline(alice.key, true);
    const back = iso(ctx.clock.now() + 15 * 60_000);
    await choose(alice.key, { status: 'away', text: 'Lunch', until: back });
    await setOnline(bob.key, true);
    await choose(bob.key, { status: 'dnd' });
    assert.deepEqual(await summary(), { counts: { available: 0, away: 1, busy: 0, dnd: 1, offline: 1 }, anyoneAvailable: false, nextAvailableAt: back });

    const widget = await ctx.chatbotKey(chatbotId, ['chatbots.inbox.availability.read']);
    const first = await ctx.call({ method: 'GET', url: availabilityPath(chatbotId), key: widget.key });
    assert.equal(first.statusCode, 200, 'a widget key holding only the availability permission reads it');
    expectError(await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: widget.key }), 403, 'permission_denied');
    const etag = String(first.headers.etag);
    const again = await ctx.call({ method: 'GET', url: availabilityPath(chatbotId), key: widget.key, headers: { 'if-none-match': etag } });
    assert.deepEqual([again.statusCode, again.body, again.headers['content-type']], [304, '', undefined]);

    ctx.clock.advance(15 * 60);
    assert.deepEqual(await summary(), { counts: { available: 1, away: 0, busy: 0, dnd: 1, offline: 1 }, anyoneAvailable: true, nextAvailableAt: null });
    const changed = await ctx.call({ method: 'GET', url: availabilityPath(chatbotId), key: widget.key, headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200, 'a lapse changes the ETag');
  });
});

describe('availability on the stream (wall clock)', () => {
  it('a lapse is announced at its moment, a report that changes nothing announces nothing', async () => {
    const ctx = await createTestContext({ clock: 'real', env: { PRESENCE_TTL_SECONDS: '0' } });
    const clients: SseClient[] = [];
    try {
      const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const chatbotId = await ctx.chatbot('Support');
      const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
      const key = (await ctx.agentKey(aliceId)).key;
      const observer = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
      const send = (path: string, body?: object) =>
        fetch(`${base}${path}`, { method: 'POST', headers: { 'x-chatcaptain-key': key, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      assert.equal((await send(meOnlinePath(chatbotId), { online: true, clientTimestamp: String(Date.now()) })).status, 200);
      const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': observer });
      clients.push(stream);
      await stream.next((event) => event.event === 'snapshot');

      const until = Date.now() + 1500;
      const chosen = await send(statusPath(chatbotId), { status: 'busy', text: 'On a call', until: new Date(until).toISOString(), clientTimestamp: String(Date.now()) });
      assert.equal(chosen.status, 200);
      const busy = JSON.parse((await stream.next((event) => event.event === 'presence')).data) as Entry;
      assert.deepEqual([busy.state, busy.reason, busy.statusText], ['busy', 'chosen', 'On a call']);

      assert.equal((await send(activityPath(chatbotId))).status, 200);
      const lapsed = await stream.next((event) => event.event === 'presence', 3000);
      const receivedAt = Date.now();
      const entry = JSON.parse(lapsed.data) as Entry;
      assert.deepEqual([entry.state, entry.reason, entry.statusText], ['available', 'ready', null], 'the first event after busy is the lapse: the activity report announced nothing');
      assert.ok(receivedAt >= until, 'not before the lapse');
      assert.ok(receivedAt - until < 1000, `announced within 1 s of the lapse (${receivedAt - until} ms)`);
      assert.equal(presenceData(lapsed).online, true);
      assert.deepEqual(await stream.drain(300), [], 'announced once');
    } finally {
      for (const client of clients) client.close();
      await ctx.close();
    }
  });
});
