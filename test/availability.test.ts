import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CLI } from '../src/auth/actor.js';
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
      {
        online: never.online,
        state: never.state,
        reason: never.reason,
        statusText: never.statusText,
        lastActiveAt: never.lastActiveAt,
        activeChats: never.activeChats,
        maxChats: never.maxChats,
      },
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
    assert.deepEqual(
      [dnd.online, dnd.state, dnd.reason, dnd.statusText, dnd.statusUntil],
      [true, 'dnd', 'chosen', 'In a meeting', until],
      'a dnd agent is online: true, as the seed reads it',
    );

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

  it("activity: never reported is never idle; idle after the chatbot's idleAfterSeconds; the next report is available again", async () => {
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

describe('nextAvailableAt for an agent kept alive by its heartbeat, not a stream (default TTL)', () => {
  it('dnd until 20 minutes from now while the client posts every 60 s: the lapse; once the posts stop for the TTL: null', async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot();
      const agentId = await ctx.agent(chatbotId, { name: 'Dee' });
      const key = (await ctx.agentKey(agentId)).key;
      const widget = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.availability.read'])).key;
      const summary = async () => (await ctx.call({ method: 'GET', url: availabilityPath(chatbotId), key: widget })).json();
      const back = new Date(ctx.clock.now() + 20 * 60_000).toISOString();
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
      await ctx.call({ method: 'POST', url: statusPath(chatbotId), key, payload: { status: 'dnd', until: back, clientTimestamp: String(ctx.clock.now()) } });
      for (let minute = 0; minute < 3; minute++) {
        assert.deepEqual([(await summary()).anyoneAvailable, (await summary()).nextAvailableAt], [false, back], `after ${minute} heartbeats`);
        ctx.clock.advance(60);
        await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
      }
      // The client stops: after the TTL (150 s) the agent has no sign of life and is due back by nothing.
      ctx.clock.advance(151);
      const stopped = await summary();
      assert.deepEqual([stopped.counts.offline, stopped.nextAvailableAt], [1, null]);
    } finally {
      await ctx.close();
    }
  });
});

describe("the summary's schedule answer (default settings)", () => {
  it("while nobody is available, nextAvailableAt is the next opening of a member who chose to be online, on another day too; else the chatbot's default hours", async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot('Support');
      const alice = await ctx.agent(chatbotId, { name: 'Alice' });
      const aliceKey = (await ctx.agentKey(alice)).key;
      const admin = (await ctx.agentKey(await ctx.agent(chatbotId, { name: 'Zed', role: 'admin' }))).key;
      const summary = async () => (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/availability`, key: admin })).json();
      // Wednesday 10:00 UTC, inside her hours: Alice goes online; her hours are Wednesday and Friday.
      ctx.clock.current = Date.UTC(2026, 0, 14, 10, 0);
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: aliceKey, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
      const hours = { timeZone: 'UTC', weekly: { wed: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '17:00' }] } };
      assert.equal((await ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${alice}/working-hours`, key: admin, payload: { workingHours: hours } })).statusCode, 200);
      assert.equal((await summary()).anyoneAvailable, true);
      // Thursday noon: closed, and her last sign of life is long past the TTL. Back on Friday at 9:00.
      ctx.clock.current = Date.UTC(2026, 0, 15, 12, 0);
      assert.deepEqual(await summary(), { counts: { available: 0, away: 0, busy: 0, dnd: 0, offline: 2 }, anyoneAvailable: false, nextAvailableAt: '2026-01-16T09:00:00.000Z' });
      // She chose to be offline: her hours say nothing now; the chatbot's default hours answer.
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: aliceKey, payload: { online: false, clientTimestamp: String(ctx.clock.now()) } });
      assert.equal((await summary()).nextAvailableAt, null, 'nobody chose to be online and there are no default hours');
      const defaults = { timeZone: 'UTC', weekly: { fri: [{ from: '08:00', to: '16:00' }] } };
      assert.equal((await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin, payload: { workingHours: defaults } })).statusCode, 200);
      assert.equal((await summary()).nextAvailableAt, '2026-01-16T08:00:00.000Z');
    } finally {
      await ctx.close();
    }
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
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
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
      assert.deepEqual(
        [entry.state, entry.reason, entry.statusText],
        ['available', 'ready', null],
        'the first event after busy is the lapse: the activity report announced nothing',
      );
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

