import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createTestContext, expectError, meOnlinePath, type TestContext } from './helpers/context.js';
import { SseClient } from './helpers/sse.js';

const assignPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/assignments`;

/**
 * A chat that becomes an agent's, or stops being theirs, is announced once on the stream and to
 * the webhooks (assignment.created, assignment.transferred, assignment.released), with the
 * integration's title and preview, so neither an integration nor a console has to poll.
 */
describe('assignments are announced: created, transferred, released', () => {
  let ctx: TestContext;
  let base: string;
  let chatbotId: string;
  let integration: string;
  const agents: Record<string, { id: string; key: string }> = {};

  before(async () => {
    ctx = await createTestContext({ clock: 'real', env: { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' } });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    chatbotId = await ctx.chatbot();
    integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.edit', 'chatbots.inbox.assignments.read', 'chatbots.inbox.agents.list', 'chatbots.webhooks.edit']))
      .key;
    for (const name of ['Ada', 'Linus']) {
      const id = await ctx.agent(chatbotId, { name });
      const key = (await ctx.agentKey(id)).key;
      assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: Date.now() } })).statusCode, 200);
      agents[name] = { id, key };
    }
  });
  after(() => ctx.close());

  const assign = (payload: object) => ctx.call({ method: 'POST', url: assignPath(chatbotId), key: integration, payload });

  it('assigned: announced once on the stream as assignment.created with title and preview; a retry announces nothing; the list shows them', async () => {
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((event) => event.event === 'snapshot');
      const made = await assign({ conversationId: 'conv-new-1', preferredAgentId: agents.Ada!.id, title: 'Billing question', preview: 'Hello,\nmy invoice is wrong' });
      assert.equal(made.statusCode, 201, made.body);
      const event = await stream.next((frame) => frame.event.startsWith('assignment.'));
      assert.equal(event.event, 'assignment.created');
      assert.deepEqual(JSON.parse(event.data), {
        chatbotId,
        conversationId: 'conv-new-1',
        agentId: agents.Ada!.id,
        agentName: 'Ada',
        strategy: 'least_loaded',
        assignedAt: made.json().assignedAt,
        title: 'Billing question',
        preview: 'Hello,\nmy invoice is wrong',
        // Assigned at once: it arrived when it was assigned.
        arrivedAt: made.json().assignedAt,
        priority: 0,
        // No skills required: assigned as asked.
        requiredSkills: [],
        skillStep: 0,
      });
      assert.equal((await assign({ conversationId: 'conv-new-1' })).statusCode, 200);
      assert.deepEqual(
        (await stream.drain(300)).filter((frame) => frame.event.startsWith('assignment.')),
        [],
        'a retry announces nothing',
      );
    } finally {
      stream.close();
    }
    const listed = (await ctx.call({ method: 'GET', url: `${assignPath(chatbotId)}?agentId=${agents.Ada!.id}`, key: integration })).json();
    assert.deepEqual(
      listed.items.map((item: { conversationId: string; title: string | null; preview: string | null }) => [item.conversationId, item.title, item.preview]),
      [['conv-new-1', 'Billing question', 'Hello,\nmy invoice is wrong']],
    );
  });

  it('moved and released: assignment.transferred (from whom) and assignment.released, once each, in the chatbot’s sequence', async () => {
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((event) => event.event === 'snapshot');
      assert.equal((await assign({ conversationId: 'conv-move', preferredAgentId: agents.Ada!.id, title: 'Refund' })).statusCode, 201);
      const moved = await ctx.call({ method: 'POST', url: `${assignPath(chatbotId)}/conv-move/transfer`, key: integration, payload: { agentId: agents.Linus!.id } });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal((await ctx.call({ method: 'DELETE', url: `${assignPath(chatbotId)}/conv-move`, key: integration })).statusCode, 204);
      const frames = await stream.upTo((frame) => frame.event === 'assignment.released');
      const assignments = frames.filter((frame) => frame.event.startsWith('assignment.'));
      assert.deepEqual(
        assignments.map((frame) => frame.event),
        ['assignment.created', 'assignment.transferred', 'assignment.released'],
      );
      const transferred = JSON.parse(assignments[1]!.data);
      assert.deepEqual([transferred.agentId, transferred.from, transferred.strategy, transferred.title], [agents.Linus!.id, agents.Ada!.id, 'transfer', 'Refund']);
      assert.deepEqual(JSON.parse(assignments[2]!.data), { chatbotId, conversationId: 'conv-move', agentId: agents.Linus!.id });
      const ids = assignments.map((frame) => Number(frame.id));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'in the chatbot’s sequence',
      );
    } finally {
      stream.close();
    }
  });

  it('an integration hears of it by a signed webhook with the stream event’s data', async () => {
    const received: Array<{ type: string; data: Record<string, unknown> }> = [];
    let secret = '';
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        // Throws on a bad signature: the message is then not recorded and the test fails.
        received.push(new Webhook(secret).verify(body, request.headers as Record<string, string>) as (typeof received)[number]);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const made = await ctx.call({
        method: 'POST',
        url: `/v1/inbox/${chatbotId}/webhooks`,
        key: integration,
        payload: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, debounceSeconds: 1 },
      });
      assert.equal(made.statusCode, 201, made.body);
      secret = made.json().secret;
      // Debounced: availability changes wait a second and may replace each other; events never do.
      const assigned = await assign({ conversationId: 'conv-hook', preferredAgentId: agents.Linus!.id, title: 'Webhook' });
      assert.equal((await assign({ conversationId: 'conv-hook-2', preferredAgentId: agents.Linus!.id })).statusCode, 201);
      assert.equal(assigned.statusCode, 201, assigned.body);
      for (const started = Date.now(); received.filter((message) => message.type === 'assignment.created').length < 2; ) {
        assert.ok(Date.now() - started < 10_000, 'the webhook came within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const message = received.find((item) => item.type === 'assignment.created')!;
      assert.deepEqual(message.data, {
        chatbotId,
        conversationId: 'conv-hook',
        agentId: agents.Linus!.id,
        agentName: 'Linus',
        strategy: 'least_loaded',
        assignedAt: assigned.json().assignedAt,
        title: 'Webhook',
        preview: null,
        arrivedAt: assigned.json().assignedAt,
        priority: 0,
        requiredSkills: [],
        skillStep: 0,
      });
      assert.deepEqual(
        received.filter((item) => item.type === 'assignment.created').map((item) => item.data.conversationId),
        ['conv-hook', 'conv-hook-2'],
        'two chats in a row for one agent: both sent, neither taken for a repeated state',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('bad input is refused with the rule and assigns nothing', async () => {
    const cases: Array<[object, RegExp, string]> = [
      [{ conversationId: 'conv-bad-1', title: 'x'.repeat(201) }, /title must be 1 to 200 characters/, 'invalid_request'],
      [{ conversationId: 'conv-bad-2', title: '' }, /title must be 1 to 200 characters/, 'invalid_request'],
      [{ conversationId: 'conv-bad-3', preview: 'p'.repeat(501) }, /preview must be 1 to 500 characters/, 'invalid_request'],
      [{ conversationId: 'conv-bad-4', title: 'two\nlines' }, /U\+000A/, 'control_character'],
      [{ conversationId: 'conv-bad-5', preview: 'nul\u0000' }, /U\+0000/, 'control_character'],
    ];
    for (const [payload, says, code] of cases) {
      const response = await assign(payload);
      expectError(response, 400, code);
      assert.match(response.json().error, says);
    }
    const found = await ctx.database.db.selectFrom('assignments').select('conversation_id').where('conversation_id', 'like', 'conv-bad-%').execute();
    assert.deepEqual(found, []);
  });
});
