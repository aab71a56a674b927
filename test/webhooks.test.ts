import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createTestContext, expectError } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver as an integration runs one: it verifies every message with the Standard Webhooks reference library. */
class Receiver {
  readonly received: Array<{ id: string; body: { type: string; data: { chatbotId: string; agent: { agentId: string; state: string; reason: string } } } }> = [];
  secret = '';
  /** Answers to give, in order, before answering 204: a status, or a status with headers. */
  readonly script: Array<number | { status: number; headers: Record<string, string> }> = [];
  /** When each request arrived (epoch ms). */
  readonly arrivals: number[] = [];
  private constructor(readonly server: Server) {}

  static async start(): Promise<Receiver> {
    let receiver!: Receiver;
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      receiver.arrivals.push(Date.now());
      request.on('end', () => {
        const next = receiver.script.shift() ?? 204;
        const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
        if (status < 300) {
          // Throws on a bad signature, an old timestamp or a missing header: the test then fails.
          const verified = new Webhook(receiver.secret).verify(body, request.headers as Record<string, string>) as Receiver['received'][number]['body'];
          receiver.received.push({ id: String(request.headers['webhook-id']), body: verified });
        }
        response.writeHead(status, headers).end();
      });
    });
    receiver = new Receiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/inbox`;
  }
  async waitFor(count: number, timeoutMs = 8000): Promise<void> {
    const started = Date.now();
    while (this.received.length < count) {
      if (Date.now() - started > timeoutMs) assert.fail(`expected ${count} messages, got ${this.received.length}`);
      await sleep(50);
    }
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('webhooks for integrations', () => {
  it('signs each change as Standard Webhooks says, retries after a 503, lists attempts, and a debounced flap sends nothing', async () => {
    const receiver = await Receiver.start();
    const debounced = await Receiver.start();
    const ctx = await createTestContext({ clock: 'real', env: { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1', PRESENCE_TTL_SECONDS: '0' } }).catch(
      async (error: unknown) => {
        await receiver.close();
        await debounced.close();
        throw error;
      },
    );
    try {
      const chatbotId = await ctx.chatbot('Support');
      const aliceId = await ctx.agent(chatbotId, { name: 'Alice' });
      const alice = (await ctx.agentKey(aliceId)).key;
      const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.webhooks.edit'])).key;
      const register = (payload: object) => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration, payload });
      const made = await register({ url: receiver.url });
      assert.equal(made.statusCode, 201, made.body);
      assert.match(made.json().secret, /^whsec_[A-Za-z0-9+/]{32}$/);
      receiver.secret = made.json().secret;
      const slow = await register({ url: debounced.url, debounceSeconds: 1 });
      debounced.secret = slow.json().secret;
      const listed = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration })).json().items;
      assert.deepEqual(
        listed.map((hook: Record<string, unknown>) => Object.keys(hook).sort()),
        [
          ['createdAt', 'debounceSeconds', 'id', 'url'],
          ['createdAt', 'debounceSeconds', 'id', 'url'],
        ],
        'no secret in the list',
      );

      receiver.script.push(503);
      const setStatus = (body: object) =>
        ctx.call({
          method: 'POST',
          url: `/v1/inbox/${chatbotId}/agents/me/${'online' in body ? 'online' : 'status'}`,
          key: alice,
          payload: { clientTimestamp: String(Date.now()), ...body },
        });
      assert.equal((await setStatus({ online: true })).statusCode, 200);
      await receiver.waitFor(1);
      assert.deepEqual(
        [receiver.received[0]!.body.type, receiver.received[0]!.body.data.chatbotId, receiver.received[0]!.body.data.agent.agentId, receiver.received[0]!.body.data.agent.state],
        ['agent.availability.changed', chatbotId, aliceId, 'available'],
      );
      // The receiver has the message before the worker has recorded its answer: wait for the record.
      const deliveriesOf = async () => (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks/${made.json().id}/deliveries`, key: integration })).json().items;
      let deliveries = await deliveriesOf();
      await eventually(async () => {
        deliveries = await deliveriesOf();
        assert.notEqual(deliveries[0].state, 'pending');
      });
      assert.deepEqual(
        [deliveries[0].state, deliveries[0].attempts, deliveries[0].lastStatus, deliveries[0].id],
        ['sent', 2, 204, receiver.received[0]!.id],
        'the 503 was retried under the same webhook-id',
      );

      await debounced.waitFor(1, 4000);
      assert.equal(debounced.received[0]!.body.data.agent.state, 'available', 'the debounced hook got the change once the second passed');
      // A flap inside the window: away and back. The plain hook hears both; the debounced one nothing.
      await setStatus({ status: 'away' });
      await setStatus({ status: 'available' });
      await receiver.waitFor(3);
      assert.deepEqual(
        receiver.received.slice(1).map((message) => message.body.data.agent.state),
        ['away', 'available'],
      );
      // The marker that the debounce window has passed: the flap's message is settled, skipped as unchanged.
      await eventually(async () => {
        const latest = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks/${slow.json().id}/deliveries`, key: integration })).json().items[0];
        assert.deepEqual([latest.state, latest.reason], ['skipped', 'unchanged']);
      });
      assert.equal(debounced.received.length, 1, 'a flap inside the debounce window sends nothing');
    } finally {
      await ctx.close();
      await receiver.close();
      await debounced.close();
    }
  });

  it('wakes the webhook worker after a change that queued messages, and not after changes in a chatbot without webhooks', async () => {
    const ctx = await createTestContext({ env: { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' } });
    try {
      let wakes = 0;
      ctx.services.webhookOutbox.onQueued(() => wakes++);
      const quiet = await ctx.chatbot('Quiet');
      const hooked = await ctx.chatbot('Hooked');
      const integration = (await ctx.chatbotKey(hooked, ['chatbots.webhooks.edit'])).key;
      const made = await ctx.call({ method: 'POST', url: `/v1/inbox/${hooked}/webhooks`, key: integration, payload: { url: 'http://127.0.0.1:9/hooks' } });
      assert.equal(made.statusCode, 201, made.body);
      const keys = { quiet: (await ctx.agentKey(await ctx.agent(quiet))).key, hooked: (await ctx.agentKey(await ctx.agent(hooked))).key };
      const online = async (chatbotId: string, key: string, value: boolean) => {
        ctx.clock.advance(1);
        const answer = await ctx.call({
          method: 'POST',
          url: `/v1/inbox/${chatbotId}/agents/me/online`,
          key,
          payload: { online: value, clientTimestamp: String(ctx.clock.now()) },
        });
        assert.equal(answer.statusCode, 200, answer.body);
      };
      wakes = 0;
      await online(quiet, keys.quiet, true);
      await online(quiet, keys.quiet, false);
      assert.equal(wakes, 0, 'changes announced in a chatbot without webhooks queue nothing');
      await online(hooked, keys.hooked, true);
      assert.equal(wakes, 1, 'one change, one wake');
    } finally {
      await ctx.close();
    }
  });

  it('refuses private targets and bad settings, and only keys holding chatbots.webhooks.edit manage them', async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot('Support');
      const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.webhooks.edit'])).key;
      const cases: Array<[object, RegExp]> = [
        [{ url: 'https://10.0.0.8/hook' }, /url must be on a public address/],
        [{ url: 'https://localhost/hook' }, /url must be on a public host/],
        [{ url: 'http://example.com/hook' }, /url must be an https:\/\/ URL/],
        [{ url: 'hook' }, /url must be an absolute URL/],
        [{ url: 'https://example.com/hook', debounceSeconds: 301 }, /debounceSeconds must be a whole number from 0 to 300/],
        [{ url: 'https://example.com/hook', events: ['all'] }, /events is not a field of this body/],
        [{}, /url is required/],
      ];
      for (const [payload, message] of cases) {
        const response = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration, payload });
        expectError(response, 400, 'invalid_request');
        assert.match(response.json().error, message, JSON.stringify(payload));
      }
      assert.deepEqual((await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration })).json().items, []);
      const agent = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
      expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks`, key: agent }), 403, 'permission_denied');
      expectError(await ctx.call({ method: 'DELETE', url: `/v1/inbox/${chatbotId}/webhooks/whk_nothing`, key: integration }), 404, 'not_found');
    } finally {
      await ctx.close();
    }
  });

  it('the 10 webhooks per chatbot hold under concurrency: 60 adds at once keep 10, the others refused', async () => {
    const ctx = await createTestContext({ env: { RATE_LIMIT_ADMIN: '1000/60s' } });
    try {
      const chatbotId = await ctx.chatbot();
      const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.webhooks.edit'])).key;
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration, payload: { url: `https://hooks.example.com/${i}` } }),
        ),
      );
      const stored = await ctx.database.db.selectFrom('webhooks').select('id').where('chatbot_id', '=', chatbotId).execute();
      assert.equal(stored.length, 10);
      assert.equal(answers.filter((answer) => answer.statusCode === 201).length, 10);
      for (const refused of answers.filter((answer) => answer.statusCode !== 201)) {
        expectError(refused, 400, 'invalid_request');
        assert.match(refused.json().error, /at most 10 webhooks/);
      }
    } finally {
      await ctx.close();
    }
  });

  it('honours Retry-After as pushes do: a 429 asking for 3 s is retried no sooner (the backoff alone would retry within 1 s)', async () => {
    const receiver = await Receiver.start();
    const ctx = await createTestContext({ clock: 'real', env: { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' } });
    try {
      const chatbotId = await ctx.chatbot();
      const agentKey = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
      const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.webhooks.edit'])).key;
      const made = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration, payload: { url: receiver.url } });
      receiver.secret = made.json().secret;
      receiver.script.push({ status: 429, headers: { 'retry-after': '3' } });
      await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/online`, key: agentKey, payload: { online: true, clientTimestamp: String(Date.now()) } });
      await receiver.waitFor(1, 15_000);
      assert.equal(receiver.arrivals.length, 2, 'refused once, then delivered');
      assert.ok(receiver.arrivals[1]! - receiver.arrivals[0]! >= 2_900, `retried ${receiver.arrivals[1]! - receiver.arrivals[0]!} ms after the 429`);
    } finally {
      await ctx.close();
      await receiver.close();
    }
  });
});
