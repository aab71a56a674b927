import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CLI } from '../src/auth/actor.js';
import type { Candidate } from '../src/assignments/choose.js';
import {
  DEFAULT_HANDLE_SECONDS,
  estimateWaitSeconds,
  expiresAt,
  MAX_WAIT_SECONDS,
  meanHandleSeconds,
  nextChatState,
  planDrain,
  queueOrder,
  type ChatEvent,
  type ChatState,
  type Member,
  type QueuedChat,
} from '../src/assignments/queue.js';
import { percentile, waitReport, waitReportCsv, type ReportedChat, type WaitRow } from '../src/assignments/wait-report.js';
import type { Chat as ServiceChat } from '../src/assignments/service.js';
import { periodsOf } from '../src/availability/report.js';
import { createTestContext, expectError, meOnlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { TEST_DIALECT } from './helpers/database.js';
import { SseClient } from './helpers/sse.js';
import { teamCalls } from './helpers/team-calls.js';

const member = (agentId: string, overrides: Partial<Member> = {}): Member => ({
  agentId,
  name: agentId.toUpperCase(),
  state: 'available',
  reason: 'ready',
  activeChats: 0,
  maxChats: 1,
  lastAssignedAt: null,
  reported: null,
  assigned: 0,
  skills: [],
  ...overrides,
});
const chat = (conversationId: string, overrides: Partial<QueuedChat> = {}): QueuedChat => ({
  conversationId,
  strategy: 'least_loaded',
  preferredAgentId: null,
  excludeAgentIds: [],
  ...overrides,
});

describe('the waiting queue (the pure rules)', () => {
  const transitions: Array<[ChatState | undefined, ChatEvent, ChatState | null]> = [
    [undefined, 'arrive_and_assign', 'assigned'],
    [undefined, 'arrive_and_wait', 'waiting'],
    [undefined, 'end', null],
    ['waiting', 'drained', 'assigned'],
    ['waiting', 'end', 'cancelled'],
    ['waiting', 'expire', 'expired'],
    ['waiting', 'arrive_and_wait', null],
    ['waiting', 'transfer', null],
    ['assigned', 'transfer', 'assigned'],
    ['assigned', 'end', 'released'],
    ['assigned', 'expire', null],
    ['assigned', 'drained', null],
    ['released', 'arrive_and_wait', 'waiting'],
    ['cancelled', 'arrive_and_assign', 'assigned'],
    ['expired', 'end', null],
  ];
  for (const [state, event, next] of transitions) it(`${state ?? 'no chat'} + ${event} → ${next ?? 'refused'}`, () => assert.equal(nextChatState(state, event), next));

  it('queue order: higher priority first, then arrival; exact past 2^42 ms', () => {
    const early = Date.UTC(2026, 0, 1);
    const ordered = [queueOrder(100, early + 5), queueOrder(5, early), queueOrder(5, early + 1), queueOrder(0, early), queueOrder(-100, early - 1_000_000)];
    assert.deepEqual(
      [...ordered].sort((a, b) => a - b),
      ordered,
    );
    assert.ok(Number.isSafeInteger(queueOrder(-100, 2 ** 42 - 1)), 'the lowest priority and the latest arrival stay exact');
  });

  it('expiry: maxWaitSeconds after arrival, a day without one, never more than a day', () => {
    assert.deepEqual([expiresAt(1000, 30), expiresAt(1000, null), expiresAt(1000, MAX_WAIT_SECONDS + 5)], [31_000, 1000 + 86_400_000, 1000 + 86_400_000]);
  });

  const drains: Array<[string, QueuedChat[], Member[], Array<[string, string]>]> = [
    [
      'in queue order, each to the one with most room, until nobody has room',
      [chat('c1'), chat('c2'), chat('c3')],
      [member('a', { maxChats: 2 }), member('b')],
      [
        ['c1', 'a'],
        ['c2', 'b'],
        ['c3', 'a'],
      ],
    ],
    ['a chat nobody it accepts can take does not hold up those behind it', [chat('c1', { excludeAgentIds: ['a'] }), chat('c2')], [member('a')], [['c2', 'a']]],
    ['the preferred agent when it has room', [chat('c1', { preferredAgentId: 'b' })], [member('a', { maxChats: 3 }), member('b')], [['c1', 'b']]],
    ['nobody available: nothing', [chat('c1')], [member('a', { state: 'away', reason: 'status' })], []],
    ['a full agent takes nothing', [chat('c1')], [member('a', { state: 'busy', reason: 'at_capacity', activeChats: 1, assigned: 1 })], []],
  ];
  for (const [what, waiting, members, expected] of drains) {
    it(`drain: ${what}`, () => {
      const taken = planDrain(waiting, members, 1000);
      assert.deepEqual(
        taken.map((item) => [item.chat.conversationId, item.chosen.agentId]),
        expected,
      );
      assert.deepEqual(
        taken.map((item) => item.at),
        expected.map((_, index) => 1000 + index),
        'each recorded after the one before (round robin keeps turns)',
      );
      for (const item of members) assert.ok(item.maxChats === null || (item.activeChats ?? 0) <= item.maxChats, `${item.agentId} within maxChats`);
    });
  }
  it('drain: the members copy ends as loaded as the assignments made it (full: busy at capacity)', () => {
    const members = [member('a', { maxChats: 2 })];
    planDrain([chat('c1'), chat('c2')], members, 0);
    assert.deepEqual([members[0]!.activeChats, members[0]!.state, members[0]!.reason, members[0]!.lastAssignedAt], [2, 'busy', 'at_capacity', 1]);
  });

  const working = (overrides: Partial<Candidate>) => ({ state: 'available', reason: 'ready', activeChats: 0, maxChats: 2, ...overrides });
  const estimates: Array<[string, number, Array<ReturnType<typeof working>>, number, number | null]> = [
    ['next in line, 4 slots turning over every 240 s: 60 s', 1, [working({}), working({ state: 'busy', reason: 'at_capacity', activeChats: 2 })], 240, 60],
    ['fifth in line: five times that', 5, [working({}), working({ state: 'busy', reason: 'at_capacity', activeChats: 2 })], 240, 300],
    [
      'away and offline members free no slot: nobody working is null',
      1,
      [working({ state: 'away', reason: 'status' }), working({ state: 'offline', reason: 'no_sign_of_life' })],
      240,
      null,
    ],
    ['a member without maxChats counts its chats now, at least one', 2, [working({ maxChats: null, activeChats: 3 })], 300, 200],
  ];
  for (const [what, position, members, handle, expected] of estimates) it(`estimate: ${what}`, () => assert.equal(estimateWaitSeconds(position, members, handle), expected));
  it('handle time: the mean of recent releases, five minutes without any', () => {
    assert.deepEqual([meanHandleSeconds([60_000, 180_000]), meanHandleSeconds([]), meanHandleSeconds([Number.NaN, -5])], [120, DEFAULT_HANDLE_SECONDS, DEFAULT_HANDLE_SECONDS]);
  });
});

describe('the waiting report (pure)', () => {
  const day = Date.UTC(2026, 0, 15);
  const periods = periodsOf('2026-01-15', '2026-01-16', 'UTC', 'day');
  const chat = (hours: number, priority: number, state: ReportedChat['state'], waitedSeconds: number | null): ReportedChat => ({
    arrivedAt: day + hours * 3600_000,
    priority,
    state,
    waitedMs: waitedSeconds === null ? null : waitedSeconds * 1000,
  });
  it('nearest-rank percentiles', () => {
    assert.deepEqual([percentile([], 50), percentile([5], 90), percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)], [null, 5, 2, 9]);
  });
  it('per day and priority (higher first): how many, how they ended, and the p50 and p90 of the waits of those assigned', () => {
    const rows = waitReport(
      [
        chat(9, 0, 'released', 0),
        chat(10, 0, 'assigned', 30),
        chat(11, 0, 'assigned', 90),
        chat(11, 0, 'cancelled', null),
        chat(12, 5, 'expired', null),
        chat(12, 5, 'assigned', 4),
        chat(30, 0, 'waiting', null),
      ],
      periods,
    );
    assert.deepEqual(rows, [
      { period: '2026-01-15', priority: 5, chats: 2, assigned: 1, cancelled: 0, expired: 1, waiting: 0, waitP50Seconds: 4, waitP90Seconds: 4 },
      { period: '2026-01-15', priority: 0, chats: 4, assigned: 3, cancelled: 1, expired: 0, waiting: 0, waitP50Seconds: 30, waitP90Seconds: 90 },
      { period: '2026-01-16', priority: 0, chats: 1, assigned: 0, cancelled: 0, expired: 0, waiting: 1, waitP50Seconds: null, waitP90Seconds: null },
    ]);
    assert.equal(waitReportCsv(rows.slice(2)), 'period,priority,chats,assigned,cancelled,expired,waiting,waitP50Seconds,waitP90Seconds\r\n2026-01-16,0,1,0,0,0,1,,\r\n');
  });
});

