import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newChatNotice, NEW_CHAT_TYPE } from '../src/assignments/notice.js';
import { TELL_WAIT_MOST_MS } from '../src/assignments/service.js';
import { assignmentStore } from '../src/assignments/store.js';
import { CLI } from '../src/auth/actor.js';
import { TEST_DIALECT } from './helpers/database.js';
import { createTestContext, meNotificationsPath, meOnlinePath, type TestContext } from './helpers/context.js';
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
      .orderBy('n.created_at')
      .execute();

  it('assigned: a "New chat" push with title and preview reaches the agent\'s browser, and the assignment is marked told (the events: assignment-events.test.ts)', async () => {
    const sub = await device(agents.Ada!);
    const made = await assign({ conversationId: 'conv-new-1', preferredAgentId: agents.Ada!.id, title: 'Billing question', preview: 'Hello,\nmy invoice is wrong' });
    assert.equal(made.statusCode, 201, made.body);
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
  });

  it('a burst of 40 assignments at once: each chat told once, by a push of its own to its agent, all marked told; pushes queued together (one refused leaves the others queued)', async () => {
    // A chatbot of its own, so that the other tests count only their pushes.
    const chatbotId = await ctx.chatbot();
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.edit'])).key;
    const agents: Record<string, { id: string }> = {};
    for (const name of ['Grace', 'Edsger']) {
      const id = await ctx.agent(chatbotId, { name });
      const key = (await ctx.agentKey(id)).key;
      assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: Date.now() } })).statusCode, 200);
      agents[name] = { id };
    }
    const assign = (payload: object) => ctx.call({ method: 'POST', url: assignPath(chatbotId), key: integration, payload });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => assign({ conversationId: `burst-${i}`, title: `Burst ${i}` })));
    assert.deepEqual(new Set(answers.map((answer) => answer.statusCode)), new Set([201]), 'all assigned');
    const holders = new Map(
      answers.map((answer) => [(JSON.parse(answer.body) as { conversationId: string }).conversationId, (JSON.parse(answer.body) as { agentId: string }).agentId]),
    );
    await eventually(async () => {
      const told = await ctx.database.db.selectFrom('assignments').select('conversation_id').where('chatbot_id', '=', chatbotId).where('told_at', 'is not', null).execute();
      assert.equal(told.length, 40, `${told.length} of 40 marked told`);
    });
    const notices = await ctx.database.db
      .selectFrom('notifications as n')
      .innerJoin('push_deliveries as d', 'd.notification_id', 'n.id')
      .select(['n.title', 'd.agent_id'])
      .where('n.chatbot_id', '=', chatbotId)
      .where('n.type', '=', NEW_CHAT_TYPE)
      .execute();
    assert.equal(notices.length, 40, 'one notification (one delivery row: each agent here has one device or none) per chat');
    for (const notice of notices) {
      const conversationId = `burst-${notice.title.slice('New chat: Burst '.length)}`;
      assert.equal(notice.agent_id, holders.get(conversationId), `${conversationId} told to its agent`);
    }
    // Of several pushes queued together, one naming a stranger is refused alone.
    const queued = await ctx.services.push.notifyMany(chatbotId, [
      { body: { type: 'inbox.check', title: 'One', body: 'x', audience: { agentIds: [agents.Grace!.id] } }, context: { keyId: null } },
      { body: { type: 'inbox.check', title: 'Two', body: 'x', audience: { agentIds: ['agt_nobody'] } }, context: { keyId: null } },
      { body: { type: 'inbox.check', title: 'Three', body: 'x', audience: { agentIds: [agents.Edsger!.id] } }, context: { keyId: null } },
    ]);
    assert.equal(queued[1] instanceof Error && (queued[1] as { code?: string }).code, 'invalid_request', 'the stranger refused');
    assert.ok(!(queued[0] instanceof Error) && !(queued[2] instanceof Error), 'the others queued');
    const stored = await ctx.database.db
      .selectFrom('notifications')
      .select('title')
      .where('chatbot_id', '=', chatbotId)
      .where('type', '=', 'inbox.check')
      .orderBy('title')
      .execute();
    assert.deepEqual(
      stored.map((row) => row.title),
      ['One', 'Three'],
      'only the two queued are stored',
    );
  });

  it('a tell gives way while presence has work under way, and goes anyway once its chat has waited TELL_WAIT_MOST_MS (2 s, the default): a steady load never starves it', async () => {
    // An agent of its own, so that the other tests count only their pushes.
    const barbara = await ctx.agent(chatbotId, { name: 'Barbara' });
    const key = (await ctx.agentKey(barbara)).key;
    assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: Date.now() } })).statusCode, 200);
    let busy = true;
    ctx.services.presence.busyWhile(() => busy);
    try {
      const made = await assign({ conversationId: 'conv-busy-1', preferredAgentId: barbara });
      assert.equal(made.statusCode, 201, made.body);
      const toldAt = async () =>
        (await ctx.database.db.selectFrom('assignments').select(['told_at', 'assigned_at']).where('conversation_id', '=', 'conv-busy-1').executeTakeFirstOrThrow()) as {
          told_at: number | string | null;
          assigned_at: number | string;
        };
      await new Promise((resolve) => setTimeout(resolve, TELL_WAIT_MOST_MS / 2));
      assert.equal((await toldAt()).told_at, null, 'not told while presence is busy and the chat is younger than the wait');
      await eventually(async () => assert.ok((await toldAt()).told_at !== null, 'told although presence stays busy'), TELL_WAIT_MOST_MS + 5_000);
      const row = await toldAt();
      assert.ok(Number(row.told_at) - Number(row.assigned_at) >= TELL_WAIT_MOST_MS - 100, `told ${Number(row.told_at) - Number(row.assigned_at)} ms after it was assigned`);
    } finally {
      busy = false;
    }
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

  it('moved: the agent it moves to is told ("Chat passed to you")', async () => {
    assert.equal((await assign({ conversationId: 'conv-move', preferredAgentId: agents.Ada!.id, title: 'Refund' })).statusCode, 201);
    const moved = await ctx.call({ method: 'POST', url: `${assignPath(chatbotId)}/conv-move/transfer`, key: integration, payload: { agentId: agents.Linus!.id } });
    assert.equal(moved.statusCode, 200, moved.body);
    await eventually(async () =>
      assert.ok(
        (await notificationsOf(agents.Linus!.id)).some((n) => n.title === 'Chat passed to you: Refund'),
        'the new agent is told',
      ),
    );
  });

  it('a push a crash left unqueued is queued by the sweep, once, whichever instance sweeps and however often', async () => {
    assert.equal((await assign({ conversationId: 'conv-crash', preferredAgentId: agents.Ada!.id })).statusCode, 201);
    const told = async () => (await ctx.database.db.selectFrom('assignments').select('told_at').where('conversation_id', '=', 'conv-crash').executeTakeFirstOrThrow()).told_at;
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
});

