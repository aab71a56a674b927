import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CLI } from '../src/auth/actor.js';
import { TEST_DIALECT } from './helpers/database.js';
import { meOnlinePath } from './helpers/context.js';
import { createTestContext, expectError, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { SseClient } from './helpers/sse.js';
import { teamCalls } from './helpers/team-calls.js';

/**
 * Offers over HTTP, on the database under test: a chatbot that asks its agents to accept gives a
 * chat as an offer that holds the agent's capacity; the agent accepts or declines (its key, or
 * the secret its push carried); a decline or a miss passes the chat on, never back to one who
 * passed it over, or returns it to the queue; a miss sets the agent away (missed_offer).
 */
interface Chat {
  state: string;
  agentId: string | null;
  agentName: string | null;
  offerExpiresAt: string | null;
}

describe('offers: accept, decline, miss', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let integration: string;
  let admin: string;
  let base: string;
  let stream: SseClient;
  const agents: Record<string, { id: string; key: string }> = {};
  const calls = teamCalls(() => ({ ctx, chatbotId, integration, agents }));
  const { online, capacity, assign, end } = calls;
  const chatOf = (conversationId: string) => calls.chatOf<Chat>(conversationId);
  const settings = (payload: object) => ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin, payload });
  const answer = (name: string, verb: 'accept' | 'decline', conversationId: string, key = agents[name]!.key) =>
    ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/offers/${conversationId}/${verb}`, key });
  const entry = async (name: string) => {
    const listed = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/online`, key: integration })).json() as {
      agents: Array<{ agentId: string; state: string; reason: string; activeChats: number | null }>;
    };
    return listed.agents.find((agent) => agent.agentId === agents[name]!.id)!;
  };
  /** The secret the offer's push carried (the notification as queued for the agent). */
  const secretOf = async (conversationId: string, agentName: string) => {
    await ctx.services.assignments.tellsSettled();
    const rows = await ctx.database.db.selectFrom('notifications').select(['data', 'audience']).where('chatbot_id', '=', chatbotId).execute();
    const found = rows
      .map((row) => ({ data: JSON.parse(row.data ?? 'null') as { conversationId?: string; offer?: { secret?: string; expiresAt?: string } }, audience: row.audience }))
      .filter((row) => row.data?.conversationId === conversationId && row.audience.includes(agents[agentName]!.id));
    return found.at(-1)?.data.offer;
  };

  before(async () => {
    ctx = await createTestContext({ clock: 'real' });
    chatbotId = await ctx.chatbot('Offers');
    integration = (
      await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.inbox.agents.capacity.edit', 'chatbots.inbox.agents.list', 'chatbots.inbox.reports.read'])
    ).key;
    admin = (await ctx.chatbotKey(chatbotId, ['chatbots.edit', 'chatbots.read', 'chatbots.audit.read'])).key;
    for (const name of ['Ada', 'Grace', 'Linus']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
      assert.equal((await capacity(name, 1)).statusCode, 200);
    }
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    await stream.next((frame) => frame.event === 'snapshot');
  });
  after(async () => {
    stream?.close();
    await ctx.close();
  });

  it('offers are off by default; an admin sets offerTimeoutSeconds and awayAfterMissedOffers, and bad values change nothing', async () => {
    const shown = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}`, key: admin })).json();
    assert.equal(shown.offerTimeoutSeconds, null);
    assert.equal(shown.awayAfterMissedOffers, 1);
    for (const [payload, message] of [
      [{ offerTimeoutSeconds: 4 }, /offerTimeoutSeconds must be a whole number of seconds from 5 to 600, or null/],
      [{ offerTimeoutSeconds: 601 }, /offerTimeoutSeconds/],
      [{ offerTimeoutSeconds: '30' }, /offerTimeoutSeconds/],
      [{ awayAfterMissedOffers: 0 }, /awayAfterMissedOffers must be a whole number from 1 to 100, or null/],
      [{ awayAfterMissedOffers: 1.5 }, /awayAfterMissedOffers/],
    ] as const) {
      const refused = await settings(payload);
      expectError(refused, 400, 'invalid_request');
      assert.match(refused.json().error, message);
    }
    assert.equal((await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}`, key: admin })).json().offerTimeoutSeconds, null, 'unchanged');
    // Without offers a chat is the agent's at once, as before.
    assert.equal((await online('Ada')).statusCode, 200);
    const direct = await assign({ conversationId: 'direct' });
    assert.equal(direct.statusCode, 201, direct.body);
    assert.equal(direct.json().offerExpiresAt, null);
    assert.equal((await chatOf('direct')).state, 'assigned');
    assert.equal((await stream.next((frame) => frame.event.startsWith('assignment.'))).event, 'assignment.created');
    assert.equal((await end('direct')).statusCode, 204);
    await stream.next((frame) => frame.event === 'assignment.released');
    const set = await settings({ offerTimeoutSeconds: 30 });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().offerTimeoutSeconds, 30);
    await online('Ada', false);
  });

  it('an offer holds the agent’s capacity until accepted; accepting makes the chat the agent’s, once, and only the offered agent may', async () => {
    await online('Ada');
    try {
      const offered = await assign({ conversationId: 'c-accept', title: 'Refund' });
      assert.equal(offered.statusCode, 201, offered.body);
      const { agentName, offerExpiresAt, assignedAt } = offered.json();
      assert.equal(agentName, 'Ada');
      assert.equal(Date.parse(offerExpiresAt) - Date.parse(assignedAt), 30_000);
      const event = await stream.next((frame) => frame.event.startsWith('assignment.'));
      assert.equal(event.event, 'assignment.offered');
      assert.equal(JSON.parse(event.data).offerExpiresAt, offerExpiresAt);
      const chat = await chatOf('c-accept');
      assert.deepEqual([chat.state, chat.agentName, chat.offerExpiresAt], ['offered', 'Ada', offerExpiresAt]);
      // The offer holds Ada's only slot: she is busy, and another chat cannot have her.
      assert.deepEqual([(await entry('Ada')).state, (await entry('Ada')).reason], ['busy', 'at_capacity']);
      const refused = await assign({ conversationId: 'c-second' });
      assert.deepEqual([refused.statusCode, refused.json().code], [409, 'no_agent_available']);
      // Nobody else may answer it: another agent, and a key that is no agent's.
      expectError(await answer('Grace', 'accept', 'c-accept'), 404, 'not_found');
      expectError(await answer('Grace', 'accept', 'c-accept', integration), 403, 'key_not_bound_to_agent');
      const accepted = await answer('Ada', 'accept', 'c-accept');
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.deepEqual([accepted.json().agentName, accepted.json().offerExpiresAt], ['Ada', null]);
      const said = await stream.next((frame) => frame.event.startsWith('assignment.'));
      assert.equal(said.event, 'assignment.accepted');
      assert.equal(JSON.parse(said.data).agentId, agents.Ada!.id);
      assert.equal((await chatOf('c-accept')).state, 'assigned');
      // Again: the same answer (a retry), and nothing more is announced.
      assert.equal((await answer('Ada', 'accept', 'c-accept')).statusCode, 200);
      expectError(await answer('Ada', 'decline', 'c-accept'), 409, 'offer_accepted');
      const mine = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me/chats`, key: agents.Ada!.key })).json().items;
      assert.deepEqual(
        mine.map((item: { conversationId: string; offerExpiresAt: string | null }) => [item.conversationId, item.offerExpiresAt]),
        [['c-accept', null]],
      );
    } finally {
      await end('c-accept');
      await online('Ada', false);
    }
  });

  it('a decline passes the chat to the next agent, never back to one who declined it, and then to the queue', async () => {
    for (const name of ['Ada', 'Grace']) await online(name);
    try {
      await stream.next((frame) => frame.event === 'assignment.released');
      const offered = await assign({ conversationId: 'c-decline', strategy: 'round_robin' });
      assert.equal(offered.statusCode, 201, offered.body);
      const first = offered.json().agentName as string;
      const second = first === 'Ada' ? 'Grace' : 'Ada';
      await stream.next((frame) => frame.event === 'assignment.offered');
      const declined = await answer(first, 'decline', 'c-decline');
      assert.equal(declined.statusCode, 200, declined.body);
      assert.deepEqual([declined.json().state, declined.json().agentName], ['offered', second]);
      assert.equal((await stream.next((frame) => frame.event.startsWith('assignment.'))).event, 'assignment.declined');
      const next = await stream.next((frame) => frame.event.startsWith('assignment.'));
      assert.deepEqual([next.event, JSON.parse(next.data).agentName], ['assignment.offered', second]);
      // The second declines too: nobody else can take it, so it waits, never offered back.
      const again = await answer(second, 'decline', 'c-decline');
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().state, 'waiting');
      await stream.next((frame) => frame.event === 'assignment.declined');
      assert.equal((await stream.next((frame) => frame.event.startsWith('assignment.'))).event, 'assignment.waiting');
      const queue = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/queue`, key: integration })).json().items as Array<{
        conversationId: string;
        considered: Array<{ name: string; outcome: string }>;
      }>;
      const waiting = queue.find((item) => item.conversationId === 'c-decline')!;
      assert.deepEqual(
        waiting.considered.filter((item) => item.name !== 'Linus').map((item) => item.outcome),
        ['excluded', 'excluded'],
      );
      // Linus comes: the chat is offered to him.
      await online('Linus');
      await eventually(async () => assert.deepEqual([(await chatOf('c-decline')).state, (await chatOf('c-decline')).agentName], ['offered', 'Linus']));
      // Declined offers never set an agent away.
      assert.equal((await entry(first)).state, 'available');
    } finally {
      await end('c-decline');
      for (const name of ['Ada', 'Grace', 'Linus']) await online(name, false);
    }
  });

  it('a missed offer moves on within a second of its deadline (the default sweep), once, and sets the agent away (missed_offer) after awayAfterMissedOffers in a row', async () => {
    for (const name of ['Ada', 'Grace']) await online(name);
    assert.equal((await settings({ offerTimeoutSeconds: 5 })).statusCode, 200);
    try {
      const offered = await assign({ conversationId: 'c-miss', preferredAgentId: agents.Ada!.id });
      assert.equal(offered.json().agentName, 'Ada');
      const deadline = Date.parse(offered.json().offerExpiresAt);
      const missed = await stream.next((frame) => frame.event === 'assignment.offer_missed', 10_000);
      assert.deepEqual(JSON.parse(missed.data), {
        chatbotId,
        conversationId: 'c-miss',
        agentId: agents.Ada!.id,
        offeredAt: offered.json().assignedAt,
        missedAt: JSON.parse(missed.data).missedAt,
      });
      const lateBy = Date.parse(JSON.parse(missed.data).missedAt) - deadline;
      assert.ok(lateBy >= 0 && lateBy < 1000, `passed on ${lateBy} ms after its deadline`);
      const next = await stream.next((frame) => frame.event === 'assignment.offered');
      assert.equal(JSON.parse(next.data).agentName, 'Grace');
      // Ada missed one, the default awayAfterMissedOffers: she is away, and says why.
      assert.deepEqual([(await entry('Ada')).state, (await entry('Ada')).reason], ['away', 'missed_offer']);
      // Choosing a status again ends it.
      const back = await ctx.call({
        method: 'POST',
        url: `/v1/inbox/${chatbotId}/agents/me/status`,
        key: agents.Ada!.key,
        payload: { status: 'available', clientTimestamp: Date.now() },
      });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal((await entry('Ada')).state, 'available');
      // Never set away: Grace misses, stays available, and the chat waits (both passed it over).
      assert.equal((await settings({ awayAfterMissedOffers: null })).statusCode, 200);
      await stream.next((frame) => frame.event === 'assignment.offer_missed', 10_000);
      await stream.next((frame) => frame.event === 'assignment.waiting');
      assert.equal((await entry('Grace')).state, 'available');
      assert.equal((await chatOf('c-miss')).state, 'waiting');
      // Each miss was announced once.
      assert.equal(stream.events.filter((frame) => frame.event === 'assignment.offer_missed' && JSON.parse(frame.data).conversationId === 'c-miss').length, 2);
    } finally {
      await settings({ awayAfterMissedOffers: 1, offerTimeoutSeconds: 30 });
      await end('c-miss');
      for (const name of ['Ada', 'Grace']) await online(name, false);
    }
  });

  it('the push carries the offer’s secret: the notification accepts or declines with it, a wrong one is refused', async () => {
    await online('Ada');
    await online('Grace');
    try {
      assert.equal((await assign({ conversationId: 'c-push', preferredAgentId: agents.Ada!.id })).statusCode, 201);
      let offer: { secret?: string } | undefined;
      await eventually(async () => {
        offer = await secretOf('c-push', 'Ada');
        assert.ok(offer?.secret, 'the push carries the secret');
      });
      const url = (verb: string) => `/v1/inbox/${chatbotId}/offers/c-push/${verb}`;
      expectError(await ctx.call({ method: 'POST', url: url('accept'), payload: { secret: 'not-the-secret' } }), 404, 'not_found');
      expectError(await ctx.call({ method: 'POST', url: url('accept'), payload: {} }), 400, 'invalid_request');
      const declined = await ctx.call({ method: 'POST', url: url('decline'), payload: { secret: offer!.secret } });
      assert.equal(declined.statusCode, 200, declined.body);
      assert.deepEqual([declined.json().state, declined.json().agentName], ['offered', 'Grace']);
      // The secret was Ada's offer's, which ended: a late click is told so (not counted as a guess), and it does not answer Grace's.
      expectError(await ctx.call({ method: 'POST', url: url('accept'), payload: { secret: offer!.secret } }), 409, 'offer_ended');
      let grace: { secret?: string } | undefined;
      await eventually(async () => {
        grace = await secretOf('c-push', 'Grace');
        assert.ok(grace?.secret);
      });
      const accepted = await ctx.call({ method: 'POST', url: url('accept'), payload: { secret: grace!.secret } });
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal((await chatOf('c-push')).state, 'assigned');
      expectError(await ctx.call({ method: 'POST', url: url('accept'), payload: { secret: grace!.secret } }), 409, 'offer_ended');
      // No answer of the API shows a secret: the notification as read has its offer without it.
      const stored = await ctx.database.db.selectFrom('notifications').select('id').where('chatbot_id', '=', chatbotId).where('data', 'like', '%c-push%').execute();
      assert.ok(stored.length >= 2);
      const reader = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
      for (const { id } of stored) {
        const read = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/notifications/${id}`, key: reader });
        assert.equal(read.statusCode, 200, read.body);
        assert.ok(read.json().data.offer.expiresAt);
        assert.equal(read.json().data.offer.secret, undefined, 'the secret is not answered');
        assert.doesNotMatch(read.body, new RegExp(offer!.secret!));
      }
    } finally {
      await end('c-push');
      for (const name of ['Ada', 'Grace']) await online(name, false);
    }
  });

  it('the offers report counts accepted, declined, missed and withdrawn per agent with the median time to accept, as JSON and CSV', async () => {
    await online('Linus');
    try {
      assert.equal((await assign({ conversationId: 'c-withdrawn' })).statusCode, 201);
      assert.equal((await end('c-withdrawn')).statusCode, 204);
    } finally {
      await online('Linus', false);
    }
    const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    const report = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/reports/offers?from=${day}&to=${day}&tz=UTC`, key: integration });
    assert.equal(report.statusCode, 200, report.body);
    const byName = new Map((report.json().agents as Array<{ name: string }>).map((row) => [row.name, row]));
    assert.deepEqual(byName.get('Linus'), {
      agentId: agents.Linus!.id,
      name: 'Linus',
      offered: 2,
      accepted: 0,
      declined: 0,
      missed: 0,
      withdrawn: 2,
      medianSecondsToAccept: null,
    });
    const ada = byName.get('Ada') as unknown as { accepted: number; missed: number; declined: number; medianSecondsToAccept: number };
    assert.ok(ada.accepted >= 1 && ada.missed === 1 && ada.declined >= 1, JSON.stringify(ada));
    assert.equal(typeof ada.medianSecondsToAccept, 'number');
    const csv = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/reports/offers?from=${day}&to=${day}&tz=UTC`, key: integration, headers: { accept: 'text/csv' } });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^agentId,name,offered,accepted,declined,missed,withdrawn,medianSecondsToAccept\r\n/);
    assert.match(csv.body, new RegExp(`${agents.Linus!.id},Linus,2,0,0,0,2,\\r\\n`));
  });
});

describe('offers: the deadline, to the millisecond', () => {
  let ctx: TestContext;
  let chatbotId: string;
  const agents: Record<string, { id: string; key: string }> = {};

  before(async () => {
    ctx = await createTestContext();
    chatbotId = await ctx.chatbot('Deadlines');
    await ctx.services.tenancy.updateChatbot({ kind: 'cli' } as never, chatbotId, { offerTimeoutSeconds: 30 });
    for (const name of ['Ada', 'Grace']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
      const answer = await ctx.call({
        method: 'POST',
        url: `/v1/inbox/${chatbotId}/agents/me/online`,
        key: agents[name]!.key,
        payload: { online: true, clientTimestamp: ctx.clock.now() },
      });
      assert.equal(answer.statusCode, 200, answer.body);
    }
  });
  after(() => ctx.close());

  it('an offer can be accepted until its deadline and not at it; then it moves on once, however many sweeps run at once', async () => {
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*'])).key;
    const offered = await ctx.call({
      method: 'POST',
      url: `/v1/inbox/${chatbotId}/assignments`,
      key: integration,
      payload: { conversationId: 'd-1', preferredAgentId: agents.Ada!.id },
    });
    assert.equal(offered.statusCode, 201, offered.body);
    ctx.clock.advance(29.999);
    assert.equal(await ctx.services.assignments.expireOffers(), 0, 'not yet due');
    ctx.clock.advance(0.001);
    const accept = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/offers/d-1/accept`, key: agents.Ada!.key });
    expectError(accept, 409, 'offer_expired');
    assert.match(accept.json().error, /lapsed at/);
    const passed = await Promise.all([ctx.services.assignments.expireOffers(), ctx.services.assignments.expireOffers(), ctx.services.assignments.expireOffers()]);
    assert.deepEqual(
      passed.sort((a, b) => b - a),
      [1, 0, 0],
    );
    const chat = await ctx.services.assignments.chat(chatbotId, 'd-1');
    assert.deepEqual([chat.state, chat.agentName], ['offered', 'Grace']);
    assert.equal(Date.parse(chat.offerExpiresAt!), ctx.clock.now() + 30_000);
    // Declining at the deadline is too late as well: it is a miss, not a decline.
    ctx.clock.advance(30);
    expectError(await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/offers/d-1/decline`, key: agents.Grace!.key }), 409, 'offer_expired');
    assert.equal(await ctx.services.assignments.expireOffers(), 1);
    const report = await ctx.database.db.selectFrom('offers').select(['agent_id', 'outcome']).where('conversation_id', '=', 'd-1').orderBy('decided_at').execute();
    assert.deepEqual(
      report.map((row) => row.outcome),
      ['missed', 'missed'],
    );
  });

  it('a chat whose wait runs out while offered ends as expired rather than going on', async () => {
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*'])).key;
    for (const name of ['Ada', 'Grace']) {
      await ctx.call({
        method: 'POST',
        url: `/v1/inbox/${chatbotId}/agents/me/status`,
        key: agents[name]!.key,
        payload: { status: 'available', clientTimestamp: ctx.clock.now() },
      });
    }
    const offered = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments`, key: integration, payload: { conversationId: 'd-2', maxWaitSeconds: 20 } });
    assert.equal(offered.statusCode, 201, offered.body);
    ctx.clock.advance(30);
    assert.equal(await ctx.services.assignments.expireOffers(), 1);
    const chat = await ctx.services.assignments.chat(chatbotId, 'd-2');
    assert.deepEqual([chat.state, chat.agentId], ['expired', null]);
  });
});