/** A chat as the API answers it: the service's own type (the JSON has its fields, times as ISO text). */
type Chat = ServiceChat;

describe('the waiting queue over HTTP: wait instead of 409, drained in the unit that frees room', () => {
  let ctx: TestContext;
  let base: string;
  let chatbotId: string;
  let integration: string;
  const agents: Record<string, { id: string; key: string }> = {};

  const calls = teamCalls(() => ({ ctx, chatbotId, integration, agents }));
  const { online, capacity, assign, end } = calls;
  const chatOf = (conversationId: string) => calls.chatOf<Chat>(conversationId);
  const queue = async (query = '') => {
    const answer = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/queue${query}`, key: integration });
    assert.equal(answer.statusCode, 200, answer.body);
    return answer.json() as { items: Chat[]; nextCursor: string | null };
  };
  const endEverything = async () => {
    for (const item of (await queue('?limit=200')).items) assert.equal((await end(item.conversationId)).statusCode, 204);
    const open = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=200`, key: integration })).json().items as Array<{ conversationId: string }>;
    for (const item of open) assert.equal((await end(item.conversationId)).statusCode, 204);
  };

  before(async () => {
    ctx = await createTestContext({ clock: 'real' });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    chatbotId = await ctx.chatbot();
    integration = (
      await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.inbox.agents.list', 'chatbots.inbox.agents.capacity.edit', 'chatbots.inbox.reports.read'])
    ).key;
    for (const name of ['Ada', 'Grace']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
    }
    assert.equal((await capacity('Ada', 1)).statusCode, 200);
    assert.equal((await capacity('Grace', 1)).statusCode, 200);
  });
  after(() => ctx.close());

  it('without wait, nobody available is still 409; with wait, 202 waiting with its place and every reason, and a retry answers the same', async () => {
    const refused = await assign({ conversationId: 'w-409' });
    assert.deepEqual([refused.statusCode, refused.json().code], [409, 'no_agent_available']);
    const waited = await assign({ conversationId: 'w-1', wait: true, title: 'Refund', maxWaitSeconds: 600 });
    assert.equal(waited.statusCode, 202, waited.body);
    const body = waited.json() as Chat & { considered: Array<{ agentId: string; outcome: string }>; nextAvailableAt: string | null };
    assert.deepEqual([body.state, body.position, body.priority, body.title, body.maxWaitSeconds, body.agentId], ['waiting', 1, 0, 'Refund', 600, null]);
    assert.equal(body.estimatedWaitSeconds, null, 'nobody is working: no estimate');
    assert.equal(Date.parse(body.expiresAt!) - Date.parse(body.arrivedAt), 600_000);
    assert.deepEqual(body.considered.map((item) => item.outcome).sort(), ['not_available', 'not_available']);
    assert.ok('nextAvailableAt' in body);
    const again = await assign({ conversationId: 'w-1', wait: true });
    assert.equal(again.statusCode, 202);
    assert.equal((again.json() as Chat).arrivedAt, body.arrivedAt, 'a retry answers the chat as it is, not a new one');
    const withoutWait = await assign({ conversationId: 'w-1' });
    assert.equal(withoutWait.statusCode, 202, 'waiting is what it is now, whatever the retry asks');
    const { considered: _considered, nextAvailableAt: _next, ...chat } = body;
    assert.deepEqual(await chatOf('w-1'), chat, 'read back as it was answered');
    await endEverything();
  });

  it('an agent coming online takes the oldest waiting chat in the same unit of work, announced once as assignment.created', async () => {
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((frame) => frame.event === 'snapshot');
      assert.equal((await assign({ conversationId: 'q-old', wait: true })).statusCode, 202);
      assert.equal((await assign({ conversationId: 'q-new', wait: true })).statusCode, 202);
      const waiting = await stream.next((frame) => frame.event === 'assignment.waiting');
      assert.equal(JSON.parse(waiting.data).conversationId, 'q-old');
      assert.equal((await online('Ada')).statusCode, 200);
      // Read at once after the answer: no sweep ran in between (the backstop waits 5 s).
      const taken = await chatOf('q-old');
      assert.deepEqual([taken.state, taken.agentName, taken.position], ['assigned', 'Ada', null]);
      assert.ok(Date.parse(taken.assignedAt!) >= Date.parse(taken.arrivedAt));
      // Ada's own chats (My chats): hers only, and only for an agent key.
      const mine = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me/chats`, key: agents.Ada!.key });
      assert.deepEqual(
        (mine.json().items as Array<{ conversationId: string }>).map((item) => item.conversationId),
        ['q-old'],
      );
      expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me/chats`, key: integration }), 403, 'key_not_bound_to_agent');
      const left = await chatOf('q-new');
      assert.deepEqual([left.state, left.position], ['waiting', 1], 'Ada is full (maxChats 1): the newer one moves up');
      const created = await stream.next((frame) => frame.event === 'assignment.created');
      const data = JSON.parse(created.data);
      assert.deepEqual([data.conversationId, data.agentName, data.arrivedAt], ['q-old', 'Ada', taken.arrivedAt]);
      // A release makes room: the next waiting chat is Ada's in the same unit.
      assert.equal((await end('q-old')).statusCode, 204);
      assert.deepEqual([(await chatOf('q-new')).state, (await chatOf('q-new')).agentName], ['assigned', 'Ada']);
      const ended = await chatOf('q-old');
      assert.deepEqual([ended.state, ended.agentName], ['released', 'Ada']);
      assert.ok(ended.endedAt);
      const after = (await stream.drain(300)).filter((frame) => frame.event.startsWith('assignment.'));
      assert.deepEqual(
        after.map((frame) => [frame.event, JSON.parse(frame.data).conversationId]),
        [
          ['assignment.released', 'q-old'],
          ['assignment.created', 'q-new'],
        ],
        'each once, in the chatbot’s sequence',
      );
    } finally {
      stream.close();
      await endEverything();
      assert.equal((await online('Ada', false)).statusCode, 200);
    }
  });

  it('higher priority first, then arrival; the queue is listed in that order a page at a time with positions', async () => {
    for (const [conversationId, priority] of [
      ['p-low', -5],
      ['p-normal-1', 0],
      ['p-high', 10],
      ['p-normal-2', 0],
    ] as const)
      assert.equal((await assign({ conversationId, wait: true, priority })).statusCode, 202);
    const first = await queue('?limit=3');
    assert.deepEqual(
      first.items.map((item) => [item.conversationId, item.position]),
      [
        ['p-high', 1],
        ['p-normal-1', 2],
        ['p-normal-2', 3],
      ],
    );
    const second = await queue(`?limit=3&cursor=${first.nextCursor}`);
    assert.deepEqual(
      second.items.map((item) => [item.conversationId, item.position]),
      [['p-low', 4]],
    );
    assert.equal(second.nextCursor, null);
    // Grace comes: she takes the highest priority first.
    assert.equal((await online('Grace')).statusCode, 200);
    assert.equal((await chatOf('p-high')).agentName, 'Grace');
    // Ada raised to 2 and online: the next two in order.
    assert.equal((await capacity('Ada', 2)).statusCode, 200);
    assert.equal((await online('Ada')).statusCode, 200);
    assert.deepEqual([(await chatOf('p-normal-1')).agentName, (await chatOf('p-normal-2')).agentName, (await chatOf('p-low')).state], ['Ada', 'Ada', 'waiting']);
    const estimate = (await chatOf('p-low')).estimatedWaitSeconds;
    assert.equal(typeof estimate, 'number', 'working agents give an estimate');
    // maxChats raised while she is full: room, and the queue drains into it at once.
    assert.equal((await capacity('Ada', 3)).statusCode, 200);
    assert.equal((await chatOf('p-low')).agentName, 'Ada');
    await endEverything();
    await online('Ada', false);
    await online('Grace', false);
    await capacity('Ada', 1);
  });

  it('a chat that excludes the only agent with room does not hold up the one behind it', async () => {
    assert.equal((await assign({ conversationId: 'x-first', wait: true, excludeAgentIds: [agents.Ada!.id] })).statusCode, 202);
    assert.equal((await assign({ conversationId: 'x-second', wait: true })).statusCode, 202);
    assert.equal((await online('Ada')).statusCode, 200);
    assert.deepEqual([(await chatOf('x-first')).state, (await chatOf('x-second')).agentName], ['waiting', 'Ada']);
    await endEverything();
    await online('Ada', false);
  });

  it('DELETE cancels a waiting chat, announced; then 404', async () => {
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((frame) => frame.event === 'snapshot');
      assert.equal((await assign({ conversationId: 'c-1', wait: true })).statusCode, 202);
      assert.equal((await end('c-1')).statusCode, 204);
      const cancelled = await chatOf('c-1');
      assert.deepEqual([cancelled.state, cancelled.agentId], ['cancelled', null]);
      assert.ok(cancelled.endedAt);
      expectError(await end('c-1'), 404, 'not_found');
      const frames = (await stream.drain(300)).filter((frame) => frame.event.startsWith('assignment.'));
      assert.deepEqual(
        frames.map((frame) => frame.event),
        ['assignment.waiting', 'assignment.cancelled'],
      );
      // The conversation may start again: a new chat.
      assert.equal((await assign({ conversationId: 'c-1', wait: true })).statusCode, 202);
      assert.equal((await chatOf('c-1')).state, 'waiting');
    } finally {
      stream.close();
      await endEverything();
    }
  });

  it('a chat that waited its maxWaitSeconds expires within a second or so, announced once', async () => {
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    try {
      await stream.next((frame) => frame.event === 'snapshot');
      assert.equal((await assign({ conversationId: 'e-1', wait: true, maxWaitSeconds: 1 })).statusCode, 202);
      const expired = await stream.next((frame) => frame.event === 'assignment.expired', 5000);
      const data = JSON.parse(expired.data);
      assert.equal(data.conversationId, 'e-1');
      const late = Date.parse(data.expiredAt) - Date.parse(data.expiresAt);
      assert.ok(late >= 0 && late < 2500, `expired ${late} ms after its time`);
      assert.equal((await chatOf('e-1')).state, 'expired');
      assert.deepEqual((await queue()).items, []);
    } finally {
      stream.close();
    }
  });

  it('the waiting report counts what happened today: the chats, how they ended, and how long the assigned ones waited; the same as CSV', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/reports/waiting?from=${today}&to=${today}`, key: integration });
    assert.equal(report.statusCode, 200, report.body);
    const rows = report.json().rows as WaitRow[];
    const total = (field: 'chats' | 'assigned' | 'cancelled' | 'expired' | 'waiting') => rows.reduce((sum, row) => sum + row[field], 0);
    // The tests before: every chat they made, each counted once by how it ended.
    const counted = await ctx.database.db.selectFrom('ended_chats').select('state').where('chatbot_id', '=', chatbotId).execute();
    assert.equal(total('cancelled'), counted.filter((row) => row.state === 'cancelled').length);
    assert.equal(total('expired'), 1, 'e-1 expired');
    assert.equal(total('waiting'), 0);
    assert.equal(total('chats'), total('assigned') + total('cancelled') + total('expired') + total('waiting'));
    assert.deepEqual(
      [...new Set(rows.map((row) => row.priority))].sort((a, b) => b - a),
      [10, 0, -5],
    );
    assert.ok(rows.every((row) => row.period === today));
    const csv = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/reports/waiting?from=${today}&to=${today}`, key: integration, headers: { accept: 'text/csv' } });
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    assert.equal(csv.body.split('\r\n').length, rows.length + 2, 'a header, a line per row, and the last line break');
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/reports/waiting?from=${today}&to=2020-01-01`, key: integration }), 400, 'invalid_request');
  });

  it('bad input is refused naming the field, and changes nothing', async () => {
    const before = await snapshotState(ctx.database);
    for (const [payload, field] of [
      [{ conversationId: 'b-1', wait: 'yes' }, 'wait'],
      [{ conversationId: 'b-1', wait: true, priority: 101 }, 'priority'],
      [{ conversationId: 'b-1', wait: true, priority: 1.5 }, 'priority'],
      [{ conversationId: 'b-1', wait: true, maxWaitSeconds: 0 }, 'maxWaitSeconds'],
      [{ conversationId: 'b-1', wait: true, maxWaitSeconds: 86_401 }, 'maxWaitSeconds'],
    ] as const) {
      const answer = await assign(payload);
      expectError(answer, 400, 'invalid_request');
      assert.match(answer.json().error, new RegExp(field), answer.body);
    }
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments/never-seen`, key: integration }), 404, 'not_found');
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/queue?cursor=nope`, key: integration }), 400, 'invalid_request');
    assert.equal(await snapshotState(ctx.database), before);
  });
});

describe('the waiting queue: edges', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('a retry of a waiting chat on a chatbot without members answers the same 202 (not a second chat)', async () => {
    const chatbotId = await ctx.chatbot();
    const first = await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'lonely', wait: true });
    const again = await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'lonely', wait: true });
    assert.ok('waiting' in first && 'waiting' in again, 'both answers say it waits');
    assert.equal(again.waiting.arrivedAt, first.waiting.arrivedAt);
    assert.equal((await ctx.database.db.selectFrom('waiting_chats').select('conversation_id').where('chatbot_id', '=', chatbotId).execute()).length, 1);
  });

  it('more chats than one read of a drain (1,000), none of which the agent with room may take, do not hold up the one behind them', async () => {
    const chatbotId = await ctx.chatbot();
    const id = await ctx.agent(chatbotId, { name: 'Ada' });
    const key = (await ctx.agentKey(id)).key;
    assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: false, clientTimestamp: String(ctx.clock.now()) } })).statusCode, 200);
    // In batches, as integrations send them (each batch shares units of work).
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => ctx.services.assignments.assign(CLI, chatbotId, { conversationId: `not-ada-${batch * 100 + i}`, wait: true, excludeAgentIds: [id] })),
      );
    }
    // Last in the queue: arrived last (and, at the same moment, after them by its id).
    ctx.clock.advance(1);
    await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'zz-anyone', wait: true });
    assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } })).statusCode, 200);
    const anyone = await ctx.services.assignments.chat(chatbotId, 'zz-anyone');
    assert.deepEqual([anyone.state, anyone.agentName], ['assigned', 'Ada'], 'taken in the unit Ada came online in, past the 1,100 she may not take');
  });

  it('at the defaults: a chat asked without maxWaitSeconds waits a day and no longer, and an ended chat is kept as long as the history (HISTORY_DAYS)', async () => {
    const chatbotId = await ctx.chatbot();
    const asked = await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'patient', wait: true });
    assert.ok('waiting' in asked);
    assert.equal(Date.parse(asked.waiting.expiresAt!) - Date.parse(asked.waiting.arrivedAt), 86_400_000, 'a day');
    ctx.clock.advance(86_400 - 1);
    await ctx.services.assignments.expireDue();
    assert.equal((await ctx.services.assignments.chat(chatbotId, 'patient')).state, 'waiting', 'a second before the day is out');
    ctx.clock.advance(1);
    await ctx.services.assignments.expireDue();
    assert.equal((await ctx.services.assignments.chat(chatbotId, 'patient')).state, 'expired', 'at the day');
    // The hourly prune, at the configured default, keeps it until the history's days have passed.
    const days = ctx.config.historyDays;
    ctx.clock.advance(days * 86_400 - 1);
    await ctx.services.assignments.pruneEnded(days);
    assert.equal((await ctx.services.assignments.chat(chatbotId, 'patient')).state, 'expired', `kept for ${days} days`);
    ctx.clock.advance(2);
    await ctx.services.assignments.pruneEnded(days);
    await assert.rejects(ctx.services.assignments.chat(chatbotId, 'patient'), (error: { code?: string }) => error.code === 'not_found', 'forgotten after them');
  });

  it('a chat past its maxWaitSeconds is never assigned, even before the expiry ends it; a released chat keeps how long it waited', async () => {
    const chatbotId = await ctx.chatbot();
    const id = await ctx.agent(chatbotId, { name: 'Ada' });
    const key = (await ctx.agentKey(id)).key;
    const online = (value: boolean) => ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: value, clientTimestamp: String(ctx.clock.now()) } });
    assert.equal((await online(false)).statusCode, 200);
    await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'late', wait: true, maxWaitSeconds: 5 });
    await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: 'kept', wait: true });
    ctx.clock.advance(7);
    assert.equal((await online(true)).statusCode, 200);
    const late = await ctx.services.assignments.chat(chatbotId, 'late');
    assert.notEqual(late.state, 'assigned', 'overdue: not given to Ada');
    const kept = await ctx.services.assignments.chat(chatbotId, 'kept');
    assert.deepEqual([kept.state, kept.agentName], ['assigned', 'Ada'], 'the one behind it is');
    await ctx.services.assignments.expireDue();
    assert.equal((await ctx.services.assignments.chat(chatbotId, 'late')).state, 'expired');
    await ctx.services.assignments.release(CLI, chatbotId, 'kept');
    const ended = await ctx.database.db
      .selectFrom('ended_chats')
      .select(['state', 'waited_ms'])
      .where('chatbot_id', '=', chatbotId)
      .where('conversation_id', '=', 'kept')
      .executeTakeFirst();
    assert.deepEqual([ended?.state, Number(ended?.waited_ms)], ['released', 7000], 'it waited 7 s, and the release keeps it');
    const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    const rows = await ctx.services.assignments.waitReport(chatbotId, { from: day, to: day });
    assert.deepEqual(
      rows.map((row) => [row.assigned, row.expired, row.waitP50Seconds]),
      [[1, 1, 7]],
    );
  });
});

/**
 * A model-based property over the service itself: random arrivals (waiting when nobody can
 * take them, three priorities, some with a short maxWaitSeconds), cancels and releases,
 * transfers, status changes, capacity raised and reported, and expiries, several at once. After
 * every batch: each chat is in exactly one state, nobody holds more than maxChats, no chat was
 * assigned while one ahead of it in the queue waited (priority, then arrival), and no chat
 * waits while a member is available (work-conserving: the unit that makes room drains).
 */
describe('the waiting queue: no property breaks under random concurrent use', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('one state per chat, never over maxChats, queue order kept, and nobody available while chats they could take wait (skills too)', async () => {
    let conversation = 0;
    const SKILLS = ['a', 'b'];
    const op = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ kind: fc.constant('arrive' as const), priority: fc.nat({ max: 2 }), shortWait: fc.boolean(), needs: fc.subarray(SKILLS, { maxLength: 1 }) }),
      },
      fc.record({ kind: fc.constant('end' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('transfer' as const), pick: fc.nat() }),
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), agent: fc.nat({ max: 2 }), status: fc.constantFrom('available', 'away', 'offline') }) },
      fc.record({ kind: fc.constant('raise' as const), agent: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('report' as const), agent: fc.nat({ max: 2 }), activeChats: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('expire' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.subarray(SKILLS), { minLength: 3, maxLength: 3 }),
        async (batches, held) => {
          const chatbotId = await ctx.chatbot();
          const ids: string[] = [];
          const keys: string[] = [];
          const maxChats: number[] = [];
          const statuses: string[] = [];
          for (let i = 0; i < 3; i++) {
            const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
            ids.push(id);
            keys.push((await ctx.agentKey(id)).key);
            maxChats.push(1);
            statuses.push('offline');
            await ctx.services.availabilityInputs.setCapacity(chatbotId, id, { maxChats: 1, clientTimestamp: String(ctx.clock.now()) });
            await ctx.services.assignments.setSkills(CLI, chatbotId, id, held[i]!);
          }
          const skillsOf = new Map(ids.map((id, i) => [id, held[i]!]));
          const known: string[] = [];
          const post = (agent: number, status: string) => {
            const key = keys[agent]!;
            const at = String(ctx.clock.now());
            if (status === 'offline') return ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: false, clientTimestamp: at } });
            return ctx
              .call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: at } })
              .then(() => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key, payload: { status, clientTimestamp: at } }));
          };
          for (const batch of batches) {
            await Promise.all(
              batch.map(async (step) => {
                switch (step.kind) {
                  case 'arrive': {
                    const conversationId = `q-${conversation++}`;
                    known.push(conversationId);
                    return ctx.services.assignments.assign(CLI, chatbotId, {
                      conversationId,
                      wait: true,
                      priority: step.priority,
                      maxWaitSeconds: step.shortWait ? 5 : null,
                      requiredSkills: step.needs,
                    });
                  }
                  case 'end':
                    return known.length > 0 ? ctx.services.assignments.release(CLI, chatbotId, known[step.pick % known.length]!).catch(() => undefined) : undefined;
                  case 'transfer':
                    return known.length > 0 ? ctx.services.assignments.transfer(CLI, chatbotId, known[step.pick % known.length]!, {}).catch(() => undefined) : undefined;
                  case 'status':
                    statuses[step.agent] = step.status;
                    return post(step.agent, step.status);
                  case 'raise':
                    maxChats[step.agent] = Math.min(3, maxChats[step.agent]! + 1);
                    return ctx.services.availabilityInputs.setCapacity(chatbotId, ids[step.agent]!, { maxChats: maxChats[step.agent]!, clientTimestamp: String(ctx.clock.now()) });
                  case 'report':
                    return ctx.services.availabilityInputs.setCapacity(chatbotId, ids[step.agent]!, { activeChats: step.activeChats, clientTimestamp: String(ctx.clock.now()) });
                  case 'expire':
                    return ctx.services.assignments.expireDue();
                }
              }),
            );
            // Time passes (short waits run out); the agents' devices keep posting.
            ctx.clock.advance(3);
            for (let agent = 0; agent < 3; agent++) if (statuses[agent] !== 'offline') await post(agent, statuses[agent]!);
            await check(chatbotId, known, ids, maxChats, skillsOf);
          }
        },
      ),
      // FC_SEED and FC_PATH replay a failure fast-check reported.
      { numRuns: 60, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true } : {}) },
    );
  });

  async function check(chatbotId: string, known: readonly string[], ids: readonly string[], maxChats: readonly number[], skillsOf: ReadonlyMap<string, readonly string[]>) {
    // Whether an agent may take a chat by its skills (theirs are set once per run).
    const holds = (agentId: string, chat: { required_skills: string }) => (JSON.parse(chat.required_skills) as string[]).every((skill) => skillsOf.get(agentId)!.includes(skill));
    // One snapshot of the three tables: the service's own sweeps (expiry every second) go on meanwhile.
    const begin = TEST_DIALECT === 'postgres' ? ctx.database.db.transaction().setIsolationLevel('repeatable read') : ctx.database.db.transaction();
    const { waiting, open, ended } = await begin.execute(async (db) => ({
      waiting: await db.selectFrom('waiting_chats').selectAll().where('chatbot_id', '=', chatbotId).execute(),
      open: await db.selectFrom('assignments').selectAll().where('chatbot_id', '=', chatbotId).execute(),
      ended: await db.selectFrom('ended_chats').selectAll().where('chatbot_id', '=', chatbotId).execute(),
    }));
    for (const conversationId of known) {
      const states = [
        ...waiting.filter((row) => row.conversation_id === conversationId).map(() => 'waiting'),
        ...open.filter((row) => row.conversation_id === conversationId).map(() => 'assigned'),
        ...ended.filter((row) => row.conversation_id === conversationId).map((row) => row.state),
      ];
      assert.equal(states.length, 1, `${conversationId} is in exactly one state, not [${states.join(', ')}]`);
    }
    for (const row of open) assert.ok(holds(row.agent_id, row), `${row.conversation_id} requires ${row.required_skills}, its agent holds [${skillsOf.get(row.agent_id)}]`);
    for (const [index, id] of ids.entries()) {
      const held = open.filter((row) => row.agent_id === id).length;
      assert.ok(held <= maxChats[index]!, `agent ${index} holds ${held}, over maxChats ${maxChats[index]}`);
    }
    // Queue order: a chat given an agent (from the queue or at once, not moved) after another
    // arrived that was ahead of it and that agent could take, while that one still waits,
    // jumped the queue.
    const rank = (row: { priority: number | null | undefined; arrived_at: number | null | undefined; conversation_id: string }) => [
      queueOrder(Number(row.priority ?? 0), Number(row.arrived_at)),
      row.conversation_id,
    ];
    const ahead = (a: ReturnType<typeof rank>, b: ReturnType<typeof rank>) => a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);
    const given = [
      ...open.filter((row) => row.strategy !== 'transfer'),
      ...ended.filter((row) => row.state === 'released' && row.assigned_at !== null && Number(row.assigned_at) >= Number(row.arrived_at)),
    ];
    // A chat past its expiry is never taken (the expiry ends it within a second): it holds nobody up.
    const due = (wait: (typeof waiting)[number], at: number) => Number(wait.expires_at) <= at;
    for (const wait of waiting)
      for (const taken of given)
        if (Number(taken.assigned_at) > Number(wait.arrived_at) && !due(wait, Number(taken.assigned_at)) && ahead(rank(wait), rank(taken)) && holds(taken.agent_id!, wait))
          assert.fail(`${taken.conversation_id} was assigned while ${wait.conversation_id}, ahead of it, waited`);
    // Work-conserving: the list derives every entry now; none available while a chat (not yet
    // due) it could take (by its skills) waits.
    const takeable = waiting.filter((wait) => !due(wait, ctx.clock.now()));
    if (takeable.length > 0) {
      const { agents } = await ctx.services.presence.lists.list(chatbotId);
      const idle = agents.filter((agent) => agent.state === 'available' && takeable.some((wait) => holds(agent.agentId, wait)));
      assert.deepEqual(
        idle.map((agent) => [agent.name, agent.activeChats, agent.maxChats]),
        [],
        `${waiting.length} chats wait while these are available`,
      );
    }
  }
});
