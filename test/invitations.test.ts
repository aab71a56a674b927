import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INVITATION_TTL_MS, invitationState } from '../src/invitations/state.js';
import { createTestContext, expectError, snapshotState, type TestContext } from './helpers/context.js';

describe('where an invitation stands', () => {
  const at = 1_000_000;
  const cases: Array<[string, { expires_at: number; used_at: number | null; revoked_at: number | null }, string]> = [
    ['not yet opened, before its end', { expires_at: at + 1, used_at: null, revoked_at: null }, 'pending'],
    ['at its end', { expires_at: at, used_at: null, revoked_at: null }, 'expired'],
    ['opened', { expires_at: at + 1, used_at: at - 5, revoked_at: null }, 'accepted'],
    ['opened, then past its end', { expires_at: at - 1, used_at: at - 5, revoked_at: null }, 'accepted'],
    ['revoked', { expires_at: at + 1, used_at: null, revoked_at: at - 5 }, 'revoked'],
    ['revoked, then past its end', { expires_at: at - 1, used_at: null, revoked_at: at - 5 }, 'revoked'],
  ];
  for (const [what, row, state] of cases) it(`${what}: ${state}`, () => assert.equal(invitationState(row, at), state));
});

interface Invitation {
  id: string;
  name: string;
  email: string;
  role: string;
  state: string;
  url?: string;
  expiresAt: string;
  invitedBy: string | null;
  agentId: string | null;
}