describe('availability history and the time-in-state report', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let alice: { id: string; key: string };
  let admin: { id: string; key: string };

  beforeEach(async () => {
    ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '0' } });
    chatbotId = await ctx.chatbot('Support');
    const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
    const adminId = await ctx.agent(chatbotId, { name: 'Zed', role: 'admin' });
    alice = { id: aliceId, key: (await ctx.agentKey(aliceId)).key };
    admin = { id: adminId, key: (await ctx.agentKey(adminId)).key };
  });
  afterEach(() => ctx.close());

  const iso = (millis = ctx.clock.now()) => new Date(millis).toISOString();
  const post = (url: string, payload: object) => ctx.call({ method: 'POST', url, key: alice.key, payload });
  const get = (url: string, key = admin.key, headers: Record<string, string> = {}) => ctx.call({ method: 'GET', url, key, headers });

  /** 12:00 online, 13:00 dnd "Focus", 13:30 offline, read at 14:30 (the test clock starts 2026-01-15 12:00 UTC). */
  async function aDay() {
    const start = ctx.clock.now();
    assert.equal((await post(meOnlinePath(chatbotId), { online: true, clientTimestamp: String(ctx.clock.now()) })).statusCode, 200);
    ctx.clock.advance(3600);
    assert.equal((await post(statusPath(chatbotId), { status: 'dnd', text: 'Focus', clientTimestamp: String(ctx.clock.now()) })).statusCode, 200);
    ctx.clock.advance(1800);
    assert.equal((await post(meOnlinePath(chatbotId), { online: false, clientTimestamp: String(ctx.clock.now()) })).statusCode, 200);
    ctx.clock.advance(3600);
    return start;
  }

  it('keeps every change of state as an interval, newest first, each ending where the next begins', async () => {
    const start = await aDay();
    const response = await get(`/v1/inbox/${chatbotId}/agents/${alice.id}/history`);
    assert.equal(response.statusCode, 200, response.body);
    const items = response.json().items as Array<{ state: string; reason: string; statusText: string | null; from: string; to: string | null; setBy: string | null }>;
    assert.deepEqual(
      items.map((item) => [item.state, item.reason, item.statusText, item.from, item.to, item.setBy]),
      [
        ['offline', 'chosen_offline', 'Focus', iso(start + 5400_000), null, null],
        ['dnd', 'chosen', 'Focus', iso(start + 3600_000), iso(start + 5400_000), null],
        ['available', 'ready', null, iso(start), iso(start + 3600_000), null],
        ['offline', 'no_sign_of_life', null, iso(start), iso(start), null],
      ],
    );
    const paged = await get(`/v1/inbox/${chatbotId}/agents/${alice.id}/history?limit=3`);
    const next = await get(`/v1/inbox/${chatbotId}/agents/${alice.id}/history?limit=3&cursor=${paged.json().nextCursor}`);
    assert.deepEqual([paged.json().items.length, next.json().items.length, next.json().nextCursor], [3, 1, null]);
  });

  it('reports time in state per day in JSON and CSV', async () => {
    const start = await aDay();
    const report = await get(`/v1/inbox/${chatbotId}/reports/time-in-state?from=2026-01-15&to=2026-01-15&tz=UTC`);
    assert.equal(report.statusCode, 200, report.body);
    const rows = report.json().rows as Array<{ agentId: string; period: string; seconds: Record<string, number>; firstAvailableAt: string; lastAvailableAt: string }>;
    const own = rows.filter((row) => row.agentId === alice.id);
    assert.deepEqual(own, [
      {
        agentId: alice.id,
        agentName: 'Alice',
        period: '2026-01-15',
        seconds: { available: 3600, away: 0, busy: 0, dnd: 1800, offline: 3600 },
        firstAvailableAt: iso(start),
        lastAvailableAt: iso(start + 3600_000),
      },
    ]);
    const csv = await get(`/v1/inbox/${chatbotId}/reports/time-in-state?from=2026-01-15&to=2026-01-15`, admin.key, { accept: 'text/csv' });
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(csv.body, /^agentId,agentName,period,availableSeconds,awaySeconds,busySeconds,dndSeconds,offlineSeconds,firstAvailableAt,lastAvailableAt\r\n/);
    assert.ok(csv.body.includes(`${alice.id},Alice,2026-01-15,3600,0,0,1800,3600,${iso(start)},${iso(start + 3600_000)}\r\n`), csv.body);
  });

  it('refuses a bad report query naming the field, and an agent without reports.read', async () => {
    const base = `/v1/inbox/${chatbotId}/reports/time-in-state`;
    const cases: Array<[string, RegExp]> = [
      ['?from=2026-01-15', /to is required/],
      ['?from=2026-02-30&to=2026-03-01', /from must be a date, YYYY-MM-DD/],
      ['?from=2026-01-15&to=15.01.2026', /to must be a date, YYYY-MM-DD/],
      ['?from=2026-01-15&to=2026-01-14', /to must be on or after from/],
      ['?from=2025-01-01&to=2026-01-15', /at most 366 days/],
      ['?from=2026-01-15&to=2026-01-15&tz=Mars/Olympus', /tz must be an IANA time zone/],
      ['?from=2026-01-15&to=2026-01-15&groupBy=month', /groupBy must be "day" or "week"/],
      ['?from=2026-01-15&to=2026-01-15&format=xml', /format is not a field of this query/],
    ];
    for (const [query, message] of cases) {
      const response = await get(`${base}${query}`);
      expectError(response, 400, 'invalid_request');
      assert.match(response.json().error, message, query);
    }
    expectError(await get(`${base}?from=2026-01-15&to=2026-01-15`, alice.key), 403, 'permission_denied');
    expectError(await get(`/v1/inbox/${chatbotId}/agents/${alice.id}/history`, alice.key), 403, 'permission_denied');
  });

  it("an agent deleted takes its history with it; a chatbot deleted, the chatbot's", async () => {
    await aDay();
    const operator = await ctx.services.keys.createOperatorKey(CLI, { permissions: ['*'] });
    const count = async () =>
      Number(
        (
          await ctx.database.db
            .selectFrom('presence_history')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('agent_id', '=', alice.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.ok((await count()) > 0);
    assert.equal((await ctx.call({ method: 'DELETE', url: `/v1/agents/${alice.id}`, key: operator.key })).statusCode, 204);
    assert.equal(await count(), 0);
  });
});

describe('notifications follow availability', () => {
  it('an agent in do not disturb is skipped with that reason unless the notification is critical; "available" means state available', async () => {
    const ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '0' } });
    try {
      const chatbotId = await ctx.chatbot('Support');
      const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
      const bobId = await ctx.agent(chatbotId, { name: 'Bob' });
      const aliceKey = (await ctx.agentKey(aliceId)).key;
      const bobKey = (await ctx.agentKey(bobId)).key;
      const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
      for (const key of [aliceKey, bobKey]) {
        await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
      }
      await ctx.call({ method: 'POST', url: statusPath(chatbotId), key: aliceKey, payload: { status: 'dnd', clientTimestamp: String(ctx.clock.now()) } });
      const notify = (payload: object) =>
        ctx.call({
          method: 'POST',
          url: `/v1/inbox/${chatbotId}/notifications`,
          key: integration,
          payload: { type: 'conversation.new', title: 'New chat', body: 'Hi', ...payload },
        });
      const reasons = (response: Awaited<ReturnType<typeof notify>>) => {
        assert.equal(response.statusCode, 202, response.body);
        return Object.fromEntries(
          (response.json().deliveries as Array<{ agentId: string; reason: string | null }>).map((d) => [d.agentId === aliceId ? 'alice' : 'bob', d.reason]),
        );
      };
      assert.deepEqual(reasons(await notify({})), { bob: 'no_devices' }, 'the default audience, available, leaves out the agent in dnd');
      assert.deepEqual(reasons(await notify({ audience: 'all' })), { alice: 'do_not_disturb', bob: 'no_devices' });
      assert.deepEqual(reasons(await notify({ audience: 'all', priority: 'critical' })), { alice: 'no_devices', bob: 'no_devices' }, 'critical reaches dnd');
      const bad = await notify({ priority: 'urgent' });
      expectError(bad, 400, 'invalid_request');
      assert.equal(bad.json().error, 'priority must be "normal" or "critical"');
    } finally {
      await ctx.close();
    }
  });
});