describe('marking chats told on PostgreSQL, beside units of work that hold their rows', {
  skip: TEST_DIALECT === 'sqlite' ? 'row locks are a PostgreSQL matter (SQLite has one connection); this runs in the PostgreSQL half of npm test' : false,
}, () => {
  it('a row another transaction holds is skipped, not waited for (no deadlock with a unit releasing several chats); the others are marked, the skipped one stays untold for the sweep', async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot();
      const agentId = await ctx.agent(chatbotId, { name: 'Ada' });
      const key = await ctx.services.keys.createAgentKey(CLI, { agentId });
      await ctx.services.presence.setOwnStatus(chatbotId, agentId, key.id, { online: true, clientTimestamp: ctx.clock.now() });
      for (const conversationId of ['held', 'free']) {
        const made = await ctx.services.assignments.assign(CLI, chatbotId, { conversationId });
        assert.ok('created' in made, `${conversationId} assigned`);
      }
      // The service tells these agents in the background: let that finish before the chats are made untold again.
      await ctx.services.assignments.tellsSettled();
      const rows = await ctx.database.db.selectFrom('assignments').selectAll().where('chatbot_id', '=', chatbotId).execute();
      await ctx.database.db.updateTable('assignments').set({ told_at: null }).where('chatbot_id', '=', chatbotId).execute();
      const store = assignmentStore(ctx.database.db);
      // Another transaction holds the row of 'held' (as a unit deleting it would) while the two are marked.
      let release: () => void = () => undefined;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = ctx.database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('assignments').select('conversation_id').where('chatbot_id', '=', chatbotId).where('conversation_id', '=', 'held').forUpdate().execute();
        locked();
        await holding;
      });
      await isLocked;
      // Waiting for the held row would wait forever (the holder lets go only after this): a guard says so instead.
      let guard: NodeJS.Timeout | undefined;
      const waited = new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error('marking waited for the row another transaction holds')), 10_000);
      });
      try {
        await Promise.race([store.told(rows, ctx.clock.now()), waited]);
      } finally {
        clearTimeout(guard);
        release();
      }
      await holder;
      const told = await ctx.database.db.selectFrom('assignments').select(['conversation_id', 'told_at']).where('chatbot_id', '=', chatbotId).orderBy('conversation_id').execute();
      assert.deepEqual(
        told.map((row) => [row.conversation_id, row.told_at !== null]),
        [
          ['free', true],
          ['held', false],
        ],
        'the free one marked, the held one left untold',
      );
    } finally {
      await ctx.close();
    }
  });
});
