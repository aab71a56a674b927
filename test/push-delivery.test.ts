import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { createTestContext, expectError, meNotificationsPath, meOnlinePath, snapshotState, tempDir, type TestContext } from './helpers/context.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';
import { TestFcmService } from './helpers/fcm-service.js';
import { TestPushService } from './helpers/push-service.js';
import { freePort } from './helpers/redis.js';
import { SseClient } from './helpers/sse.js';

/** Push timing for tests: quick retries and polling, the real clock. */
const PUSH = { backoffBaseMillis: 200, backoffMaxMillis: 2_000, pollMillis: 100 };
const LOOPBACK_ENV = { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' };

const notifyPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/notifications`;

interface Agent {
  id: string;
  key: string;
}

/** A service on the real clock with one chatbot, a sending integration and the fake push service. */
async function world(env: Record<string, string> = {}, options: { database?: Awaited<ReturnType<typeof freshDatabase>>; push?: Partial<typeof PUSH>; logger?: unknown } = {}) {
  const ctx = await createTestContext({ clock: 'real', env: { ...LOOPBACK_ENV, ...env }, push: { ...PUSH, ...options.push }, database: options.database, logger: options.logger });
  const chatbotId = await ctx.chatbot();
  const sender = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
  return { ctx, chatbotId, sender };
}

async function agentIn(ctx: TestContext, chatbotId: string, online = true): Promise<Agent> {
  const id = await ctx.agent(chatbotId);
  const key = (await ctx.agentKey(id)).key;
  await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online, clientTimestamp: Date.now() } });
  return { id, key };
}

async function register(ctx: TestContext, chatbotId: string, agent: Agent, payload: object): Promise<string> {
  const response = await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key: agent.key, payload });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().deviceId as string;
}

async function notify(ctx: TestContext, chatbotId: string, key: string, payload: object, headers: Record<string, string> = {}) {
  return ctx.call({ method: 'POST', url: notifyPath(chatbotId), key, payload, headers });
}

async function report(ctx: TestContext, chatbotId: string, key: string, id: string) {
  const response = await ctx.call({ method: 'GET', url: `${notifyPath(chatbotId)}/${id}`, key });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** Polls the delivery report until `done` holds (deliveries settle asynchronously). */
async function settled(ctx: TestContext, chatbotId: string, key: string, id: string, done: (r: any) => boolean = (r) => r.summary.pending === 0, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await report(ctx, chatbotId, key, id);
    if (done(r)) return r;
    if (Date.now() > deadline) throw new Error(`deliveries did not settle: ${JSON.stringify(r.deliveries)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

describe('Web Push delivery', () => {
  let push: TestPushService;
  before(async () => {
    push = await TestPushService.start();
  });
  after(() => push.close());

  it('fans out to the audience minus muted and connected agents, encrypted and signed as RFC 8291/8292 say', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    push.expectedVapidKey = (await ctx.call({ method: 'GET', url: '/v1/push/vapid-public-key' })).json().publicKey;

    const plain = await agentIn(ctx, chatbotId);
    const muted = await agentIn(ctx, chatbotId);
    const watching = await agentIn(ctx, chatbotId);
    const watchingButWants = await agentIn(ctx, chatbotId);
    const away = await agentIn(ctx, chatbotId, false);
    const deviceless = await agentIn(ctx, chatbotId);
    const subs = new Map<string, ReturnType<TestPushService['subscribe']>[]>();
    for (const agent of [plain, muted, watching, watchingButWants, away]) {
      const list = [push.subscribe(), ...(agent === plain ? [push.subscribe()] : [])];
      subs.set(agent.id, list);
      for (const sub of list) await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    }
    await register(ctx, chatbotId, muted, { mutedTypes: ['conversation.new'] });
    await register(ctx, chatbotId, watchingButWants, { pushWhenConnected: true });
    const streams = [];
    for (const agent of [watching, watchingButWants]) {
      streams.push(await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': agent.key }));
    }
    try {
      const sent = await notify(ctx, chatbotId, sender, {
        type: 'conversation.new',
        title: 'New conversation',
        body: 'A visitor asks about delivery times',
        url: 'https://inbox.example.com/c/42',
        data: { conversationId: 42, tags: ['vip'] },
        urgency: 'high',
        ttlSeconds: 600,
      });
      assert.equal(sent.statusCode, 202, sent.body);
      const { id, deliveries } = sent.json();
      const byAgent = (agentId: string) => deliveries.filter((d: { agentId: string }) => d.agentId === agentId);
      assert.deepEqual(
        byAgent(plain.id).map((d: any) => d.state),
        ['pending', 'pending'],
        'one delivery per device',
      );
      assert.deepEqual(
        byAgent(muted.id).map((d: any) => [d.state, d.reason]),
        [['skipped', 'muted']],
      );
      assert.deepEqual(
        byAgent(watching.id).map((d: any) => [d.state, d.reason]),
        [['skipped', 'connected']],
      );
      assert.deepEqual(
        byAgent(watchingButWants.id).map((d: any) => d.state),
        ['pending'],
      );
      assert.deepEqual(
        byAgent(deviceless.id).map((d: any) => [d.state, d.reason, d.deviceId]),
        [['skipped', 'no_devices', null]],
      );
      assert.deepEqual(byAgent(away.id), [], 'an agent whose chosen status is offline is not in the "available" audience');

      const r = await settled(ctx, chatbotId, sender, id);
      assert.deepEqual(r.summary, { pending: 0, sent: 3, failed: 0, expired: 0, skipped: 3 });
      for (const d of r.deliveries.filter((d: any) => d.state === 'sent')) {
        assert.equal(d.attempts, 1);
        assert.ok(Date.parse(d.sentAt) > 0);
      }
      const expected = {
        id,
        type: 'conversation.new',
        title: 'New conversation',
        body: 'A visitor asks about delivery times',
        url: 'https://inbox.example.com/c/42',
        data: { conversationId: 42, tags: ['vip'] },
        priority: 'normal',
        collapseKey: null,
        chatbotId,
        createdAt: r.createdAt,
      };
      for (const sub of [...subs.get(plain.id)!, ...subs.get(watchingButWants.id)!]) {
        const got = push.delivered(sub.id);
        assert.equal(got.length, 1, 'exactly one push per device');
        assert.deepEqual(got[0]!.payload, expected, 'the decrypted payload is exactly the notification');
        assert.equal(got[0]!.headers.urgency, 'high');
        assert.equal(got[0]!.headers.topic, id.slice(0, 32), 'Topic from the notification, so a rare duplicate collapses');
        const ttl = Number(got[0]!.headers.ttl);
        assert.ok(ttl > 590 && ttl <= 600, `TTL is the time left: ${ttl}`);
      }
      for (const agent of [muted, watching, away]) for (const sub of subs.get(agent.id)!) assert.equal(push.attempts(sub.id).length, 0);
      assert.deepEqual(push.violations, []);
      const device = (await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: plain.key })).json().devices[0];
      assert.ok(device.lastSuccessAt, 'the device shows its last success');

      // "all" includes agents who chose offline; agentIds names exactly those.
      const all = (await notify(ctx, chatbotId, sender, { type: 'broadcast', title: 'Maintenance', body: 'Tonight', audience: 'all' })).json();
      assert.deepEqual(
        all.deliveries.filter((d: any) => d.agentId === away.id).map((d: any) => d.state),
        ['pending'],
      );
      const named = (await notify(ctx, chatbotId, sender, { type: 'broadcast', title: 'Hi', body: '', audience: { agentIds: [away.id] } })).json();
      assert.deepEqual(
        named.deliveries.map((d: any) => d.agentId),
        [away.id],
      );
      await settled(ctx, chatbotId, sender, named.id);
    } finally {
      for (const s of streams) s.close();
      push.expectedVapidKey = null;
    }
  });

  it('"send me a test notification" reaches only my own devices, whatever my settings, and is rate-limited', async () => {
    const { ctx, chatbotId } = await world();
    closers.push(() => ctx.close());
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const me = await agentIn(ctx, chatbotId);
    const colleague = await agentIn(ctx, chatbotId);
    const mine = [push.subscribe(), push.subscribe()];
    const theirs = push.subscribe();
    for (const sub of mine) await register(ctx, chatbotId, me, { pushSubscription: sub.json });
    await register(ctx, chatbotId, colleague, { pushSubscription: theirs.json });
    // Muted, do not disturb, and the console open: a normal push would skip all three.
    await register(ctx, chatbotId, me, { mutedTypes: ['inbox.test'] });
    await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key: me.key, payload: { status: 'dnd', clientTimestamp: Date.now() } });
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': me.key });
    try {
      const testPath = `/v1/inbox/${chatbotId}/agents/me/notifications/test`;
      const sent = await ctx.call({ method: 'POST', url: testPath, key: me.key });
      assert.equal(sent.statusCode, 202, sent.body);
      const { id, deliveries } = sent.json();
      assert.deepEqual(
        deliveries.map((d: any) => [d.agentId, d.state]),
        [
          [me.id, 'pending'],
          [me.id, 'pending'],
        ],
        'one delivery per device of mine, none for anyone else',
      );
      // The push service is shared by this suite's tests: wait for these two subscriptions' own pushes.
      const deadline = Date.now() + 10_000;
      while (!mine.every((sub) => push.delivered(sub.id).length > 0)) {
        if (Date.now() > deadline) throw new Error('the test notification did not reach both devices within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const sub of mine) {
        const [got] = push.delivered(sub.id);
        assert.deepEqual([got?.payload.id, got?.payload.type, got?.payload.title], [id, 'inbox.test', 'Test notification']);
      }
      assert.equal(push.attempts(theirs.id).length, 0, "a colleague's device gets nothing");
      assert.deepEqual(push.violations, []);
      // A chatbot key has no "me"; a sixth test within the minute is refused.
      expectError(await ctx.call({ method: 'POST', url: testPath, key: (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.*'])).key }), 403, 'key_not_bound_to_agent');
      for (let i = 0; i < 4; i++) assert.equal((await ctx.call({ method: 'POST', url: testPath, key: me.key })).statusCode, 202);
      const limited = await ctx.call({ method: 'POST', url: testPath, key: me.key });
      expectError(limited, 429, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
    } finally {
      stream.close();
    }
  });

  it('removes a device its push service calls gone (410, 404) and says so', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const gone = push.subscribe();
    const missing = push.subscribe();
    const alive = push.subscribe();
    push.script(gone.id, { status: 410 });
    push.script(missing.id, { status: 404 });
    for (const sub of [gone, missing, alive]) await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const r = await settled(ctx, chatbotId, sender, id);
    const failed = r.deliveries.filter((d: any) => d.state === 'failed');
    assert.equal(failed.length, 2);
    for (const d of failed) {
      assert.equal(d.reason, 'device_gone');
      assert.equal(d.attempts, 1, 'a permanent failure is not retried');
      assert.match(d.lastError, /answered (410|404).*the device was removed/);
    }
    const devices = (await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: agent.key })).json().devices;
    assert.equal(devices.length, 1, 'only the live device is left');
    assert.equal(push.attempts(gone.id).length, 1);
  });

  it('refuses at connect time a name that now resolves to a non-public address (DNS rebinding), and removes the device', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    const deviceId = await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    // A name that passed the check at registration and resolves to loopback now: the system
    // resolver's own "localhost" stands for it (127.0.0.1 is allowed in these tests; the name is not).
    const rebound = sub.json.endpoint.replace('127.0.0.1', 'localhost');
    assert.notEqual(rebound, sub.json.endpoint);
    await ctx.database.db.updateTable('push_devices').set({ address: rebound }).where('id', '=', deviceId).execute();
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const r = await settled(ctx, chatbotId, sender, id);
    assert.deepEqual(
      r.deliveries.map((d: any) => [d.state, d.reason, d.attempts]),
      [['failed', 'device_gone', 1]],
    );
    assert.match(r.deliveries[0].lastError, /localhost resolves to a non-public address \((127\.0\.0\.1|::1)\); refused.*the device was removed/);
    assert.equal(push.attempts(sub.id).length, 0, 'no request reached the address');
    assert.deepEqual((await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: agent.key })).json().devices, []);
  });

  it('retries after 429, waiting as long as Retry-After says', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    push.script(sub.id, { status: 429, retryAfter: '2' });
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const r = await settled(ctx, chatbotId, sender, id, undefined, 15_000);
    const [first, second] = push.attempts(sub.id);
    assert.equal(first!.status, 429);
    assert.equal(second!.status, 201);
    assert.ok(second!.at - first!.at >= 1_900, `the retry came ${second!.at - first!.at} ms later, Retry-After said 2 s`);
    assert.equal(r.deliveries[0].state, 'sent');
    assert.equal(r.deliveries[0].attempts, 2);
    assert.equal(push.attempts(sub.id).length, 2);
  });

  it('backs off on 500s with growing delays, then delivers', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    push.script(sub.id, { status: 500 }, { status: 503 }, { status: 500 });
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const r = await settled(ctx, chatbotId, sender, id);
    assert.deepEqual(
      r.deliveries.map((d: any) => [d.state, d.attempts, d.lastError]),
      [['sent', 4, null]],
    );
    const times = push.attempts(sub.id).map((p) => p.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Backoff base 200 ms doubling, with jitter between half and all of it: ≥100, ≥200, ≥400.
    assert.ok(gaps[0]! >= 90 && gaps[1]! >= 190 && gaps[2]! >= 390, `gaps ${gaps.join(', ')}`);
  });

  it('expires a delivery whose TTL runs out while the service keeps failing', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    push.script(sub.id, ...Array.from({ length: 20 }, () => ({ status: 503 })));
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B', ttlSeconds: 2 })).json();
    const r = await settled(ctx, chatbotId, sender, id);
    const [delivery] = r.deliveries;
    assert.equal(delivery.state, 'expired');
    // Whether the backoff saw the deadline coming or a retry came due after it, the error says
    // what the service answered, and only real attempts are counted.
    assert.match(delivery.lastError, /503.*the notification expired before another attempt/);
    const seen = push.attempts(sub.id);
    assert.ok(seen.length >= 2, `the service was tried ${seen.length} times in 2 s`);
    assert.ok(seen.every((attempt) => attempt.status === 503));
    assert.equal(delivery.attempts, seen.length);
  });

  it('a delivery whose next retry cannot come before the TTL stays pending without a next attempt, and expires when the TTL ends', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    push.script(sub.id, { status: 503, retryAfter: '30' });
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const started = Date.now();
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B', ttlSeconds: 3 })).json();
    const waiting = await settled(ctx, chatbotId, sender, id, (r) => r.deliveries[0].attempts === 1 && r.deliveries[0].lastError !== null);
    const [parked] = waiting.deliveries;
    if (Date.now() - started < 2_900) {
      assert.equal(parked.state, 'pending', 'not expired before the TTL ends');
      assert.equal(parked.nextAttemptAt, null, 'Retry-After 30 s leaves no attempt before the TTL');
      assert.match(parked.lastError, /503/);
    }
    const r = await settled(ctx, chatbotId, sender, id);
    assert.ok(Date.now() - started >= 3_000, 'expired once the TTL ran out, not earlier');
    assert.equal(r.deliveries[0].state, 'expired');
    assert.match(r.deliveries[0].lastError, /503.*the notification expired before another attempt/);
    assert.equal(push.attempts(sub.id).length, 1, 'Retry-After was respected: no second attempt');
  });

  it('a retry that would overshoot the TTL is made just before it instead', async () => {
    // Backoff from 60 s: the second attempt would come long after a 4 s TTL.
    const { ctx, chatbotId, sender } = await world({}, { push: { backoffBaseMillis: 60_000, backoffMaxMillis: 120_000 } });
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    push.script(sub.id, { status: 503 });
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B', ttlSeconds: 4 })).json();
    const pending = await settled(ctx, chatbotId, sender, id, (r) => r.deliveries[0].attempts === 1 && r.deliveries[0].lastError !== null);
    const due = Date.parse(pending.deliveries[0].nextAttemptAt);
    const expires = Date.parse(pending.expiresAt);
    assert.ok(due < expires && due >= expires - 1_000, `the report shows the last attempt due just before the TTL (${due} vs ${expires})`);
    const r = await settled(ctx, chatbotId, sender, id);
    assert.deepEqual([r.deliveries[0].state, r.deliveries[0].attempts, r.deliveries[0].nextAttemptAt], ['sent', 2, null]);
    const [first, second] = push.attempts(sub.id);
    assert.ok(second!.at - first!.at >= 2_000, 'the second attempt waited for the last moment, not the base backoff');
  });

  it('a push service that cannot be reached is logged at warn (once a minute per device, without the endpoint) and shown degraded in /readyz', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).trim().split('\n')) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const { ctx, chatbotId, sender } = await world({}, { logger: { level: 'warn', stream: sink } });
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const closedPort = await freePort();
    const sub = push.subscribe();
    const unreachable = { ...sub.json, endpoint: `http://127.0.0.1:${closedPort}/push/${sub.id}` };
    const deviceId = await register(ctx, chatbotId, agent, { pushSubscription: unreachable });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B', ttlSeconds: 600 })).json();
    const retrying = await settled(ctx, chatbotId, sender, id, (r) => r.deliveries[0].attempts >= 3);
    const [delivery] = retrying.deliveries;
    assert.equal(delivery.state, 'pending');
    assert.match(delivery.lastError, /no answer from the push service.*ECONNREFUSED/);
    assert.ok(Date.parse(delivery.nextAttemptAt) > Date.now() - 1_000, 'the report says when the next attempt is due');
    const warnings = lines.filter((line) => line.msg === 'a push to Web Push failed');
    assert.equal(warnings.length, 1, `${delivery.attempts} failed attempts, one warning this minute`);
    assert.deepEqual([warnings[0]!.device, warnings[0]!.host, warnings[0]!.service], [deviceId, `127.0.0.1:${closedPort}`, 'webpush']);
    assert.match(String(warnings[0]!.problem), /ECONNREFUSED/);
    const logged = JSON.stringify(lines);
    for (const secret of [sub.id, sub.json.keys.p256dh, sub.json.keys.auth]) assert.ok(!logged.includes(secret), 'no endpoint path or key in the logs');
    const readiness = await ctx.call({ method: 'GET', url: '/readyz' });
    assert.equal(readiness.statusCode, 200, 'still ready: the API works');
    assert.match(readiness.json().details.push.webpush, /^degraded: \d+ of the last \d+ sends failed; the last failure: no answer from the push service.*ECONNREFUSED/);
  });

  it('a notification that expires before its first attempt is expired untried', async () => {
    const database = await freshDatabase();
    // Queued by an API-only instance; the only worker starts after the TTL ran out.
    const { ctx, chatbotId, sender } = await world({ PUSH_WORKER: 'false' }, { database });
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B', ttlSeconds: 1 })).json();
    const expiresAt = Date.parse((await report(ctx, chatbotId, sender, id)).expiresAt);
    await ctx.close({ keepFiles: true });
    // Down until the notification's TTL has passed (the moment itself, not a margin).
    while (Date.now() <= expiresAt) await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 1));
    const late = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: PUSH, database });
    closers.push(() => late.close());
    const r = await settled(late, chatbotId, sender, id);
    assert.deepEqual(
      r.deliveries.map((d: any) => [d.state, d.attempts, d.lastError]),
      [['expired', 0, 'the notification expired before it could be delivered']],
    );
    assert.equal(push.attempts(sub.id).length, 0);
  });

  it('marks the configuration broken in /readyz when the push service refuses our VAPID key (403)', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    push.expectedVapidKey = 'BAnotTheKeyThisServiceSignsWith';
    try {
      const agent = await agentIn(ctx, chatbotId);
      const sub = push.subscribe();
      await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
      const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
      const r = await settled(ctx, chatbotId, sender, id);
      assert.deepEqual(
        r.deliveries.map((d: any) => [d.state, d.reason]),
        [['failed', 'configuration']],
      );
      const ready = await ctx.call({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 200, 'the instance still serves the API');
      assert.match(ready.json().details.push.webpush, /^broken since .*VAPID.*403/);
      assert.equal((await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: agent.key })).json().devices.length, 1, 'the device is kept');
    } finally {
      push.expectedVapidKey = null;
    }
  });

  it('Idempotency-Key: a retried call answers as the first and sends nothing twice; another body is 409', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const body = { type: 'x', title: 'Once', body: 'only once', data: { b: 1, a: 2 } };
    const first = await notify(ctx, chatbotId, sender, body, { 'idempotency-key': 'order-7-assigned' });
    assert.equal(first.statusCode, 202);
    const again = await notify(ctx, chatbotId, sender, { ...body, data: { a: 2, b: 1 } }, { 'idempotency-key': 'order-7-assigned' });
    assert.equal(again.statusCode, 202);
    assert.deepEqual(again.json(), first.json(), 'the first answer, replayed (key order in the body does not matter)');
    const racing = await Promise.all(Array.from({ length: 5 }, () => notify(ctx, chatbotId, sender, body, { 'idempotency-key': 'raced' })));
    assert.equal(new Set(racing.map((r) => r.json().id)).size, 1, 'concurrent calls with one key make one notification');
    await settled(ctx, chatbotId, sender, racing[0]!.json().id);
    await settled(ctx, chatbotId, sender, first.json().id);
    assert.equal(push.delivered(sub.id).length, 2, 'one push per notification');

    const before = await snapshotState(ctx.database);
    const reused = await notify(ctx, chatbotId, sender, { ...body, title: 'Different' }, { 'idempotency-key': 'order-7-assigned' });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().code, 'idempotency_key_reused');
    assert.equal(await snapshotState(ctx.database), before);
  });

  it('bad notify input: 400 with {error, code} and nothing stored or sent', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const sub = push.subscribe();
    await register(ctx, chatbotId, agent, { pushSubscription: sub.json });
    const stranger = await ctx.agent(await ctx.chatbot());
    const cases: Array<[object, string, RegExp, Record<string, string>?]> = [
      [{ type: 'x', title: 'T', body: 'x'.repeat(3000), data: { blob: 'y'.repeat(1200) } }, 'payload_too_large', /4096-byte limit.*shorten/],
      [{ title: 'T', body: 'B' }, 'invalid_request', /type is required/],
      [{ type: 'Has Spaces', title: 'T', body: 'B' }, 'invalid_request', /type must be an event type/],
      [{ type: 'x', title: '', body: 'B' }, 'invalid_request', /title must be/],
      [{ type: 'x', title: 'T', body: 'B', audience: 'everyone' }, 'invalid_request', /audience must be/],
      [{ type: 'x', title: 'T', body: 'B', audience: { agentIds: [stranger] } }, 'invalid_request', /not members: ag_/],
      [{ type: 'x', title: 'T', body: 'B', ttlSeconds: 0 }, 'invalid_request', /ttlSeconds must be/],
      [{ type: 'x', title: 'T', body: 'B', urgency: 'urgent' }, 'invalid_request', /urgency must be one of/],
      [{ type: 'x', title: 'T', body: 'B', collapseKey: 'has space' }, 'invalid_request', /collapseKey must be/],
      [{ type: 'x', title: 'T', body: 'B', url: 'javascript:alert(1)' }, 'invalid_request', /url must be/],
      [{ type: 'x', title: 'T', body: 'B', url: 'data:text/html,<b>hi</b>' }, 'invalid_request', /url must be/],
      [{ type: 'x', title: 'T', body: 'B', url: '//evil.example/login' }, 'invalid_request', /single "\/"/],
      [{ type: 'x', title: 'T', body: 'B', url: '/\\evil.example/login' }, 'invalid_request', /url must be/],
      [{ type: 'x', title: 'T', body: 'B', url: 'conversations/1' }, 'invalid_request', /url must be/],
      [{ type: 'x', title: 'T', body: 'B', data: [1, 2] }, 'invalid_request', /data must be a JSON object/],
      [{ type: 'x', title: 'T', body: 'B' }, 'invalid_request', /Idempotency-Key header must be/, { 'idempotency-key': 'ü'.repeat(3) }],
    ];
    const before = await snapshotState(ctx.database);
    for (const [payload, code, says, headers] of cases) {
      const response = await notify(ctx, chatbotId, sender, payload, headers);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.deepEqual(Object.keys(response.json()).sort(), ['code', 'error']);
      assert.equal(response.json().code, code, response.body);
      assert.match(response.json().error, says);
    }
    assert.equal(await snapshotState(ctx.database), before);
    // A valid notification after them is the marker: once it has arrived, a push of a refused one would have come first.
    const marker = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'Marker', body: 'B' })).json();
    await settled(ctx, chatbotId, sender, marker.id);
    assert.deepEqual(
      push.attempts(sub.id).map((attempt) => attempt.payload.id),
      [marker.id],
      'the device was sent the marker only',
    );
  });

  it('sending is for integrations and admins: an agent key is refused; another chatbot’s notification is 404', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const refused = await notify(ctx, chatbotId, agent.key, { type: 'x', title: 'T', body: 'B' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'permission_denied');
    const admin = await ctx.agent(chatbotId, { role: 'admin' });
    const adminKey = (await ctx.agentKey(admin)).key;
    assert.equal((await notify(ctx, chatbotId, adminKey, { type: 'x', title: 'T', body: 'B' })).statusCode, 202);
    const listOnly = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
    assert.equal((await notify(ctx, chatbotId, listOnly, { type: 'x', title: 'T', body: 'B' })).statusCode, 403);
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const otherBot = await ctx.chatbot();
    const otherKey = (await ctx.chatbotKey(otherBot, ['chatbots.inbox.notifications.send'])).key;
    const foreign = await ctx.call({ method: 'GET', url: `${notifyPath(otherBot)}/${id}`, key: otherKey });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().code, 'not_found');
  });

  it('a restart resumes pending deliveries: each is delivered exactly once', async () => {
    const database = await freshDatabase();
    // An API-only instance queues notifications; nothing is sent while it runs.
    const first = await world({ PUSH_WORKER: 'false' }, { database });
    const agents = [];
    const subs = [];
    for (let i = 0; i < 5; i += 1) {
      const agent = await agentIn(first.ctx, first.chatbotId);
      agents.push(agent);
      for (let j = 0; j < 3; j += 1) {
        const sub = push.subscribe({ delayMs: 30 });
        subs.push(sub);
        await register(first.ctx, first.chatbotId, agent, { pushSubscription: sub.json });
      }
    }
    const ids = [];
    for (let n = 0; n < 4; n += 1) ids.push((await notify(first.ctx, first.chatbotId, first.sender, { type: 'x', title: `N${n}`, body: 'B' })).json().id);
    await first.ctx.close({ keepFiles: true });
    // Closed, it can send nothing more: what it sent is final.
    assert.equal(
      subs.reduce((sum, sub) => sum + push.attempts(sub.id).length, 0),
      0,
      'an API-only instance sends nothing',
    );

    // A full instance on the same database sends them; it is stopped while pushes are in
    // flight, and a third finishes the rest.
    const second = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: { ...PUSH, concurrency: 4 }, database });
    while (subs.reduce((sum, sub) => sum + push.delivered(sub.id).length, 0) < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    await second.close({ keepFiles: true });
    const third = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: PUSH, database });
    closers.push(() => third.close());
    for (const id of ids) await settled(third, first.chatbotId, first.sender, id);
    for (const sub of subs) {
      const got = push.delivered(sub.id).map((p) => p.payload.id);
      assert.deepEqual([...got].sort(), [...ids].sort(), `subscription ${sub.id} got each notification once`);
    }
    for (const id of ids) assert.equal((await report(third, first.chatbotId, first.sender, id)).summary.sent, 15);
  });
});