describe('invitations', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let adminKey: string;
  let adminKeyId: string;
  let adminId: string;
  before(async () => {
    ctx = await createTestContext({ env: { PUBLIC_URL: 'https://inbox.example.com' } });
    chatbotId = await ctx.chatbot();
    adminId = await ctx.agent(chatbotId, { name: 'Admin', role: 'admin' });
    ({ key: adminKey, id: adminKeyId } = await ctx.agentKey(adminId));
  });
  after(() => ctx.close());

  const invite = (body: Record<string, unknown>, key = adminKey, chatbot = chatbotId) =>
    ctx.call({ method: 'POST', url: `/v1/chatbots/${chatbot}/invitations`, key, payload: body });
  const list = async (chatbot = chatbotId) => (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbot}/invitations?limit=100`, key: adminKey })).json().items as Invitation[];
  const revoke = (id: string, chatbot = chatbotId) => ctx.call({ method: 'DELETE', url: `/v1/chatbots/${chatbot}/invitations/${id}`, key: adminKey });
  const open = (url: string) => ctx.call({ method: 'POST', url: '/v1/login-links/exchange', payload: { token: new URL(url).hash.replace(/^#login=/, ''), name: 'New browser' } });
  const members = async () =>
    (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/members?limit=100`, key: adminKey })).json().items as Array<{
      agentId: string;
      name: string;
      email: string;
      role: string;
    }>;
  const audit = async () =>
    (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/audit?limit=100`, key: adminKey })).json().items as Array<{
      action: string;
      actor: { kind: string; keyId: string | null; name: string | null; agentId: string | null };
      agentId: string | null;
      detail: Record<string, unknown> | null;
    }>;

  it('an admin invites by name, e-mail and role; opening the link makes a new agent, its membership and the browser key, once', async () => {
    const made = await invite({ name: 'New Colleague', email: 'new.colleague@example.com', role: 'admin' });
    assert.equal(made.statusCode, 201, made.body);
    const invitation = made.json() as Invitation;
    assert.match(invitation.url!, /^https:\/\/inbox\.example\.com\/app\/#login=[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      [invitation.name, invitation.email, invitation.role, invitation.state, invitation.invitedBy],
      ['New Colleague', 'new.colleague@example.com', 'admin', 'pending', adminKeyId],
    );
    assert.equal(Date.parse(invitation.expiresAt), ctx.clock.now() + 7 * 86_400_000, 'valid for the documented 7 days');
    assert.ok(
      !(await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/invitations`, key: adminKey })).body.includes(invitation.url!.split('#login=')[1]!),
      'the link is shown once',
    );

    const opened = await open(invitation.url!);
    assert.equal(opened.statusCode, 201, opened.body);
    const browser = opened.json() as { key: string; keyId: string; agentId: string; chatbotId: string };
    assert.equal(browser.chatbotId, chatbotId);
    const member = (await members()).find((m) => m.agentId === browser.agentId);
    assert.deepEqual(member && [member.name, member.email, member.role], ['New Colleague', 'new.colleague@example.com', 'admin']);
    const me = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/me`, key: browser.key });
    assert.equal(me.json().name, 'New Colleague', 'the key acts as the new agent');
    const listed = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/online`, key: adminKey });
    assert.ok(listed.body.includes(browser.agentId), 'the new member is in the chatbot list');

    const after = (await list()).find((item) => item.id === invitation.id)!;
    assert.deepEqual([after.state, after.agentId], ['accepted', browser.agentId]);
    expectError(await open(invitation.url!), 410, 'login_link_invalid');

    const entries = await audit();
    const created = entries.find((entry) => entry.action === 'invitation.created' && entry.detail?.invitationId === invitation.id);
    assert.deepEqual(created?.actor, { kind: 'agent', keyId: adminKeyId, name: 'Admin', agentId: adminId });
    const byLink = entries.filter((entry) => entry.agentId === browser.agentId && entry.actor.kind === 'login_link').map((entry) => entry.action);
    assert.deepEqual(byLink.sort(), ['agent.created', 'invitation.accepted', 'key.created', 'member.added']);
  });

  it('an address that belongs to an agent elsewhere makes no difference: the answer is alike and the link makes a new agent', async () => {
    const elsewhere = await ctx.chatbot();
    const existing = (await ctx.services.tenancy.createMemberAgent({ kind: 'cli' }, { chatbotId: elsewhere, name: 'Someone', email: 'someone@example.com' })).id;
    const known = (await invite({ name: 'Someone', email: 'someone@example.com' })).json() as Invitation;
    const unknown = (await invite({ name: 'Someone Else', email: 'nobody-here@example.com' })).json() as Invitation;
    assert.deepEqual(Object.keys(known).sort(), Object.keys(unknown).sort());
    assert.deepEqual([known.state, known.agentId], [unknown.state, unknown.agentId]);
    const opened = (await open(known.url!)).json() as { agentId: string };
    assert.notEqual(opened.agentId, existing, 'never the existing agent');
    const found = await ctx.services.tenancy.getAgent(existing);
    assert.deepEqual(
      found.memberships.map((m) => m.chatbotId),
      [elsewhere],
      'the existing agent was not made a member',
    );
  });

  it('a new invitation of the same address replaces the pending one', async () => {
    const first = (await invite({ name: 'Twice', email: 'twice@example.com' })).json() as Invitation;
    const second = (await invite({ name: 'Twice', email: 'twice@example.com' })).json() as Invitation;
    expectError(await open(first.url!), 410, 'login_link_invalid');
    assert.equal((await list()).find((item) => item.id === first.id)?.state, 'revoked');
    assert.equal((await open(second.url!)).statusCode, 201);
  });

  it('revoked until used: the link stops working; revoking again changes nothing; an accepted one is 409', async () => {
    const pending = (await invite({ name: 'Maybe', email: 'maybe@example.com' })).json() as Invitation;
    assert.equal((await revoke(pending.id)).statusCode, 204);
    expectError(await open(pending.url!), 410, 'login_link_invalid');
    assert.equal((await revoke(pending.id)).statusCode, 204);
    const accepted = (await invite({ name: 'Yes', email: 'yes@example.com' })).json() as Invitation;
    await open(accepted.url!);
    const refused = await revoke(accepted.id);
    expectError(refused, 409, 'invitation_accepted');
    assert.match(refused.json().error, /remove the member instead/);
    expectError(await revoke('inv_unknown'), 404, 'not_found');
    const other = await ctx.chatbot();
    const otherAdmin = (await ctx.agentKey(await ctx.agent(other, { role: 'admin' }))).key;
    const theirs = (await invite({ name: 'Theirs', email: 'theirs@example.com' }, otherAdmin, other)).json() as Invitation;
    expectError(await revoke(theirs.id), 404, 'not_found');
    expectError(await ctx.call({ method: 'DELETE', url: `/v1/chatbots/${other}/invitations/${theirs.id}`, key: adminKey }), 403, 'chatbot_forbidden');
  });

  it('expires 7 days after it was made (the default)', async () => {
    const invitation = (await invite({ name: 'Late', email: 'late@example.com' })).json() as Invitation;
    ctx.clock.advance(INVITATION_TTL_MS / 1000 - 1);
    assert.equal((await list()).find((item) => item.id === invitation.id)?.state, 'pending');
    ctx.clock.advance(1);
    assert.equal((await list()).find((item) => item.id === invitation.id)?.state, 'expired');
    expectError(await open(invitation.url!), 410, 'login_link_invalid');
  });

  it('an invitation gives only what its inviter may give when it is opened: removed, demoted or revoked, the link makes nobody and the invitation is revoked', async () => {
    // A second admin invites (the first stays, so the second may leave), then loses access in three ways.
    const ways: Array<[string, (inviter: { agentId: string; keyId: string }) => Promise<unknown>]> = [
      ['removed from the chatbot', (inviter) => ctx.call({ method: 'DELETE', url: `/v1/chatbots/${chatbotId}/members/${inviter.agentId}`, key: adminKey })],
      ['demoted to agent', (inviter) => ctx.call({ method: 'PUT', url: `/v1/chatbots/${chatbotId}/members/${inviter.agentId}`, key: adminKey, payload: { role: 'agent' } })],
    ];
    for (const [way, loseAccess] of ways) {
      const agentId = await ctx.agent(chatbotId, { name: `Inviter ${way}`, role: 'admin' });
      const { key, id: keyId } = await ctx.agentKey(agentId);
      const slug = way.split(' ')[0];
      const asAdmin = (await invite({ name: 'Would-be admin', email: `admin-${slug}@example.com`, role: 'admin' }, key)).json() as Invitation;
      const asAgent = (await invite({ name: 'Would-be agent', email: `agent-${slug}@example.com`, role: 'agent' }, key)).json() as Invitation;
      const changed = (await loseAccess({ agentId, keyId })) as { statusCode: number; body: string };
      assert.ok(changed.statusCode < 300, `${way}: ${changed.body}`);
      const before = (await members()).length;
      for (const invitation of [asAdmin, asAgent]) {
        expectError(await open(invitation.url!), 410, 'login_link_invalid');
        assert.equal((await list()).find((item) => item.id === invitation.id)?.state, 'revoked', `${way}: the ${invitation.role} invitation is revoked`);
      }
      assert.equal((await members()).length, before, `${way}: nobody was made a member`);
      const revoked = (await audit()).find((entry) => entry.action === 'invitation.revoked' && entry.detail?.invitationId === asAdmin.id);
      assert.equal(revoked?.detail?.reason, 'inviter_lost_access');
    }
    // An integration's key that invited is its own inviter: revoked, it invites nobody.
    const integration = await ctx.chatbotKey(chatbotId, ['chatbots.*']);
    const byKey = (await invite({ name: 'By key', email: 'by-key@example.com', role: 'agent' }, integration.key)).json() as Invitation;
    assert.equal((await ctx.call({ method: 'DELETE', url: `/v1/chatbots/${chatbotId}/keys/${integration.id}`, key: adminKey })).statusCode, 204);
    expectError(await open(byKey.url!), 410, 'login_link_invalid');
    assert.equal((await list()).find((item) => item.id === byKey.id)?.state, 'revoked');
    // An admin who signed out (their browser's key revoked) is still an admin: the link works.
    const keeper = await ctx.agent(chatbotId, { name: 'Keeper', role: 'admin' });
    const keeperKey = await ctx.agentKey(keeper);
    const kept = (await invite({ name: 'Welcome', email: 'welcome@example.com', role: 'admin' }, keeperKey.key)).json() as Invitation;
    assert.equal((await ctx.call({ method: 'DELETE', url: `/v1/chatbots/${chatbotId}/keys/${keeperKey.id}`, key: adminKey })).statusCode, 204);
    assert.equal((await open(kept.url!)).statusCode, 201);
  });

  it('three browsers opening one invitation at once: one agent is made', async () => {
    const invitation = (await invite({ name: 'Racer', email: 'racer@example.com' })).json() as Invitation;
    const answers = await Promise.all([open(invitation.url!), open(invitation.url!), open(invitation.url!)]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [201, 410, 410]);
    assert.equal((await members()).filter((m) => m.email === 'racer@example.com').length, 1);
  });

  it('only keys that may edit the members invite, and only to a role they hold', async () => {
    const agentKey = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
    expectError(await invite({ name: 'X', email: 'x@example.com' }, agentKey), 403, 'permission_denied');
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.members.edit'])).key;
    const escalating = await invite({ name: 'X', email: 'x@example.com', role: 'admin' }, integration);
    expectError(escalating, 403, 'permission_denied');
    const elsewhere = await ctx.chatbot();
    expectError(await invite({ name: 'X', email: 'x@example.com' }, adminKey, elsewhere), 403, 'chatbot_forbidden');
  });

  it('a deleted chatbot takes its invitations with it', async () => {
    const doomed = await ctx.chatbot();
    const adminThere = (await ctx.agentKey(await ctx.agent(doomed, { role: 'admin' }))).key;
    const invitation = (await invite({ name: 'Gone', email: 'gone@example.com' }, adminThere, doomed)).json() as Invitation;
    await ctx.services.tenancy.deleteChatbot({ kind: 'cli' }, doomed);
    expectError(await open(invitation.url!), 410, 'login_link_invalid');
  });

  it('bad input is refused with the rule and changes nothing', async () => {
    const before = await snapshotState(ctx.database);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'No Mail' }, /email/],
      [{ name: 'Bad Mail', email: 'not-an-address' }, /email/],
      [{ email: 'a@example.com' }, /name/],
      [{ name: '', email: 'a@example.com' }, /name/],
      [{ name: 'x'.repeat(201), email: 'a@example.com' }, /name/],
      [{ name: 'Role', email: 'a@example.com', role: 'owner' }, /role/],
      [{ name: 'Extra', email: 'a@example.com', agentId: 'ag_x' }, /agentId/],
    ];
    for (const [body, rule] of cases) {
      const answer = await invite(body);
      expectError(answer, 400, 'invalid_request');
      assert.match(answer.json().error, rule, JSON.stringify(body));
    }
    expectError(await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/invitations?limit=0`, key: adminKey }), 400, 'invalid_request');
    assert.equal(await snapshotState(ctx.database), before);
  });
});
