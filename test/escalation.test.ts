import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CLI } from '../src/auth/actor.js';
import { agentKeyRefusal, chatbotKeyRefusal, lastAdminRefusal, membershipChangeRefusal, operatorKeyRefusal, roleRefusal, type Holdings } from '../src/auth/escalation.js';
import { grantCovers, grantsCover, PERMISSION_SCOPES, PERMISSIONS, type Permission } from '../src/auth/permissions.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/** Holdings of a key: `install` grants, and grants per chatbot. */
const holding = (on: Record<string, string[]>, install: string[] = [], operator = false): Holdings => ({ install, on: (chatbotId) => on[chatbotId] ?? [], operator });

describe('escalation rules (pure)', () => {
  it('grantCovers: *, prefixes ending in .*, exact names; never a wildcard from exact names', () => {
    const table: Array<[string, string, boolean]> = [
      ['*', 'chatbots.keys.create', true],
      ['*', '*', true],
      ['chatbots.*', 'chatbots.inbox.*', true],
      ['chatbots.*', 'chatbots.keys.create', true],
      ['chatbots.inbox.*', 'chatbots.keys.create', false],
      ['chatbots.inbox.*', 'chatbots.inbox.agents.list', true],
      ['chatbots.inbox.agents.list', 'chatbots.inbox.*', false],
      ['chatbots.*', '*', false],
      ['chatbots.*', 'agents.create', false],
      ['chatbots.keys.create', 'chatbots.keys.create', true],
      ['chatbots.keys', 'chatbots.keys.create', false],
      ['chatbots.inbox.*', 'chatbots.inboxes.list', false],
    ];
    for (const [held, wanted, expected] of table) assert.equal(grantCovers(held, wanted), expected, `${held} covers ${wanted}`);
    assert.equal(grantsCover(['chatbots.inbox.*', 'chatbots.keys.list'], ['chatbots.inbox.agents.list', 'chatbots.keys.list']), true);
    assert.equal(grantsCover(['chatbots.inbox.*'], ['chatbots.inbox.agents.list', 'chatbots.keys.list']), false);
  });

  it('chatbotKeyRefusal: only grants held on that chatbot', () => {
    const table: Array<[Holdings, string[], boolean]> = [
      [holding({ c1: ['*'] }), ['chatbots.*'], true],
      [holding({ c1: ['chatbots.inbox.*'] }), ['chatbots.inbox.agents.list'], true],
      [holding({ c1: ['chatbots.inbox.*'] }), ['chatbots.keys.create'], false],
      [holding({ c2: ['*'] }), ['chatbots.inbox.agents.list'], false],
      [holding({ c1: ['chatbots.inbox.agents.list'] }), ['chatbots.inbox.*'], false],
    ];
    for (const [held, grants, allowed] of table) assert.equal(chatbotKeyRefusal(held, 'c1', grants) === null, allowed, JSON.stringify(grants));
  });

  it('operatorKeyRefusal: only operator keys, with grants they hold on the install', () => {
    assert.equal(operatorKeyRefusal(holding({}, ['*'], true), ['*']), null);
    assert.equal(operatorKeyRefusal(holding({}, ['agents.*', 'keys.create'], true), ['agents.sync']), null);
    assert.match(operatorKeyRefusal(holding({}, ['agents.*'], true), ['chatbots.create'])!, /only make keys whose grants it holds/);
    assert.match(operatorKeyRefusal(holding({ c1: ['*'] }, [], false), ['chatbots.create'])!, /only an operator key/);
  });

  it("agentKeyRefusal: the agent's role in every chatbot it belongs to must be held there", () => {
    const admin = holding({ c1: ['chatbots.*'] });
    assert.equal(agentKeyRefusal(admin, [{ chatbotId: 'c1', role: 'admin' }]), null);
    assert.equal(agentKeyRefusal(admin, [{ chatbotId: 'c1', role: 'agent' }]), null);
    assert.match(
      agentKeyRefusal(admin, [
        { chatbotId: 'c1', role: 'agent' },
        { chatbotId: 'c2', role: 'agent' },
      ])!,
      /agent of chatbot c2/,
    );
    assert.match(agentKeyRefusal(holding({ c1: ['chatbots.inbox.*'] }), [{ chatbotId: 'c1', role: 'admin' }])!, /admin of chatbot c1/);
    assert.equal(agentKeyRefusal(holding({}), []), null, 'an agent in no chatbot can do nothing');
  });

  it('roleRefusal and membershipChangeRefusal: give only roles held; take away only roles held; a no-op is no change', () => {
    const inbox = holding({ c1: ['chatbots.inbox.*', 'chatbots.members.edit'] });
    const admin = holding({ c1: ['chatbots.*'] });
    assert.equal(roleRefusal(inbox, 'c1', 'agent'), null);
    assert.match(roleRefusal(inbox, 'c1', 'admin')!, /cannot make an agent admin/);
    const table: Array<[Holdings, 'agent' | 'admin' | undefined, 'agent' | 'admin' | null, boolean]> = [
      [inbox, undefined, 'agent', true],
      [inbox, undefined, 'admin', false],
      [inbox, 'agent', null, true],
      [inbox, 'admin', 'agent', false],
      [inbox, 'admin', null, false],
      [inbox, 'admin', 'admin', true],
      [admin, 'admin', 'agent', true],
      [admin, 'agent', 'admin', true],
      [holding({ c1: ['chatbots.members.edit'] }), 'agent', 'agent', true],
      [holding({ c1: ['chatbots.members.edit'] }), 'agent', null, false],
    ];
    for (const [held, from, to, allowed] of table) assert.equal(membershipChangeRefusal(held, 'c1', from, to) === null, allowed, `${from} → ${to}`);
  });

  it('lastAdminRefusal: the last admin stays admin', () => {
    assert.match(lastAdminRefusal(['a'], 'a', 'agent')!, /last admin/);
    assert.match(lastAdminRefusal(['a'], 'a', null)!, /last admin/);
    assert.equal(lastAdminRefusal(['a', 'b'], 'a', null), null);
    assert.equal(lastAdminRefusal(['a'], 'a', 'admin'), null);
    assert.equal(lastAdminRefusal(['a'], 'b', null), null);
    assert.equal(lastAdminRefusal([], 'b', null), null);
  });
});

