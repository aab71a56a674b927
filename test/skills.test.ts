import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, expectError, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { SseClient } from './helpers/sse.js';
import { teamCalls } from './helpers/team-calls.js';

/**
 * Skills over HTTP, on the database under test: an admin gives a member skills, an assignment
 * requires them, and the queue and transfers honour them.
 */
interface Considered {
  agentId: string;
  name: string;
  outcome: string;
  missingSkills?: string[];
}

describe('skills: members hold them, chats require them', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let integration: string;
  let admin: string;
  const agents: Record<string, { id: string; key: string }> = {};

  const skills = (name: string, list: unknown, key = admin) =>
    ctx.call({ method: 'PUT', url: `/v1/chatbots/${chatbotId}/members/${agents[name]!.id}/skills`, key, payload: { skills: list } });
  const calls = teamCalls(() => ({ ctx, chatbotId, integration, agents }));
  const { online, capacity, assign, end } = calls;
  const chatOf = (conversationId: string) => calls.chatOf<{ state: string; agentName: string | null; requiredSkills: string[]; skillSteps: unknown }>(conversationId);
  const member = async (name: string) => {
    const answer = await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/members/${agents[name]!.id}`, key: admin });
    assert.equal(answer.statusCode, 200, answer.body);
    return answer.json() as { skills: string[] };
  };

  before(async () => {
    ctx = await createTestContext({ clock: 'real' });
    chatbotId = await ctx.chatbot('Skilled');
    integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.inbox.agents.capacity.edit', 'chatbots.inbox.agents.list'])).key;
    admin = (await ctx.chatbotKey(chatbotId, ['chatbots.members.*', 'chatbots.audit.read'])).key;
    for (const name of ['Ada', 'Grace', 'Linus']) {
      const id = await ctx.agent(chatbotId, { name });
      agents[name] = { id, key: (await ctx.agentKey(id)).key };
      assert.equal((await capacity(name, 1)).statusCode, 200);
    }
  });
  after(() => ctx.close());

  it('an admin sets a member’s skills: each once, sorted; the member and the list of members show them; the audit log says what changed', async () => {
    const set = await skills('Ada', ['es', 'billing', 'es']);
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), { chatbotId, agentId: agents.Ada!.id, skills: ['billing', 'es'] });
    assert.deepEqual((await member('Ada')).skills, ['billing', 'es']);
    assert.deepEqual((await member('Grace')).skills, [], 'none until given');
    const listed = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/members`, key: admin })).json().items as Array<{ agentId: string; skills: string[] }>;
    assert.deepEqual(listed.find((item) => item.agentId === agents.Ada!.id)?.skills, ['billing', 'es']);
    const audit = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/audit`, key: admin })).json().items as Array<{ action: string; detail: unknown }>;
    assert.deepEqual(
      audit.filter((entry) => entry.action === 'member.skills_changed').map((entry) => entry.detail),
      [{ from: [], to: ['billing', 'es'] }],
    );
    // The same list again changes nothing and is not recorded again.
    assert.equal((await skills('Ada', ['billing', 'es'])).statusCode, 200);
    const again = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/audit`, key: admin })).json().items as Array<{ action: string }>;
    assert.equal(again.filter((entry) => entry.action === 'member.skills_changed').length, 1);
  });

  it('bad input is refused with a clear error and changes nothing', async () => {
    for (const [list, message] of [
      [['ES'], /skills: "ES" is not a skill name: a skill is 1 to 40 lower-case letters/],
      [['tier 2'], /"tier 2" is not a skill name/],
      ['es', /skills/],
      [Array.from({ length: 51 }, (_, i) => `s${i}`), /skills/],
    ] as const) {
      const answer = await skills('Ada', list);
      expectError(answer, 400, 'invalid_request');
      assert.match(answer.json().error, message);
    }
    expectError(
      await ctx.call({ method: 'PUT', url: `/v1/chatbots/${chatbotId}/members/${agents.Ada!.id}/skills`, key: admin, payload: { skills: [], extra: 1 } }),
      400,
      'invalid_request',
    );
    // A misspelt field is named, not the one it hides.
    const misspelt = await ctx.call({ method: 'PUT', url: `/v1/chatbots/${chatbotId}/members/${agents.Ada!.id}/skills`, key: admin, payload: { skill: ['es'] } });
    expectError(misspelt, 400, 'invalid_request');
    assert.equal(misspelt.json().error, 'skill is not a field of this body; check its spelling');
    expectError(await ctx.call({ method: 'PUT', url: `/v1/chatbots/${chatbotId}/members/ag_nobody/skills`, key: admin, payload: { skills: ['es'] } }), 404, 'not_found');
    // An agent of the chatbot may not give skills; an integration without chatbots.members.edit neither.
    expectError(await skills('Grace', ['es'], agents.Grace!.key), 403, 'permission_denied');
    expectError(await skills('Grace', ['es'], integration), 403, 'permission_denied');
    assert.deepEqual((await member('Ada')).skills, ['billing', 'es']);
    assert.deepEqual((await member('Grace')).skills, []);
    // A requirement is checked the same way.
    expectError(await assign({ conversationId: 'bad', requiredSkills: ['Spanish!'] }), 400, 'invalid_request');
    expectError(await assign({ conversationId: 'bad', requiredSkills: Array.from({ length: 11 }, (_, i) => `s${i}`) }), 400, 'invalid_request');
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments/bad`, key: integration }), 404, 'not_found');
  });

  it('a chat requiring skills goes only to a member holding every one; nobody: 409 naming what each lacks', async () => {
    for (const name of ['Ada', 'Grace', 'Linus']) assert.equal((await online(name)).statusCode, 200);
    try {
      const none = await assign({ conversationId: 'fr', requiredSkills: ['fr'] });
      assert.equal(none.statusCode, 409, none.body);
      const considered = none.json().considered as Considered[];
      assert.deepEqual(
        considered.map((item) => [item.name, item.outcome, item.missingSkills]),
        [
          ['Ada', 'missing_skill', ['fr']],
          ['Grace', 'missing_skill', ['fr']],
          ['Linus', 'missing_skill', ['fr']],
        ],
      );
      assert.match(none.json().error, /Ada lacks fr/);
      const taken = await assign({ conversationId: 'es-billing', requiredSkills: ['es', 'billing'] });
      assert.equal(taken.statusCode, 201, taken.body);
      assert.equal(taken.json().agentName, 'Ada');
      assert.equal((taken.json().considered as Considered[]).find((item) => item.name === 'Grace')?.outcome, 'missing_skill');
      assert.deepEqual((await chatOf('es-billing')).requiredSkills, ['billing', 'es']);
      // Ada is full (maxChats 1): the next chat needing es has nobody, one needing nothing goes elsewhere.
      assert.equal((await assign({ conversationId: 'es-2', requiredSkills: ['es'] })).statusCode, 409);
      assert.equal((await assign({ conversationId: 'plain' })).statusCode, 201);
      // A transfer keeps the requirement: nobody else holds es.
      const moved = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments/es-billing/transfer`, key: integration, payload: {} });
      assert.equal(moved.statusCode, 409, moved.body);
      assert.ok((moved.json().considered as Considered[]).some((item) => item.outcome === 'missing_skill'));
    } finally {
      for (const conversationId of ['es-billing', 'plain']) await end(conversationId);
      for (const name of ['Ada', 'Grace', 'Linus']) await online(name, false);
    }
  });

  it('a waiting chat needing a skill nobody online holds does not hold up those behind it, and is assigned in the unit that gives a member with room the skill', async () => {
    assert.equal((await online('Grace')).statusCode, 200);
    try {
      assert.equal((await assign({ conversationId: 'w-de', requiredSkills: ['de'], wait: true })).statusCode, 202);
      // Grace has room but not de: the chat behind it, needing nothing, is hers.
      const behind = await assign({ conversationId: 'w-any', wait: true });
      assert.equal(behind.statusCode, 201, behind.body);
      assert.equal(behind.json().agentName, 'Grace');
      const waiting = await chatOf('w-de');
      assert.deepEqual([waiting.state, waiting.requiredSkills], ['waiting', ['de']]);
      // Linus comes online without de: still waiting.
      assert.equal((await online('Linus')).statusCode, 200);
      assert.equal((await chatOf('w-de')).state, 'waiting');
      // Linus is given de: read at once after the answer, the chat is his (no sweep ran in between).
      assert.equal((await skills('Linus', ['de'])).statusCode, 200);
      const taken = await chatOf('w-de');
      assert.deepEqual([taken.state, taken.agentName, taken.requiredSkills], ['assigned', 'Linus', ['de']]);
    } finally {
      for (const conversationId of ['w-de', 'w-any']) await end(conversationId);
      for (const name of ['Grace', 'Linus']) await online(name, false);
    }
    // The chat ended keeps what it required; the conversation started again without a
    // requirement and ended again says so (the ended row is the latest chat's).
    assert.deepEqual((await chatOf('w-de')).requiredSkills, ['de']);
    assert.equal((await assign({ conversationId: 'w-de', wait: true })).statusCode, 202);
    assert.equal((await end('w-de')).statusCode, 204);
    assert.deepEqual([(await chatOf('w-de')).state, (await chatOf('w-de')).requiredSkills], ['cancelled', []]);
  });

  it('a waiting chat’s requirement relaxes step by step, judged again within a second of each step (the default sweep), and its event says which step assigned it', async () => {
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    // Ada holds billing and es (given above) but is offline; Grace, online, holds none: only a step can help.
    assert.equal((await skills('Linus', [])).statusCode, 200);
    for (const name of ['Grace']) assert.equal((await online(name)).statusCode, 200);
    try {
      await stream.next((frame) => frame.event === 'snapshot');
      const asked = await assign({
        conversationId: 'relax',
        requiredSkills: ['billing', 'es'],
        skillSteps: [
          { afterSeconds: 1, requiredSkills: ['es'] },
          { afterSeconds: 2, requiredSkills: [] },
        ],
        wait: true,
      });
      assert.equal(asked.statusCode, 202, asked.body);
      assert.deepEqual(asked.json().requiredSkills, ['billing', 'es']);
      assert.deepEqual(asked.json().skillSteps, [
        { afterSeconds: 1, requiredSkills: ['es'] },
        { afterSeconds: 2, requiredSkills: [] },
      ]);
      const arrived = Date.parse(asked.json().arrivedAt);
      // Nobody online holds es either: at 1 s it still waits, now requiring es alone.
      await eventually(async () => assert.deepEqual((await chatOf('relax')).requiredSkills, ['es']), 3_000);
      assert.equal((await chatOf('relax')).state, 'waiting');
      // The queue says why it waits now, by the requirement in effect: Ada holds es but is offline.
      const listed = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/queue`, key: integration })).json().items as Array<{
        conversationId: string;
        considered: Considered[];
      }>;
      assert.deepEqual(
        listed.find((item) => item.conversationId === 'relax')?.considered.map((item) => [item.name, item.outcome, item.missingSkills]),
        [
          ['Ada', 'not_available', undefined],
          ['Grace', 'missing_skill', ['es']],
          ['Linus', 'missing_skill', ['es']],
        ],
      );
      // At 2 s anyone: Grace takes it, within a second of the step.
      const created = await stream.next((frame) => frame.event === 'assignment.created' && JSON.parse(frame.data).conversationId === 'relax', 5_000);
      const data = JSON.parse(created.data);
      assert.deepEqual([data.agentName, data.skillStep, data.requiredSkills], ['Grace', 2, []]);
      const after = Date.parse(data.assignedAt) - (arrived + 2_000);
      assert.ok(after >= 0 && after < 1_500, `assigned ${after} ms after its step`);
      const taken = await chatOf('relax');
      assert.deepEqual([taken.state, taken.requiredSkills, taken.skillSteps], ['assigned', [], null]);
      // Steps only make sense for a chat that may wait, and before it expires; a refusal names the step.
      const refused = await assign({ conversationId: 'no-wait', requiredSkills: ['es'], skillSteps: [{ afterSeconds: 5, requiredSkills: [] }] });
      expectError(refused, 400, 'invalid_request');
      assert.match(refused.json().error, /send them with wait: true/);
      const late = await assign({ conversationId: 'late', requiredSkills: ['es'], wait: true, maxWaitSeconds: 10, skillSteps: [{ afterSeconds: 60, requiredSkills: [] }] });
      expectError(late, 400, 'invalid_request');
      assert.match(late.json().error, /skillSteps\.0\.afterSeconds \(60\) must come before the chat expires \(maxWaitSeconds 10\)/);
      const fraction = await assign({ conversationId: 'late', requiredSkills: ['es'], wait: true, skillSteps: [{ afterSeconds: 1.5, requiredSkills: [] }] });
      assert.match(fraction.json().error, /skillSteps\.0\.afterSeconds must be a whole number from 1 to 86400/);
      expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments/late`, key: integration }), 404, 'not_found');
    } finally {
      stream.close();
      await end('relax');
      await online('Grace', false);
    }
  });

  it('a waiting chat requiring a skill nobody holds has no estimate and no nextAvailableAt; one a member holds counts that member’s slots', async () => {
    // A chatbot of its own: no chat released there yet, so the handle time is the default (300 s).
    const team = { ctx, chatbotId: await ctx.chatbot('Estimates'), integration: '', agents: {} as Record<string, { id: string; key: string }> };
    team.integration = (await ctx.chatbotKey(team.chatbotId, ['chatbots.inbox.assignments.*', 'chatbots.inbox.agents.capacity.edit'])).key;
    const owner = (await ctx.chatbotKey(team.chatbotId, ['chatbots.members.*'])).key;
    const here = teamCalls(() => team);
    for (const name of ['Ada', 'Grace']) {
      const id = await ctx.agent(team.chatbotId, { name });
      team.agents[name] = { id, key: (await ctx.agentKey(id)).key };
      assert.equal((await here.capacity(name, 1)).statusCode, 200);
      assert.equal((await here.online(name)).statusCode, 200);
    }
    const given = await ctx.call({ method: 'PUT', url: `/v1/chatbots/${team.chatbotId}/members/${team.agents.Ada!.id}/skills`, key: owner, payload: { skills: ['es'] } });
    assert.equal(given.statusCode, 200, given.body);
    // Both take a chat (maxChats 1): full, and working.
    assert.equal((await here.assign({ conversationId: 'fill-1' })).statusCode, 201);
    assert.equal((await here.assign({ conversationId: 'fill-2' })).statusCode, 201);
    const nobody = await here.assign({ conversationId: 'w-ja', requiredSkills: ['ja'], wait: true });
    assert.equal(nobody.statusCode, 202, nobody.body);
    assert.deepEqual([nobody.json().estimatedWaitSeconds, nobody.json().nextAvailableAt], [null, null], 'no member holds ja');
    const refused = await here.assign({ conversationId: 'r-ja', requiredSkills: ['ja'] });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().nextAvailableAt, null);
    // Behind w-ja: es (position 2) over Ada's one slot; anything (position 3) over both slots.
    const es = await here.assign({ conversationId: 'w-es', requiredSkills: ['es'], wait: true });
    const any = await here.assign({ conversationId: 'w-any', wait: true });
    assert.equal(es.statusCode, 202, es.body);
    assert.equal(any.statusCode, 202, any.body);
    assert.deepEqual([es.json().position, es.json().estimatedWaitSeconds], [2, 2 * 300]);
    assert.deepEqual([any.json().position, any.json().estimatedWaitSeconds], [3, (3 * 300) / 2]);
  });
});