describe('FCM delivery', () => {
  let fcm: TestFcmService;
  before(async () => {
    fcm = await TestFcmService.start();
  });
  after(() => fcm.close());

  it('sends through messages:send with a cached OAuth2 token, and removes dead tokens', async () => {
    const { ctx, chatbotId, sender } = await world(fcm.env(tempDir()));
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    const tokens = { good: 'fcm-good-token', unregistered: 'fcm-unregistered', invalid: 'fcm-invalid', mismatch: 'fcm-mismatch', busy: 'fcm-busy' };
    fcm.script(tokens.unregistered, 'UNREGISTERED');
    fcm.script(tokens.invalid, 'INVALID_TOKEN');
    fcm.script(tokens.mismatch, 'SENDER_ID_MISMATCH');
    fcm.script(tokens.busy, 'UNAVAILABLE', 'QUOTA_EXCEEDED');
    for (const token of Object.values(tokens)) await register(ctx, chatbotId, agent, { pushToken: token });
    const { id } = (
      await notify(ctx, chatbotId, sender, { type: 'conversation.new', title: 'New chat', body: 'Hello', url: 'https://inbox.example.com/c/1', collapseKey: 'conv-1' })
    ).json();
    const r = await settled(ctx, chatbotId, sender, id);
    assert.deepEqual(r.summary, { pending: 0, sent: 2, failed: 3, expired: 0, skipped: 0 });
    for (const d of r.deliveries.filter((d: any) => d.state === 'failed')) {
      assert.equal(d.reason, 'device_gone');
      assert.match(d.lastError, /FCM answered (404 UNREGISTERED|400 INVALID_ARGUMENT|403 SENDER_ID_MISMATCH).*the device was removed/);
    }
    const settings = (await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: agent.key })).json();
    assert.equal(settings.devices.length, 2, 'the three dead tokens are gone');
    const [message] = fcm.delivered(tokens.good);
    assert.deepEqual(message!.message.webpush.notification, { title: 'New chat', body: 'Hello', tag: 'conv-1' });
    assert.deepEqual(message!.message.webpush.fcm_options, { link: 'https://inbox.example.com/c/1' });
    assert.equal(message!.message.webpush.headers.Topic, 'conv-1');
    assert.equal(message!.message.webpush.headers.Urgency, 'normal');
    assert.equal(JSON.parse(message!.message.webpush.data.payload).id, id);
    assert.equal(fcm.delivered(tokens.busy).length, 1, 'retried after 503 and 429, then sent');
    assert.equal(fcm.tokenRequests, 1, 'one access token for all sends');
    assert.deepEqual(fcm.violations, []);
    assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).json().details.push.fcm, 'ok');
  });

  it('a refused service account shows as broken in /readyz and clears after a success', async () => {
    fcm.refuseGrants = true;
    const { ctx, chatbotId, sender } = await world(fcm.env(tempDir()));
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    await register(ctx, chatbotId, agent, { pushToken: 'fcm-token-x' });
    const { id } = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    const r = await settled(ctx, chatbotId, sender, id);
    assert.deepEqual(
      r.deliveries.map((d: any) => [d.state, d.reason]),
      [['failed', 'configuration']],
    );
    assert.match((await ctx.call({ method: 'GET', url: '/readyz' })).json().details.push.fcm, /broken since .*token endpoint \(400\)/);
    fcm.refuseGrants = false;
    const next = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    await settled(ctx, chatbotId, sender, next.id);
    assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).json().details.push.fcm, 'ok');
  });

  it('without a service account, FCM devices are skipped with the reason', async () => {
    const { ctx, chatbotId, sender } = await world();
    closers.push(() => ctx.close());
    const agent = await agentIn(ctx, chatbotId);
    await register(ctx, chatbotId, agent, { pushToken: 'fcm-token-y' });
    const sent = (await notify(ctx, chatbotId, sender, { type: 'x', title: 'T', body: 'B' })).json();
    assert.deepEqual(
      sent.deliveries.map((d: any) => [d.state, d.reason]),
      [['skipped', 'fcm_not_configured']],
    );
    assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).json().details.push.fcm, 'not configured');
  });
});