/**
 * The property the rules exist for, over HTTP: random keys with random grants make random
 * administrative calls, and no call ever leaves any key able to do something the key that made
 * the call could not do itself.
 */
describe('no escalation, ever (property)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const CHATBOT_GRANTS = ['*', 'chatbots.*', 'chatbots.inbox.*', 'chatbots.keys.*', 'chatbots.members.*', ...PERMISSIONS.filter((p) => PERMISSION_SCOPES[p] === 'chatbot')];
  const ANY_GRANTS = [...CHATBOT_GRANTS, 'agents.*', 'keys.*', ...PERMISSIONS.filter((p) => PERMISSION_SCOPES[p] === 'install')];

  // Broad grants often, so that many calls are allowed and the property is put to work.
  const grantsFrom = (list: string[]) =>
    fc.uniqueArray(
      fc.oneof({ weight: 2, arbitrary: fc.constantFrom('*', 'chatbots.*', 'chatbots.members.*', 'chatbots.keys.*') }, { weight: 3, arbitrary: fc.constantFrom(...list) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    );

  type Action =
    | { kind: 'chatbotKey'; actor: number; chatbot: number; grants: string[] }
    | { kind: 'operatorKey'; actor: number; grants: string[] }
    | { kind: 'agentKey'; actor: number; chatbot: number; agent: number }
    | { kind: 'member'; actor: number; chatbot: number; agent: number; role: 'agent' | 'admin' }
    | { kind: 'removeMember'; actor: number; chatbot: number; agent: number }
    | { kind: 'rotate'; actor: number; target: number; chatbot: number; viaChatbot: boolean };

  const actor = fc.nat(40);
  const chatbot = fc.nat(2);
  const agent = fc.nat(3);
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ kind: fc.constant('chatbotKey' as const), actor, chatbot, grants: grantsFrom(CHATBOT_GRANTS) }),
    fc.record({ kind: fc.constant('operatorKey' as const), actor, grants: grantsFrom(ANY_GRANTS) }),
    fc.record({ kind: fc.constant('agentKey' as const), actor, chatbot, agent }),
    fc.record({ kind: fc.constant('member' as const), actor, chatbot, agent, role: fc.constantFrom('agent' as const, 'admin' as const) }),
    fc.record({ kind: fc.constant('removeMember' as const), actor, chatbot, agent }),
    fc.record({ kind: fc.constant('rotate' as const), actor, target: fc.nat(40), chatbot, viaChatbot: fc.boolean() }),
  );
  const seedKeys = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('chatbot' as const), chatbot, grants: grantsFrom(CHATBOT_GRANTS) }),
      fc.record({ kind: fc.constant('operator' as const), grants: grantsFrom(ANY_GRANTS) }),
      fc.record({ kind: fc.constant('agent' as const), agent }),
    ),
    { minLength: 2, maxLength: 6 },
  );
  const seedMembers = fc.array(fc.record({ chatbot, agent, role: fc.constantFrom('agent' as const, 'admin' as const) }), { maxLength: 8 });

  it('random keys making random administrative calls never make a key more powerful than themselves', async () => {
    let calls = 0;
    let allowed = 0;
    await fc.assert(
      fc.asyncProperty(seedKeys, seedMembers, fc.array(action, { minLength: 1, maxLength: 15 }), async (keysToSeed, members, actions) => {
        const chatbots = [await ctx.chatbot(), await ctx.chatbot(), await ctx.chatbot()];
        const agents: string[] = [];
        for (let i = 0; i < 4; i++) agents.push((await ctx.services.tenancy.createAgent(CLI, { name: `Agent ${i}` })).id);
        // The first role given to each (chatbot, agent) pair: a seed never demotes a last admin.
        const seeded = new Map(members.reverse().map((m) => [`${m.chatbot}/${m.agent}`, m]));
        for (const m of seeded.values()) await ctx.services.tenancy.setMember(CLI, { chatbotId: chatbots[m.chatbot]!, agentId: agents[m.agent]!, role: m.role });
        // Every agent has a key, so what a membership change gives shows in some key's power.
        const keys: Array<{ id: string; secret: string }> = [];
        for (const agentId of agents) {
          const made = await ctx.services.keys.createAgentKey(CLI, { agentId });
          keys.push({ id: made.id, secret: made.key });
        }
        for (const seed of keysToSeed) {
          const made =
            seed.kind === 'chatbot'
              ? await ctx.services.keys.createChatbotKey(CLI, { chatbotId: chatbots[seed.chatbot]!, permissions: seed.grants })
              : seed.kind === 'operator'
                ? await ctx.services.keys.createOperatorKey(CLI, { permissions: seed.grants })
                : await ctx.services.keys.createAgentKey(CLI, { agentId: agents[seed.agent]! });
          keys.push({ id: made.id, secret: made.key });
        }

        /** Everything a key may do here: `permission@chatbot` (or `@install`). */
        const powerOf = async (keyId: string): Promise<Set<string>> => {
          const principal = await ctx.services.auth.principalForKey(keyId).catch(() => null);
          const power = new Set<string>();
          if (!principal) return power;
          for (const permission of PERMISSIONS) {
            const places: Array<string | null> = PERMISSION_SCOPES[permission] === 'install' ? [null] : chatbots;
            for (const place of places) {
              const ok = await ctx.services.auth.authorize(principal, place, permission as Permission, false).then(
                () => true,
                () => false,
              );
              if (ok) power.add(`${permission}@${place ?? 'install'}`);
            }
          }
          return power;
        };

        for (const step of actions) {
          const acting = keys[step.actor % keys.length]!;
          const before = new Map<string, Set<string>>();
          for (const key of keys) before.set(key.id, await powerOf(key.id));
          const held = before.get(acting.id)!;
          const request = (() => {
            switch (step.kind) {
              case 'chatbotKey':
                return { method: 'POST' as const, url: `/v1/chatbots/${chatbots[step.chatbot]}/keys`, payload: { kind: 'chatbot', permissions: step.grants } };
              case 'operatorKey':
                return { method: 'POST' as const, url: '/v1/keys', payload: { permissions: step.grants } };
              case 'agentKey':
                return { method: 'POST' as const, url: `/v1/chatbots/${chatbots[step.chatbot]}/keys`, payload: { kind: 'agent', agentId: agents[step.agent] } };
              case 'member':
                return { method: 'PUT' as const, url: `/v1/chatbots/${chatbots[step.chatbot]}/members/${agents[step.agent]}`, payload: { role: step.role } };
              case 'removeMember':
                return { method: 'DELETE' as const, url: `/v1/chatbots/${chatbots[step.chatbot]}/members/${agents[step.agent]}` };
              case 'rotate': {
                const target = keys[step.target % keys.length]!;
                const url = step.viaChatbot ? `/v1/chatbots/${chatbots[step.chatbot]}/keys/${target.id}/rotate` : `/v1/keys/${target.id}/rotate`;
                return { method: 'POST' as const, url, payload: { overlapSeconds: 0 } };
              }
            }
          })();
          const response = await ctx.call({ ...request, key: acting.secret });
          calls++;
          if (response.statusCode >= 300) {
            assert.ok([403, 404, 409].includes(response.statusCode), response.body);
            continue;
          }
          allowed++;
          const body = (response.statusCode === 204 ? {} : response.json()) as { id?: string; key?: string };
          if (body.key && body.id) {
            // The caller now holds this key's secret: all it can do, the caller could do already.
            const beyond = [...(await powerOf(body.id))].filter((p) => !held.has(p));
            assert.deepEqual(beyond, [], `${step.kind} by ${acting.id} handed it the secret of ${body.id}, which may ${beyond.join(', ')}`);
            const existing = keys.find((k) => k.id === body.id);
            if (existing) existing.secret = body.key;
            else keys.push({ id: body.id, secret: body.key });
          }
          for (const key of keys) {
            const now = await powerOf(key.id);
            const gained = [...now].filter((p) => !(before.get(key.id) ?? new Set()).has(p));
            const beyond = gained.filter((p) => !held.has(p));
            assert.deepEqual(beyond, [], `${step.kind} by ${acting.id} gave ${key.id} ${beyond.join(', ')}, which the caller does not hold`);
          }
        }
      }),
      { numRuns: 60 },
    );
    assert.ok(calls > 200 && allowed >= 8, `the calls exercised both outcomes (${allowed} of ${calls} allowed)`);
  });
});