describe('capacity, the available list, and supervisors', () => {
  let ctx: TestContext;
  let chatbotId: string;
  const agents: Record<string, { id: string; key: string }> = {};
  let admin: { id: string; key: string };
  let router: string;

  beforeEach(async () => {
    ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '0' } });
    chatbotId = await ctx.chatbot('Support');
    for (const name of ['Ann', 'Ben', 'Cy']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: agents[name]!.key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    }
    const adminId = await ctx.agent(chatbotId, { name: 'Zed', role: 'admin' });
    admin = { id: adminId, key: (await ctx.agentKey(adminId)).key };
    router = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.capacity.edit', 'chatbots.inbox.availability.read'])).key;
  });
  afterEach(() => ctx.close());

  const capacity = (name: string, payload: object, key = router) =>
    ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${agents[name]!.id}/capacity`, key, payload: { clientTimestamp: String(ctx.clock.now()), ...payload } });
  const available = async (query = '') => {
    const response = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/available${query}`, key: router });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json().agents as Array<{ name: string }>).map((agent) => agent.name);
  };

  it('at capacity is busy; an older report changes nothing; a field left out keeps its value', async () => {
    const set = await capacity('Ann', { activeChats: 2, maxChats: 2 });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), {
      agentId: agents.Ann!.id,
      activeChats: 2,
      maxChats: 2,
      clientTimestamp: String(ctx.clock.now()),
      applied: true,
      state: 'busy',
      reason: 'at_capacity',
    });
    const older = await capacity('Ann', { activeChats: 0, clientTimestamp: String(ctx.clock.now() - 1) });
    assert.deepEqual([older.statusCode, older.json().applied, older.json().activeChats, older.json().state], [200, false, 2, 'busy']);
    ctx.clock.advance(1);
    const lower = await capacity('Ann', { activeChats: 1 });
    assert.deepEqual([lower.json().activeChats, lower.json().maxChats, lower.json().state, lower.json().reason], [1, 2, 'available', 'ready']);
    const retried = await capacity('Ann', { activeChats: 1 });
    assert.deepEqual([retried.json().applied, retried.json().activeChats], [true, 1], 'a retry of the same report is harmless');
  });

  it('lists available agents least loaded first: share of capacity, then chats, then name', async () => {
    await capacity('Ann', { activeChats: 1, maxChats: 4 });
    await capacity('Ben', { activeChats: 1, maxChats: 2 });
    await capacity('Cy', { activeChats: 0 });
    assert.deepEqual(await available(), ['Cy', 'Ann', 'Ben'], 'Zed never came online');
    assert.deepEqual(await available('?limit=1'), ['Cy']);
    await ctx.call({ method: 'POST', url: statusPath(chatbotId), key: agents.Cy!.key, payload: { status: 'away', clientTimestamp: String(ctx.clock.now()) } });
    assert.deepEqual(await available(), ['Ann', 'Ben'], 'an away agent takes no chats');
    for (const limit of ['0', '201', 'x']) {
      const response = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/available?limit=${limit}`, key: router });
      expectError(response, 400, 'invalid_request');
      assert.equal(response.json().error, 'limit must be a whole number from 1 to 200');
    }
  });

  it('refuses a bad capacity report with a clear error and changes nothing', async () => {
    await capacity('Ann', { activeChats: 1, maxChats: 3 });
    const cases: Array<[object, RegExp, number, string]> = [
      [{ activeChats: -1 }, /activeChats must be a whole number from 0 to 10000/, 400, 'invalid_request'],
      [{ maxChats: 2.5 }, /maxChats must be a whole number/, 400, 'invalid_request'],
      [{}, /send activeChats, maxChats or both/, 400, 'invalid_request'],
      [{ activeChats: 1, chats: 2 }, /chats is not a field of this body/, 400, 'invalid_request'],
    ];
    for (const [payload, message, status, code] of cases) {
      const response = await capacity('Ann', payload);
      expectError(response, status, code);
      assert.match(response.json().error, message);
    }
    const stranger = await ctx.call({
      method: 'PUT',
      url: `/v1/inbox/${chatbotId}/agents/ag_nobody/capacity`,
      key: router,
      payload: { activeChats: 1, clientTimestamp: String(ctx.clock.now()) },
    });
    expectError(stranger, 404, 'not_found');
    expectError(await capacity('Ann', { activeChats: 0 }, agents.Ann!.key), 403, 'permission_denied');
    const entry = (await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: admin.key })).json().agents.find((agent: { name: string }) => agent.name === 'Ann');
    assert.deepEqual([entry.activeChats, entry.maxChats], [1, 3]);
  });

  it("a supervisor sets another agent's status; the entry, event and history say who; the agent's next own update wins it back", async () => {
    const override = (payload: object, key = admin.key) => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/${agents.Ben!.id}/status`, key, payload });
    const away = await override({ status: 'away', text: 'Left without signing off' });
    assert.equal(away.statusCode, 200, away.body);
    assert.deepEqual([away.json().state, away.json().reason, away.json().statusText, away.json().setBy], ['away', 'chosen', 'Left without signing off', admin.id]);
    ctx.clock.advance(60);
    const offline = await override({ status: 'offline' });
    assert.deepEqual([offline.json().state, offline.json().reason, offline.json().setBy, offline.json().online], ['offline', 'chosen_offline', admin.id, false]);
    const history = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/${agents.Ben!.id}/history?limit=2`, key: admin.key })).json().items;
    assert.deepEqual(
      history.map((item: { state: string; setBy: string }) => [item.state, item.setBy]),
      [
        ['offline', admin.id],
        ['away', admin.id],
      ],
    );

    // Available too names who set it (away, busy and offline already do), in the entry and the history.
    ctx.clock.advance(60);
    const available = await override({ status: 'available' });
    assert.deepEqual([available.json().state, available.json().reason, available.json().setBy], ['available', 'ready', admin.id]);
    const latest = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/${agents.Ben!.id}/history?limit=1`, key: admin.key })).json().items;
    assert.deepEqual([latest[0].state, latest[0].setBy], ['available', admin.id]);

    ctx.clock.advance(60);
    await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: agents.Ben!.key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    await ctx.call({ method: 'POST', url: statusPath(chatbotId), key: agents.Ben!.key, payload: { status: 'available', clientTimestamp: String(ctx.clock.now()) } });
    const own = (await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: admin.key })).json().agents.find((agent: { name: string }) => agent.name === 'Ben');
    assert.deepEqual([own.state, own.setBy], ['available', null]);

    expectError(await override({ status: 'away' }, agents.Ann!.key), 403, 'permission_denied');
    const bad = await override({ status: 'offline', until: new Date(ctx.clock.now() + 60_000).toISOString() });
    expectError(bad, 400, 'invalid_request');
    assert.equal(bad.json().error, 'offline takes no text or until');
    expectError(await override({ status: 'gone' }), 400, 'invalid_request');
    expectError(await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/ag_nobody/status`, key: admin.key, payload: { status: 'away' } }), 404, 'not_found');
  });
});

describe('working hours', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let alice: { id: string; key: string };
  let bob: { id: string; key: string };
  let admin: { id: string; key: string };
  // The test clock starts on Thursday 2026-01-15 at 12:00 UTC.
  const office = { timeZone: 'UTC', weekly: { thu: [{ from: '09:00', to: '17:00' }] } };

  beforeEach(async () => {
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

  const setOnline = (key: string, online: boolean) =>
    ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online, clientTimestamp: String(ctx.clock.now()) } });
  const ownHours = (key: string, workingHours: unknown) => ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/me/working-hours`, key, payload: { workingHours } });
  const stateOf = async (agentId: string) => {
    const entry = (await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: admin.key })).json().agents.find((agent: { agentId: string }) => agent.agentId === agentId);
    return `${entry.state}/${entry.reason}`;
  };
  const toThursday = (hour: number) => {
    const target = Date.UTC(2026, 0, 15, hour);
    ctx.clock.current = ctx.clock.current <= target ? target : target + 7 * 86_400_000 * Math.ceil((ctx.clock.current - target) / (7 * 86_400_000));
  };

  it('outside them an agent is offline; a heartbeat does not override, going online again does, until the next opening', async () => {
    await setOnline(alice.key, true);
    const set = await ownHours(alice.key, office);
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), { agentId: alice.id, workingHours: office, effective: office });
    assert.equal(await stateOf(alice.id), 'available/ready');
    toThursday(17);
    assert.equal(await stateOf(alice.id), 'offline/outside_working_hours');
    ctx.clock.advance(1800);
    await setOnline(alice.key, true);
    assert.equal(await stateOf(alice.id), 'offline/outside_working_hours', 'a heartbeat is no override');
    await setOnline(alice.key, false);
    ctx.clock.advance(60);
    await setOnline(alice.key, true);
    assert.equal(await stateOf(alice.id), 'available/ready', 'going online again outside hours overrides them');
    ctx.clock.advance(3 * 86_400);
    assert.equal(await stateOf(alice.id), 'available/ready', 'until the next opening');
    toThursday(17);
    assert.equal(await stateOf(alice.id), 'offline/outside_working_hours', 'the override ended at the opening; the closing applies');
    await ctx.call({ method: 'POST', url: statusPath(chatbotId), key: alice.key, payload: { status: 'busy', clientTimestamp: String(ctx.clock.now()) } });
    assert.equal(await stateOf(alice.id), 'busy/chosen', 'choosing a status is an explicit override too');
  });

  it("the chatbot's default applies to members without their own; a change is judged at once, and pushes follow", async () => {
    await setOnline(bob.key, true);
    toThursday(18);
    const patched = await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin.key, payload: { workingHours: office } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().workingHours, office);
    assert.equal(await stateOf(bob.id), 'offline/outside_working_hours');
    const history = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/${bob.id}/history?limit=1`, key: admin.key })).json().items;
    assert.equal(history[0].reason, 'outside_working_hours', 'announced (and kept) when the default changed');
    const own = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me/working-hours`, key: bob.key });
    assert.deepEqual(own.json(), { agentId: bob.id, workingHours: null, effective: office });

    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
    const notify = async (priority: string) =>
      (
        await ctx.call({
          method: 'POST',
          url: `/v1/inbox/${chatbotId}/notifications`,
          key: integration,
          payload: { type: 'conversation.new', title: 'T', body: 'B', audience: { agentIds: [bob.id] }, priority },
        })
      ).json().deliveries[0].reason;
    assert.equal(await notify('normal'), 'outside_working_hours');
    assert.equal(await notify('critical'), 'no_devices');

    const supervisor = await ctx.call({
      method: 'PUT',
      url: `/v1/inbox/${chatbotId}/agents/${bob.id}/working-hours`,
      key: admin.key,
      payload: { workingHours: { timeZone: 'UTC', weekly: { thu: [{ from: '00:00', to: '24:00' }] } } },
    });
    assert.equal(supervisor.statusCode, 200, supervisor.body);
    assert.equal(await stateOf(bob.id), 'available/ready', "a member's own schedule beats the default");
  });

  it('refuses a bad schedule naming the field, and changes nothing', async () => {
    await ownHours(alice.key, office);
    const cases: Array<[unknown, RegExp]> = [
      [{ timeZone: 'Mars/Olympus', weekly: {} }, /timeZone must be an IANA time zone/],
      [{ timeZone: 'UTC', weekly: { monday: [] } }, /monday is not a field of this body/],
      [{ timeZone: 'UTC', weekly: { mon: [{ from: '17:00', to: '09:00' }] } }, /each opening runs from "HH:MM" to a later "HH:MM"/],
      [{ timeZone: 'UTC', weekly: { mon: [{ from: '09:00', to: '25:00' }] } }, /workingHours must be null or/],
      [{ timeZone: 'UTC', weekly: { mon: Array.from({ length: 5 }, () => ({ from: '09:00', to: '10:00' })) } }, /workingHours must be null or/],
      ['9 to 5', /workingHours must be null or/],
    ];
    for (const [workingHours, message] of cases) {
      const response = await ownHours(alice.key, workingHours);
      expectError(response, 400, 'invalid_request');
      assert.match(response.json().error, message, JSON.stringify(workingHours));
    }
    const stored = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me/working-hours`, key: alice.key });
    assert.deepEqual(stored.json().workingHours, office);
    expectError(
      await ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${bob.id}/working-hours`, key: alice.key, payload: { workingHours: null } }),
      403,
      'permission_denied',
    );
  });
});
