import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { afterEach, describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { createTestContext, meOnlinePath, onlinePath, TestClock, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { presenceData, SseClient, type SseEvent } from './helpers/sse.js';

const streamPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/online/stream`;
const ticketPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/online/stream-tickets`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface World {
  ctx: TestContext;
  base: string;
  chatbotId: string;
  alice: { id: string; key: string };
  bob: { id: string; key: string };
  observerKey: string;
}

/** A listening server on the wall clock, one chatbot with Alice and Bob, and an integration key that only lists. */
async function world(env: Record<string, string> = {}, live: NonNullable<Parameters<typeof createTestContext>[0]>['live'] = {}): Promise<World> {
  const ctx = await createTestContext({ clock: 'real', env: { PRESENCE_GRACE_SECONDS: '1', ...env }, live });
  const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const chatbotId = await ctx.chatbot('Support');
  const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
  const bobId = await ctx.agent(chatbotId, { name: 'Bob' });
  return {
    ctx,
    base,
    chatbotId,
    alice: { id: aliceId, key: (await ctx.agentKey(aliceId)).key },
    bob: { id: bobId, key: (await ctx.agentKey(bobId)).key },
    observerKey: (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key,
  };
}

const clients: SseClient[] = [];
async function stream(w: World, headers: Record<string, string>, query = '', options: { paused?: boolean } = {}): Promise<SseClient> {
  const client = await SseClient.open(`${w.base}${streamPath(w.chatbotId)}${query}`, headers, options);
  clients.push(client);
  return client;
}

async function post(w: World, key: string, online: boolean): Promise<void> {
  const response = await fetch(`${w.base}${meOnlinePath(w.chatbotId)}`, {
    method: 'POST',
    headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ online, clientTimestamp: String(Date.now()) }),
  });
  assert.equal(response.status, 200);
}

/**
 * The events a stream got before a marker: a member added now (announced to every stream, plain
 * or batched). What did not come before the marker did not happen, with no margin of time.
 */
async function beforeMarker(w: World, client: SseClient): Promise<SseEvent[]> {
  const marker = await w.ctx.agent(w.chatbotId, { name: `Marker ${Math.random().toString(36).slice(2, 8)}` });
  const seen = await client.upTo((event) => event.data.includes(marker), 5000);
  return seen.slice(0, -1);
}

const forAgent =
  (agentId: string, expect: Partial<ReturnType<typeof presenceData>> = {}) =>
  (event: SseEvent) =>
    event.event === 'presence' && presenceData(event).agentId === agentId && Object.entries(expect).every(([k, v]) => presenceData(event)[k as 'online'] === v);

describe('presence stream', () => {
  let w: World;
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await w?.ctx.close();
  });

  it('sends a snapshot (the list), then one presence event per listed change, in version order', async () => {
    w = await world();
    const client = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    assert.equal(client.response.headers['content-type'], 'text/event-stream; charset=utf-8');
    const snapshot = await client.next();
    assert.equal(snapshot.event, 'snapshot');
    const listed = await (await fetch(`${w.base}${onlinePath(w.chatbotId)}`, { headers: { 'x-chatcaptain-key': w.observerKey } })).json();
    assert.deepEqual(JSON.parse(snapshot.data), listed, 'the snapshot is the list');
    const start = Number(snapshot.id);

    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    await post(w, w.alice.key, false);
    await post(w, w.alice.key, false); // a heartbeat that changes nothing
    const received = [await client.next(), await client.next(), await client.next()];
    assert.deepEqual(
      received.map((e) => [Number(e.id), presenceData(e).agentId, presenceData(e).online]),
      [
        [start + 1, w.alice.id, true],
        [start + 2, w.bob.id, true],
        [start + 3, w.alice.id, false],
      ],
    );
    assert.deepEqual(Object.keys(presenceData(received[0]!)).sort(), [
      'activeChats',
      'agentId',
      'connected',
      'devices',
      'lastActiveAt',
      'lastSeenAt',
      'maxChats',
      'name',
      'online',
      'reason',
      'setBy',
      'since',
      'state',
      'statusText',
      'statusUntil',
      'updatedAt',
    ]);
    assert.deepEqual(await beforeMarker(w, client), [], 'a heartbeat that changes nothing emits nothing');
  });

  it('a snapshot is the list as it stands, also after changes that are no news on the stream (a load, a heartbeat)', async () => {
    w = await world();
    await post(w, w.alice.key, true);
    const first = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await first.next((event) => event.event === 'snapshot');
    // Two chats for Alice (no maxChats: she stays available) and a heartbeat: her entry's
    // activeChats and lastSeenAt change, her state does not, so nothing is announced.
    for (const conversationId of ['load-1', 'load-2']) assert.ok('created' in (await w.ctx.services.assignments.assign(CLI, w.chatbotId, { conversationId })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await post(w, w.alice.key, true);
    const listed = await (await fetch(`${w.base}${onlinePath(w.chatbotId)}`, { headers: { 'x-chatcaptain-key': w.observerKey } })).json();
    assert.equal(listed.agents.find((agent: { agentId: string }) => agent.agentId === w.alice.id).activeChats, 2);
    const second = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    const snapshot = await second.next((event) => event.event === 'snapshot');
    assert.deepEqual(JSON.parse(snapshot.data), listed, 'the snapshot is the list, load and last sign of life included');
  });

  it('resumes with Last-Event-ID or ?since with exactly the missed events; a malformed, unknown or expired id gets a snapshot', async () => {
    w = await world({ PRESENCE_EVENTS_KEPT: '4' });
    const first = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    const seen = Number((await first.next()).id);
    first.close();

    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    await post(w, w.alice.key, false);

    const resumed = await stream(w, { 'x-chatcaptain-key': w.observerKey, 'last-event-id': String(seen) });
    const missed = [await resumed.next(), await resumed.next(), await resumed.next()];
    assert.deepEqual(
      missed.map((e) => [e.event, Number(e.id)]),
      [
        ['presence', seen + 1],
        ['presence', seen + 2],
        ['presence', seen + 3],
      ],
    );
    assert.deepEqual(await beforeMarker(w, resumed), [], 'no duplicate after the missed ones');

    const viaQuery = await stream(w, { 'x-chatcaptain-key': w.observerKey }, `?since=${seen + 2}`);
    assert.deepEqual([(await viaQuery.next()).id], [String(seen + 3)]);

    for (const bad of ['not-a-number', '99999999', '-1']) {
      const fresh = await stream(w, { 'x-chatcaptain-key': w.observerKey, 'last-event-id': bad });
      const event = await fresh.next();
      assert.equal(event.event, 'snapshot', bad);
      assert.equal(Number(event.id), seen + 4, 'the newest version: the three changes and the marker');
    }

    // Only the newest 4 events are kept: resuming from before them needs a snapshot.
    for (let i = 0; i < 3; i++) {
      await post(w, w.bob.key, i % 2 !== 0);
    }
    const tooOld = await stream(w, { 'x-chatcaptain-key': w.observerKey, 'last-event-id': String(seen) });
    assert.equal((await tooOld.next()).event, 'snapshot');
  });

  it('?batch=true: the changes of one unit of work come as one batch frame, in version order; resuming from its id gets exactly what followed; plain streams are unchanged', async () => {
    w = await world();
    const adminId = await w.ctx.agent(w.chatbotId, { name: 'Zed', role: 'admin' });
    const admin = (await w.ctx.agentKey(adminId)).key;
    const carolId = await w.ctx.agent(w.chatbotId, { name: 'Carol' });
    const batched = await stream(w, { 'x-chatcaptain-key': w.observerKey }, '?batch=true');
    const plain = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    const start = Number((await batched.next()).id);
    await plain.next();
    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    const first = await batched.next();
    assert.equal(first.event, 'batch');
    assert.deepEqual(
      (JSON.parse(first.data) as { agents: Array<{ agentId: string }> }).agents.map((agent) => agent.agentId),
      [w.alice.id],
    );
    assert.equal(Number(first.id), start + 1);
    await batched.next((event) => Number(event.id) === start + 2);
    // One change of the chatbot's default hours judges every member in one unit of work: the two
    // never seen go from no sign of life to outside working hours (Alice and Bob chose to be
    // online outside them, which overrides them).
    const closed = { timeZone: 'UTC', weekly: {} };
    const patched = await fetch(`${w.base}/v1/chatbots/${w.chatbotId}`, {
      method: 'PATCH',
      headers: { 'x-chatcaptain-key': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ workingHours: closed }),
    });
    assert.equal(patched.status, 200);
    const burst = await batched.next();
    const agents = (JSON.parse(burst.data) as { agents: Array<{ agentId: string; reason: string }> }).agents;
    assert.deepEqual(
      agents.map((agent) => agent.agentId),
      [carolId, adminId],
      'both changes in one frame, in version order (by name)',
    );
    assert.ok(agents.every((agent) => agent.reason === 'outside_working_hours'));
    assert.equal(Number(burst.id), start + 4, 'the id of its last change');
    const plainIds = [];
    for (let i = 0; i < 4; i++) plainIds.push(Number((await plain.next((event) => event.event === 'presence')).id));
    assert.deepEqual(plainIds, [start + 1, start + 2, start + 3, start + 4], 'a plain stream: a frame per change');

    const resumed = await stream(w, { 'x-chatcaptain-key': w.observerKey }, `?batch=true&since=${start + 2}`);
    const missed = await resumed.next();
    assert.deepEqual([missed.event, Number(missed.id)], ['batch', start + 4]);
    assert.equal((JSON.parse(missed.data) as { agents: unknown[] }).agents.length, 2, 'exactly the missed changes');
    assert.deepEqual(await beforeMarker(w, resumed), [], 'nothing twice');

    const bad = await stream(w, { 'x-chatcaptain-key': w.observerKey }, '?batch=yes');
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { error: 'batch must be "true" or "false"', code: 'invalid_request' });
  });

  it('tickets: an agent key makes one, EventSource-style ?ticket= opens the stream as that key, once', async () => {
    w = await world();
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    const made = await fetch(`${w.base}${ticketPath(w.chatbotId)}`, { method: 'POST', headers: { 'x-chatcaptain-key': w.alice.key } });
    assert.equal(made.status, 201);
    const { ticket, expiresAt } = (await made.json()) as { ticket: string; expiresAt: string };
    assert.match(ticket, /^cct_[A-Za-z0-9_-]{43}$/);
    assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - 60_000) < 5_000, 'lasts 60 s');

    const viaTicket = await stream(w, {}, `?ticket=${ticket}`);
    assert.equal(viaTicket.status, 200);
    assert.equal((await viaTicket.next()).event, 'snapshot');
    await observer.next(forAgent(w.alice.id, { connected: true }));

    const reused = await stream(w, {}, `?ticket=${ticket}`);
    assert.equal(reused.status, 401);
    assert.deepEqual(JSON.parse(reused.body), { error: 'the stream ticket is unknown or was already used; tickets are single-use', code: 'invalid_ticket' });

    const elsewhere = await w.ctx.chatbot('Elsewhere');
    await w.ctx.services.tenancy.setMember(CLI, { agentId: w.alice.id, chatbotId: elsewhere });
    const other = (await (await fetch(`${w.base}${ticketPath(elsewhere)}`, { method: 'POST', headers: { 'x-chatcaptain-key': w.alice.key } })).json()) as { ticket: string };
    const wrongChatbot = await stream(w, {}, `?ticket=${other.ticket}`);
    assert.equal(wrongChatbot.status, 401);
    assert.equal(JSON.parse(wrongChatbot.body).code, 'invalid_ticket');

    const keyInUrl = await stream(w, {}, `?ticket=${w.alice.key}`);
    assert.equal(keyInUrl.status, 401, 'a key is never accepted in the URL');
    const noTicket = await fetch(`${w.base}${ticketPath(w.chatbotId)}`, { method: 'POST', headers: { 'x-chatcaptain-key': w.observerKey.replace(/.$/, 'x') } });
    assert.equal(noTicket.status, 401);
  });

  it('a ticket expires after 60 s, and dies with its key', async () => {
    w = await world();
    const clock = new TestClock(Date.now());
    const timed = await createTestContext({ clock, env: {} });
    try {
      const chatbotId = await timed.chatbot();
      const agentId = await timed.agent(chatbotId);
      const { id, key } = await timed.agentKey(agentId);
      const issue = async () => (await timed.call({ method: 'POST', url: ticketPath(chatbotId), key })).json().ticket as string;
      const expired = await issue();
      clock.advance(61);
      const late = await timed.call({ method: 'GET', url: `${streamPath(chatbotId)}?ticket=${expired}` });
      assert.equal(late.statusCode, 401);
      assert.equal(late.json().code, 'ticket_expired');
      const orphaned = await issue();
      await timed.services.keys.revokeKey(CLI, id, 'any');
      const revoked = await timed.call({ method: 'GET', url: `${streamPath(chatbotId)}?ticket=${orphaned}` });
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json().code, 'revoked_key');
    } finally {
      await timed.close();
    }
  });

  it('an open stream keeps a silent agent online past the TTL', async () => {
    w = await world({ PRESENCE_TTL_SECONDS: '1', PRESENCE_GRACE_SECONDS: '1' });
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    await stream(w, { 'x-chatcaptain-key': w.alice.key });
    // The marker that the TTL has passed: Bob, silent too but without a stream, goes offline.
    const meanwhile = (await observer.upTo(forAgent(w.bob.id, { online: false }), 5000)).map(presenceData);
    assert.ok(!meanwhile.some((event) => event.agentId === w.alice.id && !event.online), 'Alice was never announced offline');
    const [alice] = (
      (await (await fetch(`${w.base}${onlinePath(w.chatbotId)}`, { headers: { 'x-chatcaptain-key': w.observerKey } })).json()) as {
        agents: Array<{ online: boolean; connected: boolean }>;
      }
    ).agents;
    assert.deepEqual({ online: alice?.online, connected: alice?.connected }, { online: true, connected: true });
  });

  it('closing the last stream lists the agent offline after the grace, announced by an event within 1 s of the deadline', async () => {
    w = await world({ PRESENCE_TTL_SECONDS: '1', PRESENCE_GRACE_SECONDS: '1' });
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    const tabs = [await stream(w, { 'x-chatcaptain-key': w.alice.key }), await stream(w, { 'x-chatcaptain-key': w.alice.key })];
    // Past the TTL (the marker: Bob, without a stream, goes offline): only the streams keep Alice alive.
    await observer.next(forAgent(w.bob.id, { online: false }), 5000);
    tabs[0]!.close();
    // Bob comes back: the marker that the server has handled the closed tab (closes and posts are handled in order).
    await waitFor(async () => (await w.ctx.app.services.streams.openCount()) === 2);
    await post(w, w.bob.key, true);
    const afterOneTab = (await observer.upTo(forAgent(w.bob.id, { online: true }))).map(presenceData);
    assert.deepEqual(
      afterOneTab.filter((event) => event.agentId === w.alice.id),
      [],
      'one tab of two closing changes nothing',
    );
    const closedAt = Date.now();
    tabs[1]!.close();
    await observer.next(forAgent(w.alice.id, { online: true, connected: false }));
    await observer.next(forAgent(w.alice.id, { online: false }), 4000);
    const after = Date.now() - closedAt;
    assert.ok(after >= 900 && after <= 2000, `offline announced ${after} ms after the close (grace 1000 ms, within 1 s of it)`);
  });

  it('a reload within the grace causes no offline event', async () => {
    w = await world({ PRESENCE_TTL_SECONDS: '1', PRESENCE_GRACE_SECONDS: '1' });
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    await post(w, w.alice.key, true);
    await post(w, w.bob.key, true);
    const tab = await stream(w, { 'x-chatcaptain-key': w.alice.key });
    const bobsTab = await stream(w, { 'x-chatcaptain-key': w.bob.key });
    // Past the TTL: only the streams keep both alive now (the marker: a third agent's post expiring).
    const carol = await w.ctx.agent(w.chatbotId, { name: 'Carol' });
    await post(w, (await w.ctx.agentKey(carol)).key, true);
    await observer.next(forAgent(carol, { online: false }), 5000);
    // Both tabs close at once; Alice reloads 200 ms later (the reload's own time), Bob does not.
    tab.close();
    bobsTab.close();
    await sleep(200);
    await stream(w, { 'x-chatcaptain-key': w.alice.key });
    // The marker that the grace has passed: Bob, who did not come back, goes offline.
    const events = (await observer.upTo(forAgent(w.bob.id, { online: false }), 5000)).map(presenceData).filter((event) => event.agentId === w.alice.id);
    assert.ok(events.length > 0 && events.every((e) => e.online), `no offline event for Alice: ${JSON.stringify(events)}`);
    assert.equal(events.at(-1)?.connected, true);
  });

  it('heartbeat expiry is an event too, not only a lazy reading', async () => {
    w = await world({ PRESENCE_TTL_SECONDS: '1', PRESENCE_GRACE_SECONDS: '1' });
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    const postedAt = Date.now();
    await post(w, w.alice.key, true);
    await observer.next(forAgent(w.alice.id, { online: true }));
    await observer.next(forAgent(w.alice.id, { online: false }), 4000);
    const after = Date.now() - postedAt;
    assert.ok(after >= 900 && after <= 2000, `expiry announced ${after} ms after the heartbeat (TTL 1000 ms)`);
  });

  it('drops a reader that stops reading, while a fast one receives every event in order', async () => {
    w = await world({ PRESENCE_TTL_SECONDS: '0' }, { maxBufferBytes: 16 * 1024 });
    const longName = 'N'.repeat(190);
    const agentId = await w.ctx.agent(w.chatbotId, { name: longName });
    const slow = await stream(w, { 'x-chatcaptain-key': w.observerKey }, '', { paused: true });
    const fast = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    const start = Number((await fast.next()).id);
    // Loopback TCP buffers up to ~4 MB for a reader that stopped (a 4 MB send buffer and a
    // 128 KB receive window here); past that the server's own buffer grows and the limit bites.
    const flips = 14_000;
    for (let i = 1; i <= flips; i++) {
      await w.ctx.services.presence.setOwnStatus(w.chatbotId, agentId, 'flipper', { online: i % 2 === 1, clientTimestamp: Date.now() + i });
      // Updates arrive over time, as requests do, rather than in one turn of the event loop.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // 14,000 durable changes: about a minute on PostgreSQL, which commits each to disk; the wait is for that last event, however long a busy machine takes.
    const last = await fast.next((e) => Number(e.id) === start + flips, 240_000);
    assert.ok(last);
    const ids = fast.events.slice(1).map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      Array.from({ length: flips }, (_, i) => start + 1 + i),
      'the fast reader got every event, in order',
    );
    slow.resume();
    await slow.ended;
    assert.equal(slow.isEnded, true, 'the slow reader was disconnected');
    assert.ok(slow.events.length < fast.events.length, 'it was cut short');
    const dropped = (await w.ctx.app.metrics.slowStreamsDropped.get()).values[0]?.value ?? 0;
    assert.equal(dropped, 1, 'the drop is counted in inbox_stream_clients_dropped_total');
  });

  it('GET agents/online answers 304 to If-None-Match while nothing changed', async () => {
    w = await world();
    const url = `${w.base}${onlinePath(w.chatbotId)}`;
    const first = await fetch(url, { headers: { 'x-chatcaptain-key': w.observerKey } });
    const etag = first.headers.get('etag');
    assert.match(String(etag), /^"[A-Za-z0-9_-]{27}"$/);
    const again = await fetch(url, { headers: { 'x-chatcaptain-key': w.observerKey, 'if-none-match': etag! } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    await post(w, w.alice.key, true);
    const changed = await fetch(url, { headers: { 'x-chatcaptain-key': w.observerKey, 'if-none-match': etag! } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  it('refuses a 21st stream for one key with 429, and sends keep-alive comments', async () => {
    w = await world({}, { keepAliveSeconds: 0.3 });
    const open = [];
    for (let i = 0; i < 20; i++) open.push(await stream(w, { 'x-chatcaptain-key': w.observerKey }));
    const refused = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).code, 'too_many_streams');
    open[0]!.close();
    // Once the server has seen the close, a replacement is let in.
    await waitFor(async () => (await w.ctx.app.services.streams.openCount()) < 20);
    const replacement = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    assert.equal(replacement.status, 200);
    await eventually(() => assert.ok(replacement.comments.includes('keep-alive'), 'a comment line keeps idle streams open'));
  });

  it('announces members added and removed by another process (the admin CLI)', async () => {
    w = await world();
    const observer = await stream(w, { 'x-chatcaptain-key': w.observerKey });
    await observer.next();
    const outside = await openDatabase(w.ctx.databaseUrl);
    try {
      const services = createServices(outside, w.ctx.config, Date.now);
      const carol = await services.tenancy.createMemberAgent(CLI, { chatbotId: w.chatbotId, name: 'Carol' });
      const added = presenceData(await observer.next(forAgent(carol.id), 3000));
      assert.deepEqual({ name: added.name, online: added.online, connected: added.connected }, { name: 'Carol', online: false, connected: false });
      await services.tenancy.removeMember(CLI, { agentId: w.bob.id, chatbotId: w.chatbotId });
      const removed = presenceData(await observer.next(forAgent(w.bob.id), 3000));
      assert.equal(removed.removed, true);
    } finally {
      await outside.close();
    }
  });
});

describe('liveness per device at the default TTL and grace', () => {
  const defaults = loadConfig({});

  it("the console's pattern: a browser that streams and posts goes offline at its close + the grace, not its posts + the TTL; another device keeps its agent alive", async () => {
    assert.deepEqual([defaults.presenceTtlSeconds, defaults.presenceGraceSeconds], [150, 20], 'the defaults this test is about');
    const ctx = await createTestContext({ clock: 'real' });
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const chatbotId = await ctx.chatbot('Support');
    const ada = await ctx.agent(chatbotId, { name: 'Ada' });
    const bob = await ctx.agent(chatbotId, { name: 'Bob' });
    const adaBrowser = (await ctx.agentKey(ada)).key;
    const bobBrowser = (await ctx.agentKey(bob)).key;
    const bobPhone = (await ctx.agentKey(bob)).key;
    const observerKey = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
    const open: SseClient[] = [];
    const call = async (path: string, key: string, body?: object) => {
      const response = await fetch(`${base}/v1/inbox/${chatbotId}/agents/me/${path}`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      assert.equal(response.status, 200, await response.text());
    };
    try {
      const observer = await SseClient.open(`${base}${streamPath(chatbotId)}`, { 'x-chatcaptain-key': observerKey });
      open.push(observer);
      await observer.next();
      // Each browser holds its stream and posts what the console posts: its status and activity.
      for (const key of [adaBrowser, bobBrowser]) {
        const tab = await SseClient.open(`${base}${streamPath(chatbotId)}`, { 'x-chatcaptain-key': key });
        open.push(tab);
        await tab.next();
        await call('status', key, { status: 'available', clientTimestamp: String(Date.now()) });
        await call('activity', key);
      }
      await call('online', bobPhone, { online: true, clientTimestamp: String(Date.now()) });
      await observer.next((e) => e.event === 'presence' && presenceData(e).agentId === bob && (JSON.parse(e.data) as { devices: number }).devices === 2);

      const closedAt = Date.now();
      const seenBeforeClose = observer.events.length;
      for (const tab of open.slice(1)) tab.close();
      const adaOffline = await observer.next((e) => e.event === 'presence' && presenceData(e).agentId === ada && !presenceData(e).online, 25_000);
      const after = Date.now() - closedAt;
      assert.ok(after >= 19_500 && after <= 22_000, `Ada offline ${after} ms after her browser closed (grace 20,000 ms)`);
      assert.equal(JSON.parse(adaOffline.data).reason, 'no_sign_of_life');
      // Bob's browser ended at the same moment, in the same unit of work or the next: either order.
      const bobsBrowserEnded = (e: SseEvent) => e.event === 'presence' && presenceData(e).agentId === bob && (JSON.parse(e.data) as { devices: number }).devices === 1;
      const bobEntry = JSON.parse((observer.events.slice(seenBeforeClose).find(bobsBrowserEnded) ?? (await observer.next(bobsBrowserEnded, 3000))).data);
      assert.deepEqual([bobEntry.online, bobEntry.connected, bobEntry.state], [true, false, 'available'], 'his phone keeps Bob available');
    } finally {
      for (const client of open) client.close();
      await ctx.close();
    }
  });

  it('a browser that posts after its stream closed stays alive for the TTL from that post', async () => {
    const clock = new TestClock();
    const ctx = await createTestContext({ clock });
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const chatbotId = await ctx.chatbot('Support');
      const ada = await ctx.agent(chatbotId, { name: 'Ada' });
      const key = (await ctx.agentKey(ada)).key;
      const listed = async () => (await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key })).json().agents[0] as { online: boolean; devices: number; reason: string };
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(clock.now()) } });
      const tab = await SseClient.open(`${base}${streamPath(chatbotId)}`, { 'x-chatcaptain-key': key });
      await tab.next();
      clock.advance(60);
      tab.close();
      await waitFor(async () => (await ctx.database.db.selectFrom('stream_holders').selectAll().execute()).length === 0);
      clock.advance(19);
      assert.equal((await listed()).online, true, 'within the grace');
      clock.advance(1);
      const ended = await listed();
      assert.deepEqual([ended.online, ended.devices, ended.reason], [false, 0, 'no_sign_of_life'], 'the post before the close does not outlive the grace');
      clock.advance(5);
      await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/activity`, key });
      clock.advance(149);
      assert.equal((await listed()).online, true, 'a post after the close: alive for the TTL from it');
      clock.advance(1);
      assert.equal((await listed()).online, false);
    } finally {
      await ctx.close();
    }
  });
});

/** Waits until `check` holds (a state the service reaches asynchronously), up to 5 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail('the condition did not come about within 5 s');
}
