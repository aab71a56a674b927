import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CLI } from '../src/auth/actor.js';
import { chooseAgent, type Candidate } from '../src/assignments/choose.js';
import { orphanedAt } from '../src/assignments/absence.js';
import { missingSkills, nextStepAt, requireSkills, requireSkillSteps, skillsInEffect, storedSkills } from '../src/assignments/skills.js';
import type { AppError } from '../src/errors.js';
import type { AvailabilityState } from '../src/availability/rule.js';
import { effectiveActiveChats, hasRoom } from '../src/availability/capacity.js';
import { createTestContext, expectError, meOnlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { SseClient } from './helpers/sse.js';

const candidate = (agentId: string, overrides: Partial<Candidate> = {}): Candidate => ({
  agentId,
  name: agentId.toUpperCase(),
  state: 'available',
  reason: 'ready',
  activeChats: 0,
  maxChats: null,
  lastAssignedAt: null,
  skills: [],
  ...overrides,
});

describe('who takes the next chat (the pure choice)', () => {
  const cases: Array<[string, Candidate[], Parameters<typeof chooseAgent>[1], string | null, Record<string, string>]> = [
    [
      'least loaded: most spare room first',
      [candidate('a', { activeChats: 1, maxChats: 2 }), candidate('b', { activeChats: 0, maxChats: 3 })],
      { strategy: 'least_loaded' },
      'b',
      { a: 'ranked_lower', b: 'chosen' },
    ],
    [
      'least loaded: no maxChats is the most room',
      [candidate('a', { activeChats: 0, maxChats: 5 }), candidate('b', { activeChats: 4, maxChats: null })],
      { strategy: 'least_loaded' },
      'b',
      { a: 'ranked_lower', b: 'chosen' },
    ],
    [
      'least loaded: equal room goes to the one waiting longest',
      [candidate('a', { lastAssignedAt: 20 }), candidate('b', { lastAssignedAt: 10 })],
      { strategy: 'least_loaded' },
      'b',
      { a: 'ranked_lower', b: 'chosen' },
    ],
    [
      'round robin: longest since last assigned, never assigned first',
      [candidate('a', { lastAssignedAt: 5, activeChats: 0 }), candidate('b', { lastAssignedAt: null, activeChats: 3 })],
      { strategy: 'round_robin' },
      'b',
      { a: 'ranked_lower', b: 'chosen' },
    ],
    [
      'round robin skips one without room',
      [candidate('a', { lastAssignedAt: 1, activeChats: 2, maxChats: 2 }), candidate('b', { lastAssignedAt: 9 })],
      { strategy: 'round_robin' },
      'b',
      { a: 'at_capacity', b: 'chosen' },
    ],
    [
      'the preferred agent when eligible',
      [candidate('a'), candidate('b', { activeChats: 1, maxChats: 2 })],
      { strategy: 'least_loaded', preferredAgentId: 'b' },
      'b',
      { a: 'ranked_lower', b: 'preferred' },
    ],
    [
      'the preferred agent when not eligible: the strategy decides',
      [candidate('a'), candidate('b', { state: 'away', reason: 'idle' })],
      { strategy: 'least_loaded', preferredAgentId: 'b' },
      'a',
      { a: 'chosen', b: 'not_available' },
    ],
    ['excluded', [candidate('a'), candidate('b')], { strategy: 'least_loaded', exclude: new Set(['a']) }, 'b', { a: 'excluded', b: 'chosen' }],
    [
      'busy at capacity is at_capacity, other states not_available',
      [candidate('a', { state: 'busy', reason: 'at_capacity', activeChats: 2, maxChats: 2 }), candidate('b', { state: 'offline', reason: 'no_sign_of_life' })],
      { strategy: 'least_loaded' },
      null,
      { a: 'at_capacity', b: 'not_available' },
    ],
    ['nobody', [], { strategy: 'round_robin' }, null, {}],
    [
      'required skills: only a member holding every one',
      [candidate('a', { skills: ['es'] }), candidate('b', { skills: ['billing', 'es'], activeChats: 3 }), candidate('c')],
      { strategy: 'least_loaded', requiredSkills: ['billing', 'es'] },
      'b',
      { a: 'missing_skill', b: 'chosen', c: 'missing_skill' },
    ],
    [
      'a missing skill comes before not being available (what it could never do, then what it cannot do now)',
      [candidate('a', { state: 'away', reason: 'idle' }), candidate('b', { state: 'away', reason: 'idle', skills: ['es'] })],
      { strategy: 'least_loaded', requiredSkills: ['es'] },
      null,
      { a: 'missing_skill', b: 'not_available' },
    ],
    [
      'the preferred agent without the skill is not chosen',
      [candidate('a', { skills: ['es'] }), candidate('b')],
      { strategy: 'least_loaded', preferredAgentId: 'b', requiredSkills: ['es'] },
      'a',
      { a: 'chosen', b: 'missing_skill' },
    ],
    [
      'excluded comes before a missing skill',
      [candidate('a'), candidate('b', { skills: ['es'] })],
      { strategy: 'least_loaded', exclude: new Set(['a']), requiredSkills: ['es'] },
      'b',
      { a: 'excluded', b: 'chosen' },
    ],
    ['no skills required: anyone, skills or not', [candidate('a', { skills: ['es'] })], { strategy: 'least_loaded', requiredSkills: [] }, 'a', { a: 'chosen' }],
  ];
  for (const [what, candidates, request, chosen, outcomes] of cases) {
    it(what, () => {
      const result = chooseAgent(candidates, request);
      assert.equal(result.chosen?.agentId ?? null, chosen);
      assert.deepEqual(Object.fromEntries(result.considered.map((item) => [item.agentId, item.outcome])), outcomes);
      assert.equal(result.considered.length, candidates.length, 'every member is considered');
      // Only a missing_skill names the skills missing, in the order required.
      for (const item of result.considered) {
        const held = candidates.find((one) => one.agentId === item.agentId)!.skills;
        assert.deepEqual(item.missingSkills, item.outcome === 'missing_skill' ? (request.requiredSkills ?? []).filter((skill) => !held.includes(skill)) : undefined);
      }
    });
  }
});

describe('skill names and lists (the pure rules)', () => {
  it('a list is checked and kept in one form: each name once, sorted', () => {
    assert.deepEqual(requireSkills(['es', 'billing', 'es', 'tier-2', 'v1.2', 'a_b'], 'skills', 50), ['a_b', 'billing', 'es', 'tier-2', 'v1.2']);
    assert.deepEqual(requireSkills([], 'skills', 50), []);
  });
  const refused: Array<[string, unknown, number, RegExp]> = [
    ['not a list', 'es', 50, /skills must be a list of skills/],
    ['upper case', ['ES'], 50, /"ES" is not a skill name: a skill is 1 to 40 lower-case letters/],
    ['a space', ['tier 2'], 50, /"tier 2" is not a skill name/],
    ['empty', [''], 50, /"" is not a skill name/],
    ['starting with a dash', ['-es'], 50, /"-es" is not a skill name/],
    ['41 characters', ['a'.repeat(41)], 50, /is not a skill name/],
    ['not a string', [7], 50, /7 is not a skill name/],
    ['too many', ['a', 'b', 'c'], 2, /skills may name at most 2 skills, got 3/],
  ];
  for (const [what, value, most, message] of refused)
    it(`refuses ${what}`, () =>
      assert.throws(
        () => requireSkills(value, 'skills', most),
        (error: AppError) => error.code === 'invalid_request' && message.test(error.message),
      ));
  it('the skills a member lacks, in the order required', () => {
    assert.deepEqual(missingSkills(['es'], ['billing', 'es', 'vip']), ['billing', 'vip']);
    assert.deepEqual(missingSkills([], []), []);
    assert.deepEqual(missingSkills(['es'], ['es']), []);
  });
  it('steps that relax a requirement: checked, in one form', () => {
    assert.deepEqual(
      requireSkillSteps(
        [
          { afterSeconds: 30, requiredSkills: ['es', 'es'] },
          { afterSeconds: 90, requiredSkills: [] },
        ],
        ['billing', 'es'],
        86_400,
      ),
      [
        { afterSeconds: 30, requiredSkills: ['es'] },
        { afterSeconds: 90, requiredSkills: [] },
      ],
    );
    assert.deepEqual(requireSkillSteps([], ['es'], 86_400), []);
    const refused: Array<[string, unknown, RegExp]> = [
      ['not a list', {}, /skillSteps must be a list of steps/],
      ['six steps', Array.from({ length: 6 }, (_, i) => ({ afterSeconds: i + 1, requiredSkills: [] })), /at most 5 steps, got 6/],
      ['not a step', [7], /skillSteps\.0 must be/],
      ['no time', [{ requiredSkills: [] }], /skillSteps\.0\.afterSeconds must be a whole number from 1 to 86400/],
      ['a fraction', [{ afterSeconds: 1.5, requiredSkills: [] }], /afterSeconds must be a whole number/],
      ['past the longest wait', [{ afterSeconds: 86_401, requiredSkills: [] }], /afterSeconds must be a whole number from 1 to 86400/],
      [
        'not later than the step before',
        [
          { afterSeconds: 30, requiredSkills: ['es'] },
          { afterSeconds: 30, requiredSkills: [] },
        ],
        /skillSteps\.1\.afterSeconds must be later than the step before it \(30 s\)/,
      ],
      ['adding a skill', [{ afterSeconds: 30, requiredSkills: ['es', 'vip'] }], /may only drop skills of the requirement before it, not add vip/],
      ['dropping none', [{ afterSeconds: 30, requiredSkills: ['billing', 'es'] }], /must drop at least one skill/],
      ['a bad name', [{ afterSeconds: 30, requiredSkills: ['ES'] }], /skillSteps\.0\.requiredSkills: "ES" is not a skill name/],
    ];
    for (const [what, value, message] of refused)
      assert.throws(
        () => requireSkillSteps(value, ['billing', 'es'], 86_400),
        (error: AppError) => error.code === 'invalid_request' && message.test(error.message),
        what,
      );
  });
  it('the requirement in effect as a chat waits, and when it next relaxes', () => {
    const steps = [
      { afterSeconds: 30, requiredSkills: ['es'] },
      { afterSeconds: 90, requiredSkills: [] },
    ];
    const cases: Array<[number, readonly string[], number, number | null]> = [
      [0, ['billing', 'es'], 0, 30_000],
      [29_999, ['billing', 'es'], 0, 30_000],
      [30_000, ['es'], 1, 90_000],
      [89_999, ['es'], 1, 90_000],
      [90_000, [], 2, null],
      [3_600_000, [], 2, null],
    ];
    for (const [waited, skills, step, next] of cases) {
      assert.deepEqual(skillsInEffect(['billing', 'es'], steps, waited), { skills, step }, `after ${waited} ms`);
      assert.equal(nextStepAt(1_000, steps, 1_000 + waited), next === null ? null : 1_000 + next, `next after ${waited} ms`);
    }
    assert.deepEqual(skillsInEffect(['es'], [], 10_000), { skills: ['es'], step: 0 });
  });
  it('skills as stored: a list, else none', () => {
    assert.deepEqual(storedSkills('["billing","es"]'), ['billing', 'es']);
    assert.deepEqual([storedSkills(null), storedSkills(''), storedSkills('{}')], [[], [], []]);
  });
});

describe('how reported and assigned chats combine', () => {
  const cases: Array<[number | null, number, number | null]> = [
    [null, 0, null],
    [3, 0, 3],
    [null, 2, 2],
    [1, 2, 2],
    [5, 2, 5],
  ];
  for (const [reported, assigned, effective] of cases)
    it(`reported ${reported}, assigned ${assigned}: ${effective}`, () => assert.equal(effectiveActiveChats(reported, assigned), effective));
  it('room: below maxChats, or no maxChats', () => {
    assert.deepEqual([hasRoom(1, 2), hasRoom(2, 2), hasRoom(null, 0), hasRoom(9, null), hasRoom(null, 1)], [true, false, false, true, true]);
  });
});

interface Considered {
  agentId: string;
  name: string;
  state: string;
  outcome: string;
  reason: string;
  activeChats: number | null;
  maxChats: number | null;
}
interface Assignment {
  conversationId: string;
  agentId: string;
  agentName: string;
  strategy: string;
  activeChats: number | null;
  maxChats: number | null;
  considered: Considered[];
}

describe('assignments over HTTP', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let integration: string;
  const agents: Record<string, { id: string; key: string }> = {};

  const online = (key: string) => ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
  const capacity = (agentId: string, body: Record<string, unknown>) =>
    ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${agentId}/capacity`, key: integration, payload: { ...body, clientTimestamp: String(ctx.clock.now()) } });
  const assign = (body: Record<string, unknown>, key = integration) => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments`, key, payload: body });
  const release = (conversationId: string) => ctx.call({ method: 'DELETE', url: `/v1/inbox/${chatbotId}/assignments/${encodeURIComponent(conversationId)}`, key: integration });
  const transfer = (conversationId: string, body: Record<string, unknown> = {}) =>
    ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments/${encodeURIComponent(conversationId)}/transfer`, key: integration, payload: body });
  const entry = async (agentId: string) =>
    (
      (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/online`, key: integration })).json().agents as Array<{
        agentId: string;
        state: string;
        reason: string;
        activeChats: number | null;
      }>
    ).find((agent) => agent.agentId === agentId)!;
  const releaseAll = async () => {
    const open = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=200`, key: integration })).json().items as Array<{ conversationId: string }>;
    for (const item of open) await release(item.conversationId);
  };

  before(async () => {
    ctx = await createTestContext();
    chatbotId = await ctx.chatbot();
    integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.inbox.agents.list', 'chatbots.inbox.agents.capacity.edit'])).key;
    for (const name of ['Ada', 'Grace', 'Linus']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
    }
    await online(agents.Ada!.key);
    await online(agents.Grace!.key);
    // Linus never signs in: offline, no sign of life.
    await capacity(agents.Ada!.id, { maxChats: 2 });
    await capacity(agents.Grace!.id, { maxChats: 1 });
  });
  after(() => ctx.close());

  it('assigns to the least loaded, explains every member, and a retry answers the same assignment', async () => {
    const made = await assign({ conversationId: 'conv-1' });
    assert.equal(made.statusCode, 201, made.body);
    const first = made.json() as Assignment;
    assert.deepEqual([first.agentName, first.strategy, first.activeChats, first.maxChats], ['Ada', 'least_loaded', 1, 2], 'Ada has the most room (2 against 1)');
    assert.deepEqual(
      first.considered.map((item) => [item.agentId, item.outcome, item.reason]),
      [
        [agents.Ada!.id, 'chosen', 'ready'],
        [agents.Grace!.id, 'ranked_lower', 'ready'],
        [agents.Linus!.id, 'not_available', 'no_sign_of_life'],
      ],
    );
    const again = await assign({ conversationId: 'conv-1' });
    assert.equal(again.statusCode, 200, 'a retry');
    assert.equal((again.json() as Assignment).agentId, agents.Ada!.id);
    assert.equal((await entry(agents.Ada!.id)).activeChats, 1, "the assignment is the agent's load");
    await releaseAll();
  });

  it('fills every free slot and then answers 409 no_agent_available with the reasons; the full agent is listed busy at capacity', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await assign({ conversationId: `fill-${i}` }));
    assert.deepEqual(
      answers.map((answer) => answer.statusCode),
      [201, 201, 201, 409],
    );
    const refused = answers[3]!.json() as { error: string; code: string; considered: Considered[]; nextAvailableAt: string | null };
    assert.equal(refused.code, 'no_agent_available');
    // Each member named with why: who is full (how full) and who is not available (state and reason).
    const told = refused.considered.map((item) =>
      item.outcome === 'at_capacity'
        ? `${item.name} is at capacity (${item.activeChats} of ${item.maxChats} chats)`
        : `${item.name} is ${item.state} (${item.reason.replaceAll('_', ' ')})`,
    );
    assert.equal(refused.error, `no agent can take conversation fill-3 now: ${told.join('; ')}`);
    assert.match(refused.error, /Ada is at capacity \(2 of 2 chats\)/);
    assert.ok('nextAvailableAt' in refused);
    assert.deepEqual(refused.considered.map((item) => item.outcome).sort(), ['at_capacity', 'at_capacity', 'not_available']);
    const ada = await entry(agents.Ada!.id);
    assert.deepEqual([ada.state, ada.reason, ada.activeChats], ['busy', 'at_capacity', 2]);

    // A release makes room at once.
    const released = await release('fill-0');
    assert.equal(released.statusCode, 204);
    expectError(await release('fill-0'), 404, 'not_found');
    const next = await assign({ conversationId: 'fill-4' });
    assert.equal(next.statusCode, 201, next.body);
    await releaseAll();
  });

  it('the preferred agent when it can take it; excluded agents never', async () => {
    const preferred = (await assign({ conversationId: 'pref-1', preferredAgentId: agents.Grace!.id })).json() as Assignment;
    assert.equal(preferred.agentId, agents.Grace!.id);
    assert.equal(preferred.considered.find((item) => item.agentId === agents.Grace!.id)?.outcome, 'preferred');
    const excluded = (await assign({ conversationId: 'pref-2', excludeAgentIds: [agents.Ada!.id] })).json() as { code: string; considered: Considered[] };
    assert.equal(excluded.code, 'no_agent_available', 'Grace is full and Ada excluded');
    assert.equal(excluded.considered.find((item) => item.agentId === agents.Ada!.id)?.outcome, 'excluded');
    await releaseAll();
  });

  it('transfer: to a named agent that can take it, to the next eligible one, or 409 and it stays', async () => {
    const made = (await assign({ conversationId: 'move-1' })).json() as Assignment;
    assert.equal(made.agentId, agents.Ada!.id);
    const named = await transfer('move-1', { agentId: agents.Grace!.id });
    assert.equal(named.statusCode, 200, named.body);
    assert.deepEqual([(named.json() as Assignment).agentId, (named.json() as Assignment).strategy], [agents.Grace!.id, 'transfer']);
    const toHolder = await transfer('move-1', { agentId: agents.Grace!.id });
    assert.equal(toHolder.statusCode, 409);
    assert.equal(toHolder.json().error, 'no agent can take conversation move-1 now: Grace already has it');
    const toLinus = await transfer('move-1', { agentId: agents.Linus!.id });
    assert.deepEqual([toLinus.statusCode, toLinus.json().code, toLinus.json().considered[0].outcome], [409, 'no_agent_available', 'not_available']);
    const list = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?agentId=${agents.Grace!.id}`, key: integration })).json().items as Array<{
      conversationId: string;
    }>;
    assert.deepEqual(
      list.map((item) => item.conversationId),
      ['move-1'],
      'it stayed with Grace',
    );
    // No body at all (no Content-Type either) is the same as {}: the next eligible one, never the holder.
    const next = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments/move-1/transfer`, key: integration });
    assert.equal(next.statusCode, 200, next.body);
    assert.equal((next.json() as Assignment).agentId, agents.Ada!.id, 'the next eligible one, never the holder');
    expectError(await transfer('nope'), 404, 'not_found');
    expectError(await transfer('move-1', { agentId: 'ag_nobody' }), 404, 'not_found');
    await releaseAll();
  });

  it('reported activeChats and assignments combine as the larger', async () => {
    await capacity(agents.Ada!.id, { activeChats: 1 });
    const made = (await assign({ conversationId: 'mix-1', preferredAgentId: agents.Ada!.id })).json() as Assignment;
    assert.equal(made.agentId, agents.Ada!.id);
    assert.equal((await entry(agents.Ada!.id)).activeChats, 1, 'max(1 reported, 1 assigned)');
    await assign({ conversationId: 'mix-2', preferredAgentId: agents.Ada!.id });
    assert.equal((await entry(agents.Ada!.id)).activeChats, 2);
    await capacity(agents.Ada!.id, { activeChats: 0 });
    await releaseAll();
  });

  it('concurrent assignments never put an agent over maxChats', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => assign({ conversationId: `race-${i}` })));
    const statuses = answers.map((answer) => answer.statusCode);
    assert.equal(statuses.filter((status) => status === 201).length, 3, 'exactly the 3 free slots');
    assert.equal(statuses.filter((status) => status === 409).length, 27);
    const open = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=200`, key: integration })).json().items as Array<{ agentId: string }>;
    assert.equal(open.filter((item) => item.agentId === agents.Ada!.id).length, 2);
    assert.equal(open.filter((item) => item.agentId === agents.Grace!.id).length, 1);
    await releaseAll();
  });

  it('lists open assignments a page at a time, and the audit log has each change', async () => {
    for (let i = 0; i < 3; i++) await assign({ conversationId: `page-${i}` });
    const page = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=2`, key: integration })).json() as {
      items: Array<{ conversationId: string }>;
      nextCursor: string;
    };
    const rest = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=2&cursor=${page.nextCursor}`, key: integration })).json() as {
      items: Array<{ conversationId: string }>;
    };
    assert.deepEqual([...page.items, ...rest.items].map((item) => item.conversationId).sort(), ['page-0', 'page-1', 'page-2']);
    await releaseAll();
    const audit = await ctx.database.db.selectFrom('audit_log').select(['action', 'detail']).where('chatbot_id', '=', chatbotId).where('action', 'like', 'assignment.%').execute();
    assert.ok(audit.some((row) => row.action === 'assignment.created' && row.detail?.includes('page-1')));
    assert.ok(audit.some((row) => row.action === 'assignment.released' && row.detail?.includes('page-1')));
    assert.ok(audit.some((row) => row.action === 'assignment.transferred' && row.detail?.includes('move-1')));
  });

  it('a removed member takes no assignment with it: its open ones end', async () => {
    const extra = await ctx.agent(chatbotId, { name: 'Zed' });
    await online((await ctx.agentKey(extra)).key);
    await assign({ conversationId: 'gone-1', preferredAgentId: extra });
    await ctx.services.tenancy.removeMember(CLI, { chatbotId, agentId: extra });
    const open = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments?limit=200`, key: integration })).json().items as unknown[];
    assert.deepEqual(open, []);
  });

  it('bad input is refused with the rule and changes nothing', async () => {
    // The earlier tests' agents are told in the background: that is done before the state is read.
    await ctx.services.assignments.tellsSettled();
    const before = await snapshotState(ctx.database);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /conversationId/],
      [{ conversationId: '' }, /conversationId/],
      [{ conversationId: 'has space' }, /conversationId/],
      [{ conversationId: 'x'.repeat(201) }, /conversationId/],
      [{ conversationId: 'ok', strategy: 'random' }, /strategy/],
      [{ conversationId: 'ok', excludeAgentIds: Array.from({ length: 201 }, (_, i) => `ag_${i}`) }, /excludeAgentIds/],
      [{ conversationId: 'ok', agentId: 'ag_x' }, /agentId/],
    ];
    for (const [body, rule] of cases) {
      const answer = await assign(body);
      expectError(answer, 400, 'invalid_request');
      assert.match(answer.json().error, rule, JSON.stringify(body));
    }
    expectError(await transfer('ok', { strategy: 'random' }), 400, 'invalid_request');
    assert.equal(await snapshotState(ctx.database), before);
  });
});

describe('assignments: round robin is fair, and no property breaks under random concurrent use', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  /** A chatbot of `count` available agents, each with maxChats `max`. */
  async function team(count: number, max: number | null) {
    const chatbotId = await ctx.chatbot();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = await ctx.agent(chatbotId, { name: `Agent ${String(i).padStart(2, '0')}` });
      const { key } = await ctx.agentKey(id);
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
      if (max !== null) await ctx.services.availabilityInputs.setCapacity(chatbotId, id, { maxChats: max, clientTimestamp: String(ctx.clock.now()) });
      ids.push(id);
    }
    return { chatbotId, ids };
  }

  it('10,000 round-robin assignments with releases over 10 agents of equal capacity end within ±1 of each other', async () => {
    const { chatbotId, ids } = await team(10, 5);
    const given = new Map(ids.map((id) => [id, 0]));
    const open: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const result = await ctx.services.assignments.assign(CLI, chatbotId, { conversationId: `rr-${i}`, strategy: 'round_robin' });
      assert.ok('created' in result, `assignment ${i} found an agent`);
      given.set(result.created.agentId, given.get(result.created.agentId)! + 1);
      open.push(`rr-${i}`);
      // Chats end as new ones come, the oldest first: 20 open at a time.
      if (open.length > 20) await ctx.services.assignments.release(CLI, chatbotId, open.shift()!);
    }
    const counts = [...given.values()];
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `per agent: ${counts.join(', ')}`);
  });

  it('random availability changes, capacity reports and concurrent assign, release and transfer: nobody over maxChats, every open assignment a member', async () => {
    const { chatbotId, ids } = await team(4, 2);
    const keys = new Map<string, string>();
    for (const id of ids) keys.set(id, (await ctx.agentKey(id)).key);
    let conversation = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('assign' as const), strategy: fc.constantFrom('least_loaded' as const, 'round_robin' as const) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('transfer' as const), pick: fc.nat(), to: fc.option(fc.nat({ max: 3 })) }),
      fc.record({ kind: fc.constant('status' as const), agent: fc.nat({ max: 3 }), status: fc.constantFrom('available', 'away', 'busy', 'dnd', 'offline') }),
      fc.record({ kind: fc.constant('report' as const), agent: fc.nat({ max: 3 }), activeChats: fc.nat({ max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), async (batches) => {
        for (const batch of batches) {
          const open = await ctx.database.db.selectFrom('assignments').select(['conversation_id', 'agent_id']).where('chatbot_id', '=', chatbotId).execute();
          await Promise.all(
            batch.map(async (step) => {
              switch (step.kind) {
                case 'assign':
                  return ctx.services.assignments.assign(CLI, chatbotId, { conversationId: `p-${conversation++}`, strategy: step.strategy });
                case 'release': {
                  const target = open[step.pick % Math.max(1, open.length)];
                  return target ? ctx.services.assignments.release(CLI, chatbotId, target.conversation_id).catch(() => undefined) : undefined;
                }
                case 'transfer': {
                  const target = open[step.pick % Math.max(1, open.length)];
                  return target
                    ? ctx.services.assignments.transfer(CLI, chatbotId, target.conversation_id, step.to === null ? {} : { agentId: ids[step.to] }).catch(() => undefined)
                    : undefined;
                }
                case 'status': {
                  const key = keys.get(ids[step.agent]!)!;
                  const path = step.status === 'offline' ? meOnlinePath(chatbotId) : `/v1/inbox/${chatbotId}/agents/me/status`;
                  const payload =
                    step.status === 'offline' ? { online: false, clientTimestamp: String(ctx.clock.now()) } : { status: step.status, clientTimestamp: String(ctx.clock.now()) };
                  if (step.status !== 'offline')
                    await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
                  return ctx.call({ method: 'POST', url: path, key, payload });
                }
                case 'report':
                  return ctx.services.availabilityInputs.setCapacity(chatbotId, ids[step.agent]!, { activeChats: step.activeChats, clientTimestamp: String(ctx.clock.now()) });
              }
            }),
          );
          ctx.clock.advance(1);
          const rows = await ctx.database.db
            .selectFrom('assignments as x')
            .leftJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'x.chatbot_id').onRef('m.agent_id', '=', 'x.agent_id'))
            .select(['x.agent_id', 'm.agent_id as member'])
            .where('x.chatbot_id', '=', chatbotId)
            .execute();
          for (const row of rows) assert.ok(row.member, 'every open assignment belongs to a member');
          for (const id of ids) assert.ok(rows.filter((row) => row.agent_id === id).length <= 2, 'nobody over maxChats 2');
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('orphaned assignments, at the default reassignAfterSeconds (120 s)', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let integration: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const post = (name: string, online: boolean) =>
    ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: keys[name]!, payload: { online, clientTimestamp: String(ctx.clock.now()) } });
  const assign = (conversationId: string, to: string) =>
    ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments`, key: integration, payload: { conversationId, preferredAgentId: ids[to] } });
  const orphanMessages = async () =>
    (
      await ctx.database.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select('d.payload')
        .where('w.chatbot_id', '=', chatbotId)
        .where('d.state_key', '=', 'assignment.orphaned')
        // Oldest first (ids are ordered by time): PostgreSQL returns rows in no given order otherwise.
        .orderBy('d.id')
        .execute()
    ).map((row) => JSON.parse(row.payload) as { type: string; data: { agentId: string; conversations: string[]; moved: Array<{ conversationId: string; agentId: string }> } });
  let base: string;
  let observer: string;
  const streams: SseClient[] = [];
  /** A stream of the chatbot as an integration watching it (plain, or asking for batches), resuming after `since` if given. */
  const stream = async (query = '', since?: string) => {
    const headers: Record<string, string> = { 'x-chatcaptain-key': observer, ...(since ? { 'last-event-id': since } : {}) };
    const client = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream${query}`, headers);
    assert.equal(client.status, 200, client.body);
    streams.push(client);
    return client;
  };
  const orphanedEvent = (event: { event: string }) => event.event === 'assignment.orphaned';
  const holder = async (conversationId: string) =>
    (await ctx.database.db.selectFrom('assignments').select('agent_id').where('chatbot_id', '=', chatbotId).where('conversation_id', '=', conversationId).executeTakeFirst())
      ?.agent_id;

  before(async () => {
    ctx = await createTestContext({ env: { PUSH_ALLOWED_HOSTS: 'hooks.example.com' } });
    chatbotId = await ctx.chatbot();
    integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.webhooks.edit'])).key;
    const hook = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: integration, payload: { url: 'https://hooks.example.com/inbox' } });
    assert.equal(hook.statusCode, 201, hook.body);
    for (const name of ['Ada', 'Grace']) {
      ids[name] = await ctx.agent(chatbotId, { name });
      keys[name] = (await ctx.agentKey(ids[name]!)).key;
      await post(name, true);
    }
    const chatbot = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}`, key: (await ctx.chatbotKey(chatbotId, ['chatbots.read'])).key })).json();
    assert.deepEqual([chatbot.reassignAfterSeconds, chatbot.autoReassign], [120, false], 'the defaults');
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    observer = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
  });
  after(async () => {
    for (const client of streams) client.close();
    await ctx.close();
  });

  it('an agent offline for 120 s: its chats are announced orphaned once, as a webhook, and stay (autoReassign off)', async () => {
    assert.equal((await assign('o-1', 'Ada')).statusCode, 201);
    await post('Ada', false);
    ctx.clock.advance(119);
    await ctx.services.assignmentOrphans.sweep();
    assert.deepEqual(await orphanMessages(), [], 'not before the 120 s');
    ctx.clock.advance(1);
    await ctx.services.assignmentOrphans.sweep();
    await ctx.services.assignmentOrphans.sweep();
    const messages = await orphanMessages();
    assert.equal(messages.length, 1, 'once');
    assert.deepEqual([messages[0]!.type, messages[0]!.data.agentId, messages[0]!.data.conversations, messages[0]!.data.moved], ['assignment.orphaned', ids.Ada, ['o-1'], []]);
    assert.equal(await holder('o-1'), ids.Ada, 'announced only: the chat stays');
  });

  it('the same announcement is an event of the stream, plain and batched, with its own id: a resume replays it once, a snapshot does not repeat it', async () => {
    const [plain, batched] = [await stream(), await stream('?batch=true')];
    await plain.next((event) => event.event === 'snapshot');
    await batched.next((event) => event.event === 'snapshot');
    assert.equal((await assign('o-2', 'Grace')).statusCode, 201);
    await post('Grace', false);
    ctx.clock.advance(120);
    await ctx.services.assignmentOrphans.sweep();
    const [message] = (await orphanMessages()).filter((each) => each.data.agentId === ids.Grace);
    assert.deepEqual(message?.data, { chatbotId, agentId: ids.Grace, conversations: ['o-2'], moved: [] });
    const seen = await plain.next(orphanedEvent);
    assert.deepEqual(JSON.parse(seen.data), message!.data, "the stream event's data is the webhook's");
    const inBatch = await batched.next(orphanedEvent);
    assert.deepEqual([inBatch.id, inBatch.data], [seen.id, seen.data], 'a frame of its own in a batched stream, same id');
    // Grace comes back: a presence change after it, with the next id.
    await post('Grace', true);
    const after = await plain.next((event) => event.event === 'presence');
    assert.equal(Number(after.id), Number(seen.id) + 1, 'one sequence of ids');
    for (const query of ['', '?batch=true']) {
      const resumed = await stream(query, String(Number(seen.id) - 1));
      const replayed = await resumed.upTo((event) => event.id === after.id);
      assert.deepEqual(
        replayed.map((event) => [event.event, event.id]),
        [
          ['assignment.orphaned', seen.id],
          [query ? 'batch' : 'presence', after.id],
        ],
        `resumed ${query || 'plain'}: exactly what followed`,
      );
      const fresh = await stream(query);
      const first = await fresh.next();
      assert.equal(first.event, 'snapshot', 'a new stream starts with the snapshot, without the announcement');
    }
    await ctx.services.assignmentOrphans.sweep();
    assert.equal((await orphanMessages()).filter((each) => each.data.agentId === ids.Grace).length, 1, 'once');
    assert.equal((await ctx.call({ method: 'DELETE', url: `/v1/inbox/${chatbotId}/assignments/o-2`, key: integration })).statusCode, 204);
    await post('Ada', true);
    await post('Grace', true);
    await ctx.services.assignmentOrphans.sweep();
  });

  it('an agent back within the time keeps its chats, and is watched again once back', async () => {
    const before = (await orphanMessages()).length;
    await post('Ada', false);
    ctx.clock.advance(60);
    await post('Ada', true);
    ctx.clock.advance(120);
    await post('Grace', true);
    await ctx.services.assignmentOrphans.sweep();
    assert.equal((await orphanMessages()).length, before, 'back within 120 s: nothing announced');
    assert.equal(await holder('o-1'), ids.Ada);
  });

  it('decided under the lock: orphaning an agent who is available, or not gone long enough, moves nothing and announces nothing', async () => {
    const before = (await orphanMessages()).length;
    await post('Ada', true);
    await post('Grace', true);
    assert.equal(await holder('o-1'), ids.Ada);
    // As a sweep that read Ada gone a moment ago would call it, long after any wait.
    const at = ctx.clock.now() + 3_600_000;
    assert.equal(await ctx.services.assignments.orphan(chatbotId, ids.Ada!, ['o-1'], true, at), null, 'Ada is available: not orphaned');
    await post('Ada', false);
    ctx.clock.advance(60);
    assert.equal(await ctx.services.assignments.orphan(chatbotId, ids.Ada!, ['o-1'], true, ctx.clock.now()), null, 'offline for 60 s of 120: not yet');
    assert.equal(await holder('o-1'), ids.Ada, 'the chat stayed');
    assert.equal((await orphanMessages()).length, before, 'nothing announced');
    await post('Ada', true);
  });

  it('with autoReassign, orphaned chats move to an eligible agent, and the message says where', async () => {
    const admin = (await ctx.chatbotKey(chatbotId, ['chatbots.edit'])).key;
    const patched = await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin, payload: { autoReassign: true } });
    assert.equal(patched.statusCode, 200, patched.body);
    await post('Grace', true);
    await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key: keys.Ada!, payload: { status: 'away', clientTimestamp: String(ctx.clock.now()) } });
    ctx.clock.advance(120);
    await post('Grace', true);
    const watching = await stream('?batch=true');
    await watching.next((event) => event.event === 'snapshot');
    await ctx.services.assignmentOrphans.sweep();
    assert.equal(await holder('o-1'), ids.Grace, 'moved to Grace');
    const last = (await orphanMessages()).at(-1)!;
    assert.deepEqual(last.data.moved, [{ conversationId: 'o-1', agentId: ids.Grace }]);
    assert.deepEqual(JSON.parse((await watching.next(orphanedEvent)).data), last.data, 'the stream says where it went');
    const moved = await ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'detail'])
      .where('action', '=', 'assignment.transferred')
      .where('chatbot_id', '=', chatbotId)
      .execute();
    assert.ok(
      moved.some((row) => row.actor_kind === 'service' && row.detail?.includes('o-1')),
      'recorded as the service',
    );
  });

  it('reassignAfterSeconds null: never', async () => {
    const admin = (await ctx.chatbotKey(chatbotId, ['chatbots.edit'])).key;
    assert.equal((await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin, payload: { reassignAfterSeconds: null } })).statusCode, 200);
    expectError(await ctx.call({ method: 'PATCH', url: `/v1/chatbots/${chatbotId}`, key: admin, payload: { reassignAfterSeconds: 5 } }), 400, 'invalid_request');
    const before = (await orphanMessages()).length;
    await post('Grace', false);
    ctx.clock.advance(3600);
    await ctx.services.assignmentOrphans.sweep();
    assert.equal((await orphanMessages()).length, before);
  });
});

describe('when an assignment is orphaned (the pure rule)', () => {
  const cases: Array<[string, AvailabilityState | null, number | null, number, number | null]> = [
    ['available: never', 'available', 0, 0, null],
    ['busy: still at work', 'busy', 0, 0, null],
    ['offline since 1,000: at 1,000 + 120 s', 'offline', 1000, 500, 121_000],
    ['away since before the assignment: from the assignment', 'away', 100, 5000, 125_000],
    ['do not disturb', 'dnd', 0, 0, 120_000],
    ['never announced: offline since the assignment', null, null, 7000, 127_000],
  ];
  for (const [what, state, since, assignedAt, expected] of cases) it(what, () => assert.equal(orphanedAt(state, since, assignedAt, 120), expected));
});