/**
 * Offers under random concurrent use: chats arriving (some requiring a skill), accepted,
 * declined, released, transferred, agents changing status, and offers lapsing as time passes,
 * several at once. After every batch: each chat in exactly one state, no agent over maxChats
 * counting its offers, no chat offered to one who declined or missed it, no chat offered to two
 * agents, and each offer's end recorded once.
 */
describe('offers: no property breaks under random concurrent use', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('one state per chat, capacity reserved once, never back to who passed it over, each offer ended once', async () => {
    let conversation = 0;
    const SKILLS = ['a', 'b'];
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('arrive' as const), needs: fc.subarray(SKILLS, { maxLength: 1 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: fc.nat() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }) },
      fc.record({ kind: fc.constant('end' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('transfer' as const), pick: fc.nat() }),
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), agent: fc.nat({ max: 2 }), status: fc.constantFrom('available', 'away', 'offline') }) },
      fc.record({ kind: fc.constant('lapse' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.subarray(SKILLS), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(1, 2, null),
        async (batches, held, awayAfterMissedOffers) => {
          const chatbotId = await ctx.chatbot();
          await ctx.services.tenancy.updateChatbot(CLI, chatbotId, { offerTimeoutSeconds: 10, awayAfterMissedOffers });
          const ids: string[] = [];
          const keys: string[] = [];
          const statuses: string[] = [];
          for (let i = 0; i < 3; i++) {
            const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
            ids.push(id);
            keys.push((await ctx.agentKey(id)).key);
            statuses.push('offline');
            await ctx.services.availabilityInputs.setCapacity(chatbotId, id, { maxChats: 2, clientTimestamp: String(ctx.clock.now()) });
            await ctx.services.assignments.setSkills(CLI, chatbotId, id, held[i]!);
          }
          const known: string[] = [];
          const post = (agent: number, status: string) => {
            const key = keys[agent]!;
            const at = String(ctx.clock.now());
            if (status === 'offline') return ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: false, clientTimestamp: at } });
            return ctx
              .call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: at } })
              .then(() => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key, payload: { status, clientTimestamp: at } }));
          };
          /** The agent a conversation is offered to now (null: none), read as the service has it. */
          const holderOf = async (conversationId: string) => {
            const row = await ctx.database.db
              .selectFrom('assignments')
              .select('agent_id')
              .where('chatbot_id', '=', chatbotId)
              .where('conversation_id', '=', conversationId)
              .executeTakeFirst();
            return row ? ids.indexOf(row.agent_id) : -1;
          };
          const answer = async (pick: number, verb: 'accept' | 'decline') => {
            if (known.length === 0) return;
            const conversationId = known[pick % known.length]!;
            const agent = await holderOf(conversationId);
            if (agent < 0) return;
            return ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/offers/${conversationId}/${verb}`, key: keys[agent]! });
          };
          for (const batch of batches) {
            await Promise.all(
              batch.map(async (step) => {
                switch (step.kind) {
                  case 'arrive': {
                    const conversationId = `o-${conversation++}`;
                    known.push(conversationId);
                    return ctx.services.assignments.assign(CLI, chatbotId, { conversationId, wait: true, requiredSkills: step.needs });
                  }
                  case 'accept':
                  case 'decline':
                    return answer(step.pick, step.kind);
                  case 'end':
                    return known.length > 0 ? ctx.services.assignments.release(CLI, chatbotId, known[step.pick % known.length]!).catch(() => undefined) : undefined;
                  case 'transfer':
                    return known.length > 0 ? ctx.services.assignments.transfer(CLI, chatbotId, known[step.pick % known.length]!, {}).catch(() => undefined) : undefined;
                  case 'status':
                    statuses[step.agent] = step.status;
                    return post(step.agent, step.status);
                  case 'lapse':
                    return ctx.services.assignments.expireOffers();
                }
              }),
            );
            // Time passes (offers lapse); the agents' devices keep posting.
            ctx.clock.advance(6);
            await ctx.services.assignments.expireOffers();
            for (let agent = 0; agent < 3; agent++) if (statuses[agent] !== 'offline') await post(agent, statuses[agent]!);
            await check(chatbotId, known, ids).catch((error: unknown) => {
              if (process.env.FC_SEED) console.error(error);
              throw error;
            });
          }
        },
      ),
      // FC_SEED and FC_PATH replay a failure fast-check reported.
      { numRuns: 40, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true } : {}) },
    );
  });

  async function check(chatbotId: string, known: readonly string[], ids: readonly string[]) {
    const begin = TEST_DIALECT === 'postgres' ? ctx.database.db.transaction().setIsolationLevel('repeatable read') : ctx.database.db.transaction();
    const { waiting, open, ended, offers } = await begin.execute(async (db) => ({
      waiting: await db.selectFrom('waiting_chats').selectAll().where('chatbot_id', '=', chatbotId).execute(),
      open: await db.selectFrom('assignments').selectAll().where('chatbot_id', '=', chatbotId).execute(),
      ended: await db.selectFrom('ended_chats').selectAll().where('chatbot_id', '=', chatbotId).execute(),
      offers: await db.selectFrom('offers').selectAll().where('chatbot_id', '=', chatbotId).execute(),
    }));
    for (const conversationId of known) {
      const states = [
        ...waiting.filter((row) => row.conversation_id === conversationId).map(() => 'waiting'),
        ...open.filter((row) => row.conversation_id === conversationId).map((row) => (row.offer_expires_at === null ? 'assigned' : 'offered')),
        ...ended.filter((row) => row.conversation_id === conversationId).map((row) => row.state),
      ];
      assert.equal(states.length, 1, `${conversationId} is in exactly one state, not [${states.join(', ')}]`);
    }
    // Offers hold capacity: nobody holds more than maxChats (2), offers counted, and the list counts the same.
    const { agents } = await ctx.services.presence.lists.list(chatbotId);
    for (const id of ids) {
      const held = open.filter((row) => row.agent_id === id).length;
      assert.ok(held <= 2, `an agent holds ${held} chats and offers, over maxChats 2`);
      assert.equal(agents.find((agent) => agent.agentId === id)?.activeChats ?? 0, held, 'each offer counted once in activeChats');
    }
    // Never back to who passed it over: an open offer is never to one who declined or missed it.
    for (const row of open.filter((item) => item.offer_expires_at !== null)) {
      const passed = offers.filter((offer) => offer.conversation_id === row.conversation_id && ['declined', 'missed'].includes(offer.outcome)).map((offer) => offer.agent_id);
      assert.ok(!passed.includes(row.agent_id), `${row.conversation_id} is offered again to an agent who passed it over`);
      const context = JSON.parse(row.offer_exclude!) as { exclude: string[] };
      for (const agentId of passed) assert.ok(context.exclude.includes(agentId), `${row.conversation_id} keeps who passed it over`);
    }
    // Nor does a chat back in the queue go to them.
    for (const row of waiting) {
      const passed = offers.filter((offer) => offer.conversation_id === row.conversation_id && ['declined', 'missed'].includes(offer.outcome)).map((offer) => offer.agent_id);
      const excluded = JSON.parse(row.exclude_agent_ids) as string[];
      for (const agentId of passed) assert.ok(excluded.includes(agentId), `${row.conversation_id} waits without excluding who passed it over`);
    }
    // Each offer ended once: one row per offer (agent and moment), and none still open is recorded as ended.
    const keysSeen = offers.map((offer) => `${offer.conversation_id} ${offer.agent_id} ${offer.offered_at}`);
    assert.equal(new Set(keysSeen).size, keysSeen.length, 'an offer ended twice');
    for (const row of open.filter((item) => item.offer_expires_at !== null))
      assert.ok(!keysSeen.includes(`${row.conversation_id} ${row.agent_id} ${row.assigned_at}`), `${row.conversation_id} is offered and recorded as ended`);
  }
});
