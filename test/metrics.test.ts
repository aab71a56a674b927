import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
// @ts-expect-error parse-prometheus-text-format ships no types
import parsePrometheus from 'parse-prometheus-text-format';
import { createTestContext, meNotificationsPath, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';
import { TEST_DIALECT } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';
import { TestPushService } from './helpers/push-service.js';
import { SseClient } from './helpers/sse.js';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; count?: string; labels?: Record<string, string> }>;
}

const TOKEN = 'metrics-token-for-tests-0123456789';

/** One sample of a family (matching the labels given), as a number; 0 when absent. */
function sample(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!metric) return 0;
  return Number(family!.type === 'HISTOGRAM' ? metric.count : metric.value);
}

describe('metrics', () => {
  let ctx: TestContext;
  let base: string;
  let push: TestPushService;

  before(async () => {
    push = await TestPushService.start();
    ctx = await createTestContext({
      clock: 'real',
      env: { METRICS_TOKEN: TOKEN, PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1', RATE_LIMIT_SETTINGS: '3/60s' },
      push: { pollMillis: 100 },
    });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await ctx.close();
    await push.close();
  });

  const scrape = async (): Promise<Family[]> => {
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await response.text()) as Family[];
  };

  it('needs the bearer token on the main port, compared in constant time', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-of-the-same-length-xx', `Bearer ${TOKEN}x`, TOKEN]) {
      const response = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
      assert.equal(response.status, 401);
      assert.deepEqual(Object.keys((await response.json()) as object).sort(), ['code', 'error']);
    }
  });

  it('move as the service works: requests by route and status, events, streams, pushes, rate limits, outbox, process', async () => {
    const chatbotId = await ctx.chatbot();
    const agentId = await ctx.agent(chatbotId);
    const { key } = await ctx.agentKey(agentId);
    const route = '/v1/inbox/:chatbotId/agents/online';
    const before = await scrape();

    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}${onlinePath(chatbotId)}`, { headers: { 'x-chatcaptain-key': key } })).status, 200);
    assert.equal((await fetch(`${base}${onlinePath(chatbotId)}`)).status, 401);
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': key });
    await stream.next((event) => event.event === 'snapshot');
    const posted = await fetch(`${base}${meOnlinePath(chatbotId)}`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ online: true, clientTimestamp: Date.now() }),
    });
    assert.equal(posted.status, 200);
    await stream.next((event) => event.event === 'presence' && JSON.parse(event.data).online === true);

    // A push delivered, and a settings route limited to 3 per minute refusing the 4th.
    push.expectedVapidKey = ((await (await fetch(`${base}/v1/push/vapid-public-key`)).json()) as { publicKey: string }).publicKey;
    const subscription = push.subscribe();
    const settingsCall = (body: object) =>
      fetch(`${base}${meNotificationsPath(chatbotId)}`, { method: 'POST', headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await settingsCall({ pushSubscription: subscription.json, pushWhenConnected: true })).status, 200);
    const sender = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
    const notified = await fetch(`${base}/v1/inbox/${chatbotId}/notifications`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': sender, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'conversation.new', title: 'T', body: 'B' }),
    });
    assert.equal(notified.status, 202);
    await push.waitForDelivered(1);
    assert.equal((await settingsCall({})).status, 200);
    assert.equal((await settingsCall({})).status, 200);
    assert.equal((await settingsCall({})).status, 429);
    // A push sent is recorded with the others sent within 10 ms (one transaction): until then it is pending.
    await eventually(async () => assert.equal(sample(await scrape(), 'inbox_outbox_pending'), 0, 'the push recorded sent'));

    const now = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(now, name, labels) - sample(before, name, labels);
    assert.equal(moved('http_requests_total', { method: 'GET', route, status: '200' }), 3);
    assert.equal(moved('http_requests_total', { method: 'GET', route, status: '401' }), 1);
    const durations = now.find((f) => f.name === 'http_request_duration_seconds');
    assert.equal(durations?.type, 'HISTOGRAM', 'durations are a histogram');
    assert.ok(moved('inbox_presence_events_total') >= 2, 'connected, then online, were announced');
    assert.equal(sample(now, 'inbox_open_streams'), 1);
    stream.close();
    assert.equal(moved('inbox_push_deliveries_total', { kind: 'webpush', outcome: 'sent' }), 1);
    assert.equal(moved('inbox_rate_limited_total', { class: 'settings' }), 1);
    assert.equal(sample(now, 'inbox_outbox_pending'), 0);
    assert.ok(now.some((f) => f.name === 'inbox_outbox_oldest_due_age_seconds'));
    assert.ok(sample(now, 'process_cpu_seconds_total') > 0, 'default process metrics');
    assert.ok(
      now.some((f) => f.name === 'nodejs_eventloop_lag_seconds'),
      'event-loop lag',
    );
    if (TEST_DIALECT === 'postgres')
      assert.ok(
        now.some((f) => f.name === 'inbox_db_pool_connections'),
        'the pool, on PostgreSQL',
      );
  });
});

describe('metrics exposure', () => {
  it('without METRICS_TOKEN or METRICS_PORT, /metrics does not exist on the main port', async () => {
    const ctx = await createTestContext();
    const response = await ctx.call({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'not_found');
    await ctx.close();
  });

  it('with METRICS_PORT, they are served on that port and not on the main one', async () => {
    const ctx = await createTestContext({ env: { METRICS_PORT: '0' } });
    const address = ctx.app.metricsServer!.address();
    assert.ok(address && typeof address === 'object');
    assert.equal(address.address, '127.0.0.1', 'bound to METRICS_HOST, loopback by default');
    const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    assert.equal(response.status, 200);
    const families = parsePrometheus(await response.text()) as Family[];
    assert.ok(families.some((f) => f.name === 'http_request_duration_seconds'));
    assert.equal((await fetch(`http://127.0.0.1:${address.port}/other`)).status, 404);
    assert.equal((await ctx.call({ method: 'GET', url: '/metrics' })).statusCode, 404);
    await ctx.close();
  });
});
