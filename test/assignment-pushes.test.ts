import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newChatNotice, NEW_CHAT_TYPE } from '../src/assignments/notice.js';
import { createTestContext, expectError, meNotificationsPath, meOnlinePath, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { TestPushService } from './helpers/push-service.js';
import { SseClient } from './helpers/sse.js';

const LOOPBACK_ENV = { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' };
const PUSH = { backoffBaseMillis: 200, backoffMaxMillis: 2_000, pollMillis: 100 };
const assignPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/assignments`;

describe('the "New chat" push (the pure notice)', () => {
  const row: Parameters<typeof newChatNotice>[0] = {
    chatbot_id: 'cb_1',
    conversation_id: 'conv-1',
    agent_id: 'ag_1',
    assigned_at: 1_000,
    strategy: 'least_loaded',
    title: null,
    preview: null,
  };
  const cases: Array<[string, Partial<typeof row>, { title: string; body: string }]> = [
    ['no title or preview: the conversation named', {}, { title: 'New chat', body: 'Conversation conv-1' }],
    ['a title and a preview', { title: 'Billing question', preview: 'Hi,\nmy invoice…' }, { title: 'New chat: Billing question', body: 'Hi,\nmy invoice…' }],
    ['a chat moved to the agent', { strategy: 'transfer', title: 'Refund' }, { title: 'Chat passed to you: Refund', body: 'Conversation conv-1' }],
    ['a title at the limit is shortened to fit', { title: 'x'.repeat(200) }, { title: `New chat: ${'x'.repeat(189)}…`, body: 'Conversation conv-1' }],
  ];
  for (const [what, change, expected] of cases) {
    it(what, () => {
      const { body } = newChatNotice({ ...row, ...change });
      assert.deepEqual({ title: body.title, body: body.body }, expected);
      assert.equal(body.title.length <= 200, true);
      assert.equal(body.type, NEW_CHAT_TYPE);
      assert.deepEqual(body.audience, { agentIds: ['ag_1'] });
    });
  }
  it('one key per assignment: the same assignment the same key, another agent or moment another', () => {
    const key = newChatNotice(row).idempotencyKey;
    assert.equal(newChatNotice({ ...row }).idempotencyKey, key);
    assert.notEqual(newChatNotice({ ...row, agent_id: 'ag_2' }).idempotencyKey, key);
    assert.notEqual(newChatNotice({ ...row, assigned_at: 1_001 }).idempotencyKey, key);
    assert.ok(key.length <= 255);
  });
});

/**
 * The agent is told: a chat that becomes an agent's sends a "New chat" push to their devices,
 * unless they watch live, muted the type, or are in do not disturb or outside working hours;
 * once, also after a crash. (Every `assert.ok` polled by `eventually` carries its message: without
 * one, node:assert reads and parses this file to word the failure, which blocks the process for
 * seconds, the database connections included.)
 */
describe('an agent is told of a chat that becomes theirs', () => {
  let ctx: TestContext;
  let push: TestPushService;
  let base: string;
  let chatbotId: string;
  let integration: string;
  const agents: Record<string, { id: string; key: string }> = {};

  before(async () => {
    push = await TestPushService.start();
    ctx = await createTestContext({ clock: 'real', env: LOOPBACK_ENV, push: PUSH });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    chatbotId = await ctx.chatbot();
    integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.edit', 'chatbots.inbox.assignments.read', 'chatbots.inbox.agents.list'])).key;
    for (const name of ['Ada', 'Linus']) {
      const id = await ctx.agent(chatbotId, { name });
      const key = (await ctx.agentKey(id)).key;
      assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: Date.now() } })).statusCode, 200);
      agents[name] = { id, key };
    }
  });
  after(async () => {
    await ctx.close();
    await push.close();
  });

  const device = async (agent: { key: string }) => {
    const sub = push.subscribe();
    const response = await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key: agent.key, payload: { pushSubscription: sub.json } });
    assert.equal(response.statusCode, 200, response.body);
    return sub;
  };
  const assign = (payload: object) => ctx.call({ method: 'POST', url: assignPath(chatbotId), key: integration, payload });
  const notificationsOf = (agentId: string) =>
    ctx.database.db
      .selectFrom('push_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['n.type', 'n.title', 'n.body', 'd.state', 'd.reason'])
      .where('d.agent_id', '=', agentId)
      .where('n.type', '=', NEW_CHAT_TYPE)
      .execute();

  it('assigned: announced once on the stream as assignment.created, and a "New chat" push with title and preview reaches the agent\'s browser', async () => {
    const sub = await device(agents.Ada!);
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((event) => event.event === 'snapshot');
      const made = await assign({ conversationId: 'conv-new-1', preferredAgentId: agents.Ada!.id, title: 'Billing question', preview: 'Hello,\nmy invoice is wrong' });
      assert.equal(made.statusCode, 201, made.body);
      const event = await stream.next((frame) => frame.event.startsWith('assignment.'));
      assert.equal(event.event, 'assignment.created');
      const data = JSON.parse(event.data);
      assert.deepEqual(
        { ...data, assignedAt: typeof data.assignedAt },
        {
          chatbotId,
          conversationId: 'conv-new-1',
          agentId: agents.Ada!.id,
          agentName: 'Ada',
          strategy: 'least_loaded',
          assignedAt: 'string',
          title: 'Billing question',
          preview: 'Hello,\nmy invoice is wrong',
        },
      );
      assert.equal(data.assignedAt, made.json().assignedAt);
      // A retry answers the assignment and announces nothing new.
      assert.equal((await assign({ conversationId: 'conv-new-1' })).statusCode, 200);
      assert.deepEqual(
        (await stream.drain(300)).filter((frame) => frame.event.startsWith('assignment.')),
        [],
      );
    } finally {
      stream.close();
    }
    await eventually(() => assert.equal(push.delivered(sub.id).length, 1));
    const payload = push.delivered(sub.id)[0]!.payload;
    assert.deepEqual(
      { type: payload.type, title: payload.title, body: payload.body, data: payload.data },
      {
        type: NEW_CHAT_TYPE,
        title: 'New chat: Billing question',
        body: 'Hello,\nmy invoice is wrong',
        data: { conversationId: 'conv-new-1', transferred: false },
      },
    );
    await eventually(async () =>
      assert.ok((await ctx.database.db.selectFrom('assignments').select('told_at').where('conversation_id', '=', 'conv-new-1').executeTakeFirstOrThrow()).told_at, 'marked told'),
    );
    const listed = (await ctx.call({ method: 'GET', url: `${assignPath(chatbotId)}?agentId=${agents.Ada!.id}`, key: integration })).json();
    assert.deepEqual(
      listed.items.map((item: { conversationId: string; title: string | null; preview: string | null }) => [item.conversationId, item.title, item.preview]),
      [['conv-new-1', 'Billing question', 'Hello,\nmy invoice is wrong']],
    );
  });

  it('no push while the agent watches live (a stream open), nor of a muted type; the reason is on the delivery', async () => {
    const linus = agents.Linus!;
    await device(linus);
    const watching = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': linus.key });
    try {
      await watching.next((event) => event.event === 'snapshot');
      assert.equal((await assign({ conversationId: 'conv-live', preferredAgentId: linus.id })).statusCode, 201);
      await eventually(async () =>
        assert.deepEqual(
          (await notificationsOf(linus.id)).map((n) => [n.state, n.reason]),
          [['skipped', 'connected']],
        ),
      );
    } finally {
      watching.close();
    }
    assert.equal((await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key: linus.key, payload: { mutedTypes: [NEW_CHAT_TYPE] } })).statusCode, 200);
    assert.equal((await assign({ conversationId: 'conv-muted', preferredAgentId: linus.id })).statusCode, 201);
    await eventually(async () =>
      assert.deepEqual(
        (await notificationsOf(linus.id)).map((n) => [n.state, n.reason]),
        [
          ['skipped', 'connected'],
          ['skipped', 'muted'],
        ],
      ),
    );
    await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key: linus.key, payload: { mutedTypes: [] } });
  });

  it('moved and released: assignment.transferred (from whom) and assignment.released, once each; the new agent is told', async () => {
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
    await eventually(async () =>
      assert.ok(
        (await notificationsOf(agents.Linus!.id)).some((n) => n.title === 'Chat passed to you: Refund'),
        'the new agent is told',
      ),
    );
  });

  it('a push a crash left unqueued is queued by the sweep, once, whichever instance sweeps and however often', async () => {
    setTimeout(() => process.stderr.write(`ZT ${JSON.stringify((globalThis as any).__zt)} ${JSON.stringify(ctx.database.poolStats())}\n`), 11000).unref();
    ((globalThis as any).__zt ??= []).push(`test start ${Date.now() % 100000}`);
    assert.equal((await assign({ conversationId: 'conv-crash', preferredAgentId: agents.Ada!.id })).statusCode, 201);
    ((globalThis as any).__zt ??= []).push(`test assigned ${Date.now() % 100000}`);
    const told = async () => {
      (globalThis as any).__zt.push(`told? ${Date.now() % 100000}`);
      const r = (await ctx.database.db.selectFrom('assignments').select('told_at').where('conversation_id', '=', 'conv-crash').executeTakeFirstOrThrow()).told_at;
      (globalThis as any).__zt.push(`told= ${Date.now() % 100000}`);
      return r;
    };
    await eventually(async () => assert.ok(await told(), 'marked told'));
    const count = async () => (await ctx.database.db.selectFrom('notifications').select('id').where('title', '=', 'New chat').execute()).length;
    const before = await count();
    // As if the process died after queuing the push and before marking it told, long enough ago.
    await ctx.database.db
      .updateTable('assignments')
      .set({ told_at: null, assigned_at: Date.now() - 60_000 })
      .where('conversation_id', '=', 'conv-crash')
      .execute();
    assert.equal(await ctx.services.assignments.tellUntold(), 1);
    assert.equal(await ctx.services.assignments.tellUntold(), 0, 'told once');
    assert.ok(await told());
    // The moment changed with the row, so this is a new assignment to tell: exactly one more push.
    assert.equal(await count(), before + 1);
    await ctx.database.db.updateTable('assignments').set({ told_at: null }).where('conversation_id', '=', 'conv-crash').execute();
    assert.equal(await ctx.services.assignments.tellUntold(), 1);
    assert.equal(await count(), before + 1, 'told again after a crash: the same notification (its idempotency key), no second push');
    // One older than a push lives (15 minutes) is no news: the sweep leaves it.
    await ctx.database.db
      .updateTable('assignments')
      .set({ told_at: null, assigned_at: Date.now() - 16 * 60_000 })
      .where('conversation_id', '=', 'conv-crash')
      .execute();
    assert.equal(await ctx.services.assignments.tellUntold(), 0);
    assert.equal(await count(), before + 1);
  });

  it('the longest title and preview allowed, in three-byte characters, still fit a push', async () => {
    const title = '請'.repeat(200);
    const preview = '問'.repeat(500);
    assert.equal((await assign({ conversationId: 'conv-long', preferredAgentId: agents.Ada!.id, title, preview })).statusCode, 201);
    await eventually(async () =>
      assert.ok((await ctx.database.db.selectFrom('notifications').select('body').where('body', '=', preview).execute()).length === 1, 'the push was queued'),
    );
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