describe('several instances', () => {
  const reason = TEST_DIALECT === 'postgres' ? false : 'needs PostgreSQL: instances share the outbox through FOR UPDATE SKIP LOCKED claims (runs in the PostgreSQL half)';

  it('two instances on PostgreSQL share the outbox and send nothing twice', { skip: reason }, async () => {
    const push = await TestPushService.start();
    closers.push(() => push.close());
    const database = await freshDatabase();
    const settings = { ...PUSH, concurrency: 8, pollMillis: 200 };
    const a = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: settings, database });
    const b = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: settings, database });
    closers.push(() => a.close());
    closers.push(() => b.close({ keepFiles: true }));
    const chatbotId = await a.chatbot();
    const sender = (await a.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
    const subs = [];
    for (let i = 0; i < 10; i += 1) {
      const agent = await agentIn(a, chatbotId);
      for (let j = 0; j < 10; j += 1) {
        const sub = push.subscribe({ delayMs: 10 });
        subs.push(sub);
        await register(a, chatbotId, agent, { pushSubscription: sub.json });
      }
    }
    const ids = [];
    for (let n = 0; n < 3; n += 1) ids.push((await notify(a, chatbotId, sender, { type: 'x', title: `N${n}`, body: 'B' })).json().id);
    await push.waitForDelivered(300, 20_000);
    for (const id of ids) await settled(b, chatbotId, sender, id);
    // Both workers stopped (each waits for its sends in flight): the count is final.
    await a.app.push.worker.stop();
    await b.app.push.worker.stop();
    assert.equal(push.received.length, 300, 'no push was sent twice');
    for (const sub of subs)
      assert.deepEqual(
        push
          .delivered(sub.id)
          .map((p) => p.payload.id)
          .sort(),
        [...ids].sort(),
      );
    const sentBy = [a.app.push.worker.stats.sent, b.app.push.worker.stats.sent];
    assert.equal(sentBy[0]! + sentBy[1]!, 300);
    assert.ok(sentBy[0]! > 0 && sentBy[1]! > 0, `both instances sent some: ${sentBy.join(' + ')}`);
    assert.deepEqual(push.violations, []);
  });
});
