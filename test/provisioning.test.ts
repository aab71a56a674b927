import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLI } from '../src/auth/actor.js';
import { PERMISSIONS } from '../src/auth/permissions.js';
import { ADMIN_ROUTES, makeTarget, onChatbot, urlOf, type AdminRoute } from './helpers/admin-routes.js';
import { sql } from 'kysely';
import { capturedLogs, createTestContext, expectError, meNotificationsPath, meOnlinePath, onlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { SseClient } from './helpers/sse.js';

type Response = Awaited<ReturnType<TestContext['call']>>;

const operatorKey = async (ctx: TestContext, permissions: string[]) => (await ctx.services.keys.createOperatorKey(CLI, { permissions })).key;

describe('provisioning API: the security battery on every route', () => {
  let ctx: TestContext;
  let revoked: string;
  let rotatedOut: string;
  let otherChatbotId: string;
  let otherChatbotKey: string;
  let otherAdminKey: string;

  before(async () => {
    ctx = await createTestContext();
    const gone = await ctx.services.keys.createOperatorKey(CLI, { permissions: ['*'] });
    await ctx.services.keys.revokeKey(CLI, gone.id, 'any');
    revoked = gone.key;
    const rotated = await ctx.services.keys.createOperatorKey(CLI, { permissions: ['*'] });
    await ctx.services.keys.rotateKey(CLI, rotated.id, 'any', 0);
    rotatedOut = rotated.key;
    otherChatbotId = await ctx.chatbot('Elsewhere');
    otherChatbotKey = (await ctx.chatbotKey(otherChatbotId, ['*'])).key;
    otherAdminKey = (await ctx.agentKey(await ctx.agent(otherChatbotId, { role: 'admin' }))).key;
  });
  after(() => ctx.close());

  const call = async (route: AdminRoute, key: string | undefined, options: { chatbotId?: string } = {}) => {
    const target = await makeTarget(ctx, route);
    const response = await ctx.call({ method: route.method, url: urlOf(route, target, options.chatbotId), key, ...(route.body ? { payload: route.body } : {}) });
    return Object.assign(response, { target });
  };

  for (const route of ADMIN_ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      it('no key: 401 missing_key; an unknown key: 401 invalid_key', async () => {
        expectError(await call(route, undefined), 401, 'missing_key');
        expectError(await call(route, `cck_${'A'.repeat(43)}`), 401, 'invalid_key');
      });
      it('a revoked key: 401 revoked_key; a rotated-out secret: 401 rotated_key', async () => {
        expectError(await call(route, revoked), 401, 'revoked_key');
        expectError(await call(route, rotatedOut), 401, 'rotated_key');
      });
      it('a key holding every permission but this one: 403 permission_denied, and nothing changes', async () => {
        const key = await ctx.services.keys.createOperatorKey(CLI, { permissions: PERMISSIONS.filter((permission) => permission !== route.permission) });
        const response = await call(route, key.key);
        expectError(response, 403, 'permission_denied');
        assert.match(response.json().error, new RegExp(route.permission.replaceAll('.', '\\.')));
        const entries = await ctx.database.db.selectFrom('audit_log').select('id').where('actor_key_id', '=', key.id).execute();
        assert.equal(entries.length, 0, 'nothing was changed in its name');
      });
      it(`an operator key with exactly ${route.permission} succeeds (${route.status}) and the change is in the audit log`, async () => {
        const key = await ctx.services.keys.createOperatorKey(CLI, { permissions: [route.permission, ...(route.alsoHeld ?? [])] });
        const response = await call(route, key.key);
        assert.equal(response.statusCode, route.status, response.body);
        if (route.method !== 'GET' && !route.unchanged) {
          const entry = await ctx.database.db.selectFrom('audit_log').selectAll().where('actor_key_id', '=', key.id).executeTakeFirst();
          assert.ok(entry, 'an audit entry names the key');
          assert.equal(entry.actor_kind, 'operator');
          assert.equal(entry.request_id, response.headers['x-request-id'], 'the request that made it, as its answer names it');
          assert.ok(entry.request_id, 'and the request');
        }
      });
      if (onChatbot(route)) {
        it('a chatbot key with exactly the permission on its chatbot succeeds; on another chatbot, or one that does not exist, 403 chatbot_forbidden alike', async () => {
          const target = await makeTarget(ctx, route);
          const { key } = await ctx.chatbotKey(target.chatbotId, [route.permission, ...(route.alsoHeld ?? [])]);
          const ok = await ctx.call({ method: route.method, url: urlOf(route, target), key, ...(route.body ? { payload: route.body } : {}) });
          assert.equal(ok.statusCode, route.status, ok.body);
          const existing = await call(route, otherChatbotKey);
          const missing = await call(route, otherChatbotKey, { chatbotId: 'cb_doesnotexist0000000' });
          expectError(existing, 403, 'chatbot_forbidden');
          expectError(missing, 403, 'chatbot_forbidden');
          assert.equal(existing.json().error.replace(existing.target.chatbotId, 'X'), missing.json().error.replace('cb_doesnotexist0000000', 'X'), 'no existence leak');
        });
        it("an agent key: its chatbot's admin succeeds, a member with the agent role gets 403, another chatbot's admin 403 chatbot_forbidden", async () => {
          const target = await makeTarget(ctx, route);
          const adminKey = (await ctx.agentKey(target.adminId)).key;
          const ok = await ctx.call({ method: route.method, url: urlOf(route, target), key: adminKey, ...(route.body ? { payload: route.body } : {}) });
          assert.equal(ok.statusCode, route.status, ok.body);
          const again = await makeTarget(ctx, route);
          const ownMemberKey = (await ctx.agentKey(again.agentId)).key;
          expectError(
            await ctx.call({ method: route.method, url: urlOf(route, again), key: ownMemberKey, ...(route.body ? { payload: route.body } : {}) }),
            403,
            'permission_denied',
          );
          expectError(await call(route, otherAdminKey), 403, 'chatbot_forbidden');
        });
      } else {
        it('install route: an agent key (even an admin) and a chatbot key with * get 403 permission_denied', async () => {
          const target = await makeTarget(ctx, route);
          const adminKey = (await ctx.agentKey(target.adminId)).key;
          expectError(await call(route, adminKey), 403, 'permission_denied');
          expectError(await call(route, otherChatbotKey), 403, 'permission_denied');
          assert.match((await call(route, otherChatbotKey)).json().error, /operator keys/);
        });
      }
    });
  }
});

describe('provisioning API: what the routes do', () => {
  let ctx: TestContext;
  let op: string;
  const json = (response: Response) => response.json() as Record<string, any>;
  const as = (key: string) => ({
    get: (url: string) => ctx.call({ method: 'GET', url, key }),
    post: (url: string, payload: object = {}) => ctx.call({ method: 'POST', url, key, payload }),
    put: (url: string, payload: object) => ctx.call({ method: 'PUT', url, key, payload }),
    patch: (url: string, payload: object) => ctx.call({ method: 'PATCH', url, key, payload }),
    delete: (url: string) => ctx.call({ method: 'DELETE', url, key }),
  });

  before(async () => {
    ctx = await createTestContext();
    op = await operatorKey(ctx, ['*']);
  });
  after(() => ctx.close());

  it('provisions a working agent key over HTTP alone: chatbot, agent by externalId, admin membership, agent key', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Support' }));
    const agent = await api.put('/v1/agents/by-external-id/crm-4411', { name: 'Ada Lovelace', email: 'ada@example.com' });
    assert.equal(agent.statusCode, 201);
    const member = await api.put(`/v1/chatbots/${chatbot.id}/members/${json(agent).id}`, { role: 'admin' });
    assert.equal(member.statusCode, 201);
    assert.equal(json(member).role, 'admin');
    const key = await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'agent', agentId: json(agent).id, name: 'Ada laptop' });
    assert.equal(key.statusCode, 201);
    assert.match(json(key).key, /^cck_/);
    const online = await ctx.call({ method: 'POST', url: meOnlinePath(chatbot.id), key: json(key).key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    assert.equal(online.statusCode, 200);
    const list = await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: json(key).key });
    assert.deepEqual(
      json(list).agents.map((a: { agentId: string; online: boolean }) => [a.agentId, a.online]),
      [[json(agent).id, true]],
    );
  });

  it('PUT by-external-id is idempotent: repeated it changes nothing and records nothing; a change is one update', async () => {
    const api = as(op);
    const first = await api.put('/v1/agents/by-external-id/sync-1', { name: 'Grace', email: 'grace@example.com' });
    assert.equal(first.statusCode, 201);
    const entries = async () => (await ctx.database.db.selectFrom('audit_log').select('id').where('agent_id', '=', json(first).id).execute()).length;
    const recorded = await entries();
    const again = await api.put('/v1/agents/by-external-id/sync-1', { name: 'Grace', email: 'grace@example.com' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(json(again), json(first));
    assert.equal(await entries(), recorded, 'a repeat records nothing');
    const renamed = await api.put('/v1/agents/by-external-id/sync-1', { name: 'Grace Hopper' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(json(renamed).name, 'Grace Hopper');
    assert.equal(json(renamed).email, 'grace@example.com', 'an email left out is kept');
    assert.equal(await entries(), recorded + 1);
  });

  it('PUT by-external-id called many times at once for a new id makes exactly one agent', async () => {
    const api = as(op);
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.put('/v1/agents/by-external-id/race-1', { name: 'Racer' })));
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((a) => json(a).id)).size, 1);
    const rows = await ctx.database.db.selectFrom('agents').select('id').where('external_id', '=', 'race-1').execute();
    assert.equal(rows.length, 1);
  });

  it('externalId and email filter the agent list; a taken externalId is 409 external_id_taken', async () => {
    const api = as(op);
    const a = json(await api.post('/v1/agents', { name: 'Filter A', email: 'filter@example.com', externalId: 'filter-a' }));
    json(await api.post('/v1/agents', { name: 'Filter B', email: 'filter@example.com' }));
    assert.deepEqual(
      json(await api.get('/v1/agents?externalId=filter-a')).items.map((x: { id: string }) => x.id),
      [a.id],
    );
    assert.equal(json(await api.get('/v1/agents?email=filter@example.com')).items.length, 2);
    const before = await snapshotState(ctx.database);
    expectError(await api.post('/v1/agents', { name: 'Dup', externalId: 'filter-a' }), 409, 'external_id_taken');
    const b = json(await api.post('/v1/agents', { name: 'Other' }));
    const beforePatch = await snapshotState(ctx.database);
    expectError(await api.patch(`/v1/agents/${b.id}`, { externalId: 'filter-a' }), 409, 'external_id_taken');
    assert.equal(await snapshotState(ctx.database), beforePatch, 'a refused change changes nothing');
    assert.notEqual(before, beforePatch);
  });

  it('keys list without secrets: kind, last four, grants, lastUsedAt to the minute, revoked', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Keys' }));
    const made = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list'], name: 'CRM' }));
    ctx.clock.current = Date.UTC(2026, 0, 15, 12, 7, 42, 123);
    assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: made.key })).statusCode, 200);
    await ctx.services.auth.flushUses();
    const listed = json(await api.get(`/v1/chatbots/${chatbot.id}/keys`)).items as Array<Record<string, unknown>>;
    assert.equal(listed.length, 1);
    const [entry] = listed;
    assert.deepEqual(Object.keys(entry!).sort(), [
      'agentId',
      'chatbotId',
      'createdAt',
      'expiresAt',
      'hint',
      'id',
      'kind',
      'lastUsedAt',
      'name',
      'permissions',
      'previousSecretValidUntil',
      'revokedAt',
    ]);
    assert.equal(entry!.lastUsedAt, '2026-01-15T12:07:00.000Z', 'to the minute');
    assert.equal(entry!.hint, `cck_…${made.key.slice(-4)}`);
    assert.ok(!JSON.stringify(listed).includes(made.key.slice(4, 40)), 'no secret');
    assert.equal((await api.delete(`/v1/chatbots/${chatbot.id}/keys/${made.id}`)).statusCode, 204);
    assert.equal((await api.delete(`/v1/chatbots/${chatbot.id}/keys/${made.id}`)).statusCode, 204, 'revoking twice is harmless');
    expectError(await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: made.key }), 401, 'revoked_key');
    assert.ok(json(await api.get(`/v1/chatbots/${chatbot.id}/keys`)).items[0].revokedAt);
  });

  it('rotation: the old secret works for overlapSeconds, then 401 rotated_key; the new one works; a revoked key cannot be rotated', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Rotation' }));
    const made = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list'] }));
    const rotated = await api.post(`/v1/chatbots/${chatbot.id}/keys/${made.id}/rotate`, { overlapSeconds: 60 });
    assert.equal(rotated.statusCode, 200);
    const fresh = json(rotated);
    assert.equal(fresh.id, made.id, 'the same key, a new secret');
    assert.notEqual(fresh.key, made.key);
    assert.ok(fresh.previousSecretValidUntil);
    const list = (key: string) => ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key });
    assert.equal((await list(made.key)).statusCode, 200, 'the old secret during the overlap');
    assert.equal((await list(fresh.key)).statusCode, 200);
    ctx.clock.advance(61);
    expectError(await list(made.key), 401, 'rotated_key');
    assert.equal((await list(fresh.key)).statusCode, 200);
    const immediate = json(await api.post(`/v1/chatbots/${chatbot.id}/keys/${made.id}/rotate`, { overlapSeconds: 0 }));
    expectError(await list(fresh.key), 401, 'rotated_key');
    assert.equal((await list(immediate.key)).statusCode, 200);
    await api.delete(`/v1/chatbots/${chatbot.id}/keys/${made.id}`);
    expectError(await api.post(`/v1/chatbots/${chatbot.id}/keys/${made.id}/rotate`, { overlapSeconds: 0 }), 409, 'key_revoked');
  });

  it('a key, chatbot or agent out of reach is 404 exactly as an unknown id', async () => {
    const api = as(op);
    const home = json(await api.post('/v1/chatbots', { name: 'Home' }));
    const away = json(await api.post('/v1/chatbots', { name: 'Away' }));
    const awayKey = json(await api.post(`/v1/chatbots/${away.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list'] }));
    const homeAdmin = json(await api.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.*'] }));
    const admin = as(homeAdmin.key);
    const foreign = await admin.delete(`/v1/chatbots/${home.id}/keys/${awayKey.id}`);
    const unknown = await admin.delete(`/v1/chatbots/${home.id}/keys/key_doesnotexist000000`);
    expectError(foreign, 404, 'not_found');
    expectError(unknown, 404, 'not_found');
    assert.equal(foreign.json().error.replace(awayKey.id, 'X'), unknown.json().error.replace('key_doesnotexist000000', 'X'));
    // An agent who belongs only to another chatbot cannot be named by this chatbot's admin key.
    const stranger = json(await api.post('/v1/agents', { name: 'Stranger' }));
    await api.put(`/v1/chatbots/${away.id}/members/${stranger.id}`, { role: 'agent' });
    const named = await admin.put(`/v1/chatbots/${home.id}/members/${stranger.id}`, { role: 'agent' });
    const nobody = await admin.put(`/v1/chatbots/${home.id}/members/ag_doesnotexist0000000`, { role: 'agent' });
    expectError(named, 404, 'not_found');
    expectError(nobody, 404, 'not_found');
    assert.equal(named.json().error.replace(stranger.id, 'X'), nobody.json().error.replace('ag_doesnotexist0000000', 'X'));
    expectError(await api.get('/v1/chatbots/cb_doesnotexist0000000'), 404, 'not_found');
    expectError(await api.get('/v1/agents/ag_doesnotexist0000000'), 404, 'not_found');
  });

  it('no escalation: grants beyond the key, admin roles, agents more powerful elsewhere, operator keys from agent keys', async () => {
    const api = as(op);
    const home = json(await api.post('/v1/chatbots', { name: 'Escalation' }));
    const away = json(await api.post('/v1/chatbots', { name: 'Escalation elsewhere' }));
    const inbox = json(await api.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.*', 'chatbots.keys.create', 'chatbots.members.edit'] }));
    const integration = as(inbox.key);
    // A key makes keys whose grants it covers; chatbots.inbox.* does not cover chatbots.keys.revoke.
    assert.equal((await integration.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list'] })).statusCode, 201);
    let before = await snapshotState(ctx.database);
    expectError(await integration.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.keys.revoke'] }), 403, 'permission_denied');
    expectError(await integration.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.*'] }), 403, 'permission_denied');
    expectError(await integration.post(`/v1/chatbots/${home.id}/keys`, { kind: 'chatbot', permissions: ['*'] }), 403, 'permission_denied');
    assert.equal(await snapshotState(ctx.database), before, 'refusals change nothing');
    // It may edit members, but not make anyone admin: admin holds chatbots.*.
    const ada = json(await api.post('/v1/agents', { name: 'Ada' }));
    await api.put(`/v1/chatbots/${home.id}/members/${ada.id}`, { role: 'agent' });
    before = await snapshotState(ctx.database);
    expectError(await integration.put(`/v1/chatbots/${home.id}/members/${ada.id}`, { role: 'admin' }), 403, 'permission_denied');
    assert.equal(await snapshotState(ctx.database), before);
    // An agent who is admin elsewhere: no agent key from a key that lacks that power there.
    await api.put(`/v1/chatbots/${away.id}/members/${ada.id}`, { role: 'admin' });
    expectError(await integration.post(`/v1/chatbots/${home.id}/keys`, { kind: 'agent', agentId: ada.id }), 403, 'permission_denied');
    // An agent key, even an admin's, never makes an operator key.
    const adaKey = json(await api.post(`/v1/chatbots/${away.id}/keys`, { kind: 'agent', agentId: ada.id })).key;
    expectError(await as(adaKey).post('/v1/keys', { permissions: ['chatbots.create'] }), 403, 'permission_denied');
    // An operator key makes operator keys only with grants it holds.
    const narrow = await operatorKey(ctx, ['chatbots.create', 'keys.create']);
    assert.equal((await as(narrow).post('/v1/keys', { permissions: ['chatbots.create'] })).statusCode, 201);
    expectError(await as(narrow).post('/v1/keys', { permissions: ['chatbots.*'] }), 403, 'permission_denied');
    expectError(await as(narrow).post('/v1/keys', { permissions: ['*'] }), 403, 'permission_denied');
  });

  it('the last admin cannot be demoted, removed or deleted (409 last_admin); with a second admin it can', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Admins' }));
    const first = json(await api.post('/v1/agents', { name: 'First' }));
    const second = json(await api.post('/v1/agents', { name: 'Second' }));
    await api.put(`/v1/chatbots/${chatbot.id}/members/${first.id}`, { role: 'admin' });
    const before = await snapshotState(ctx.database);
    expectError(await api.put(`/v1/chatbots/${chatbot.id}/members/${first.id}`, { role: 'agent' }), 409, 'last_admin');
    expectError(await api.delete(`/v1/chatbots/${chatbot.id}/members/${first.id}`), 409, 'last_admin');
    expectError(await api.delete(`/v1/agents/${first.id}`), 409, 'last_admin');
    assert.equal(await snapshotState(ctx.database), before);
    await api.put(`/v1/chatbots/${chatbot.id}/members/${second.id}`, { role: 'admin' });
    assert.equal((await api.put(`/v1/chatbots/${chatbot.id}/members/${first.id}`, { role: 'agent' })).statusCode, 200);
  });

  it('two admins demoting each other at once: one wins, one gets 409, an admin remains', async () => {
    const api = as(op);
    for (let round = 0; round < 5; round++) {
      const chatbot = json(await api.post('/v1/chatbots', { name: `Race ${round}` }));
      const a = json(await api.post('/v1/agents', { name: 'A' }));
      const b = json(await api.post('/v1/agents', { name: 'B' }));
      await api.put(`/v1/chatbots/${chatbot.id}/members/${a.id}`, { role: 'admin' });
      await api.put(`/v1/chatbots/${chatbot.id}/members/${b.id}`, { role: 'admin' });
      const answers = await Promise.all([api.put(`/v1/chatbots/${chatbot.id}/members/${a.id}`, { role: 'agent' }), api.delete(`/v1/chatbots/${chatbot.id}/members/${b.id}`)]);
      assert.ok([200, 409].includes(answers[0]!.statusCode) && [204, 409].includes(answers[1]!.statusCode));
      assert.equal(answers.filter((r) => r.statusCode === 409).length, 1, answers.map((r) => r.body).join(' / '));
      const admins = json(await api.get(`/v1/chatbots/${chatbot.id}/members`)).items.filter((m: { role: string }) => m.role === 'admin');
      assert.equal(admins.length, 1);
    }
  });

  it('deleting a chatbot removes everything of it, its keys stop working and its streams end', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Doomed' }));
    const agent = json(await api.put('/v1/agents/by-external-id/doomed-1', { name: 'Doomed agent' }));
    await api.put(`/v1/chatbots/${chatbot.id}/members/${agent.id}`, { role: 'admin' });
    const agentKey = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'agent', agentId: agent.id })).key;
    const integration = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'chatbot', permissions: ['*'] })).key;
    await ctx.call({ method: 'POST', url: meNotificationsPath(chatbot.id), key: agentKey, payload: { pushToken: 'doomed-token', mutedTypes: ['x'] } });
    await ctx.call({ method: 'POST', url: meOnlinePath(chatbot.id), key: agentKey, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbot.id}/notifications`, key: integration, payload: { type: 'conversation.new', title: 'T', body: 'B' } });

    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbot.id}/agents/online/stream`, { 'x-chatcaptain-key': integration });
    assert.equal((await stream.next()).event, 'snapshot');

    assert.equal((await api.delete(`/v1/chatbots/${chatbot.id}`)).statusCode, 204);
    await Promise.race([stream.ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    assert.equal(stream.isEnded, true, 'its stream ended');
    stream.close();
    const db = ctx.database.db;
    for (const table of ['memberships', 'presence', 'notification_settings', 'push_devices', 'notifications', 'presence_events', 'presence_announced'] as const) {
      assert.equal((await db.selectFrom(table).select('chatbot_id').where('chatbot_id', '=', chatbot.id).execute()).length, 0, table);
    }
    assert.equal((await db.selectFrom('api_keys').select('id').where('chatbot_id', '=', chatbot.id).execute()).length, 0, 'its chatbot keys');
    expectError(await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: integration }), 401, 'invalid_key');
    expectError(await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: agentKey }), 403, 'chatbot_forbidden');
    expectError(await api.get(`/v1/chatbots/${chatbot.id}`), 404, 'not_found');
    assert.equal(json(await api.get(`/v1/agents/${agent.id}`)).memberships.length, 0, 'the agent stays in the directory');
  });

  it("deleting an agent: its keys stop working, its memberships go, and each chatbot's stream announces the removal", async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Departures' }));
    const staying = json(await api.post('/v1/agents', { name: 'Staying' }));
    const leaving = json(await api.post('/v1/agents', { name: 'Leaving' }));
    await api.put(`/v1/chatbots/${chatbot.id}/members/${staying.id}`, { role: 'admin' });
    await api.put(`/v1/chatbots/${chatbot.id}/members/${leaving.id}`, { role: 'agent' });
    const leavingKey = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'agent', agentId: leaving.id })).key;
    await ctx.call({ method: 'POST', url: meNotificationsPath(chatbot.id), key: leavingKey, payload: { pushToken: 'leaving-token' } });
    const watcher = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list'] })).key;
    const base = ctx.app.server.listening ? `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}` : await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await SseClient.open(`${base}/v1/inbox/${chatbot.id}/agents/online/stream`, { 'x-chatcaptain-key': watcher });
    await stream.next();
    assert.equal((await api.delete(`/v1/agents/${leaving.id}`)).statusCode, 204);
    const removal = await stream.next((event) => event.event === 'presence' && JSON.parse(event.data).agentId === leaving.id, 3000);
    assert.equal(JSON.parse(removal.data).removed, true);
    stream.close();
    expectError(await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: leavingKey }), 401, 'invalid_key');
    assert.equal((await ctx.database.db.selectFrom('push_devices').select('id').where('agent_id', '=', leaving.id).execute()).length, 0);
    expectError(await api.get(`/v1/agents/${leaving.id}`), 404, 'not_found');
  });

  it('pages are stable under concurrent inserts: every row that existed is seen exactly once', async () => {
    const api = as(op);
    const existing: string[] = [];
    for (let i = 0; i < 45; i++) {
      // Several rows share a millisecond: the page boundary must still fall between them exactly.
      if (i % 3 === 0) ctx.clock.advance(0.001);
      existing.push(json(await api.post('/v1/agents', { name: `Paged ${i}`, externalId: `paged-${i}` })).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const page = json(await api.get(`/v1/agents?limit=7${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.items.map((a: { id: string }) => a.id));
      cursor = page.nextCursor;
      // Inserts between pages, at the same millisecond as rows already paged and at later ones.
      await Promise.all([api.post('/v1/agents', { name: `Inserted ${inserted++}` }), api.post('/v1/agents', { name: `Inserted ${inserted++}` })]);
      if (inserted % 4 === 0) ctx.clock.advance(0.001);
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no row twice');
    for (const id of existing) assert.equal(seen.filter((s) => s === id).length, 1, id);
  });

  it('the audit log: each change once, newest first, CLI changes as kind cli, a chatbot sees its own, never a secret', async () => {
    const api = as(op);
    const viaCli = await ctx.services.tenancy.createChatbot(CLI, { name: 'Audited' });
    const key = json(await api.post(`/v1/chatbots/${viaCli.id}/keys`, { kind: 'chatbot', permissions: ['chatbots.audit.read'] }));
    await api.patch(`/v1/chatbots/${viaCli.id}`, { name: 'Audited, renamed once' });
    await api.patch(`/v1/chatbots/${viaCli.id}`, { name: 'Audited, renamed' });
    const page = json(await as(key.key).get(`/v1/chatbots/${viaCli.id}/audit`));
    // In the same millisecond too: entries of one instance keep their order.
    assert.deepEqual(
      page.items.map((e: { action: string }) => e.action),
      ['chatbot.renamed', 'chatbot.renamed', 'key.created', 'chatbot.created'],
    );
    assert.deepEqual(page.items[1].detail, { from: 'Audited', to: 'Audited, renamed once' });
    assert.deepEqual(page.items[3].actor, { keyId: null, kind: 'cli', name: null, agentId: null });
    assert.equal(page.items[0].actor.kind, 'operator');
    assert.deepEqual(Object.keys(page.items[0]).sort(), ['action', 'actor', 'agentId', 'at', 'chatbotId', 'detail', 'id', 'keyId', 'requestId']);
    const everything = JSON.stringify(await ctx.database.db.selectFrom('audit_log').selectAll().execute());
    assert.ok(!everything.includes(key.key.slice(4, 40)), 'no secret in the audit log');
    const install = json(await api.get('/v1/audit?limit=2'));
    assert.equal(install.items.length, 2);
    assert.ok(install.nextCursor);
    assert.ok(install.items[0].at >= install.items[1].at, 'newest first');
  });

  it('the audit log names who acted: an agent key by its agent, another key by its own name', async () => {
    const api = as(op);
    const chatbot = json(await api.post('/v1/chatbots', { name: 'Named actors' }));
    const agent = json(await api.put('/v1/agents/by-external-id/audit-names-1', { name: 'Grace Hopper' }));
    await api.put(`/v1/chatbots/${chatbot.id}/members/${agent.id}`, { role: 'admin' });
    const agentKey = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'agent', agentId: agent.id }));
    const botKey = json(await api.post(`/v1/chatbots/${chatbot.id}/keys`, { kind: 'chatbot', name: 'Helpdesk sync', permissions: ['chatbots.edit', 'chatbots.audit.read'] }));
    assert.equal((await as(agentKey.key).patch(`/v1/chatbots/${chatbot.id}`, { name: 'Renamed by Grace' })).statusCode, 200);
    assert.equal((await as(botKey.key).patch(`/v1/chatbots/${chatbot.id}`, { name: 'Renamed by the sync' })).statusCode, 200);
    const items = json(await as(botKey.key).get(`/v1/chatbots/${chatbot.id}/audit`)).items as Array<{ action: string; actor: Record<string, unknown> }>;
    const renames = items.filter((e) => e.action === 'chatbot.renamed').map((e) => e.actor);
    assert.deepEqual(renames, [
      { keyId: botKey.id, kind: 'chatbot', name: 'Helpdesk sync', agentId: null },
      { keyId: agentKey.id, kind: 'agent', name: 'Grace Hopper', agentId: agent.id },
    ]);
    // Renamed since: the log reads the name a person knows now.
    await api.patch(`/v1/agents/${agent.id}`, { name: 'Grace B. Hopper' });
    const again = json(await as(botKey.key).get(`/v1/chatbots/${chatbot.id}/audit`)).items as Array<{ action: string; actor: { name: string } }>;
    assert.equal(again.filter((e) => e.action === 'chatbot.renamed')[1]?.actor.name, 'Grace B. Hopper');
  });
});

describe('provisioning API: bad input gets a clear error and changes nothing', () => {
  let ctx: TestContext;
  let op: string;
  let chatbotId: string;
  let agentId: string;
  let keyId: string;

  before(async () => {
    ctx = await createTestContext();
    op = await operatorKey(ctx, ['*']);
    chatbotId = await ctx.chatbot('Bad input');
    agentId = await ctx.agent(chatbotId, { role: 'admin' });
    keyId = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).id;
  });
  after(() => ctx.close());

  const long = 'x'.repeat(201);
  const CASES: Array<
    [string, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', (ids: { c: string; a: string; k: string }) => string, object | string | undefined, number, string, RegExp]
  > = [
    ['chatbot without a name', 'POST', () => '/v1/chatbots', {}, 400, 'invalid_request', /name is required/],
    ['chatbot name empty', 'POST', () => '/v1/chatbots', { name: '' }, 400, 'invalid_request', /name must be 1 to 200 characters/],
    ['chatbot name too long', 'POST', () => '/v1/chatbots', { name: long }, 400, 'invalid_request', /name must be 1 to 200/],
    ['chatbot name blank', 'POST', () => '/v1/chatbots', { name: '   ' }, 400, 'invalid_request', /name must be 1 to 200/],
    ['chatbot name a number', 'POST', () => '/v1/chatbots', { name: 5 }, 400, 'invalid_request', /name/],
    ['chatbot with an unknown field', 'POST', () => '/v1/chatbots', { name: 'A', owner: 'me' }, 400, 'invalid_request', /owner is not a field/],
    ['chatbot body an array', 'POST', () => '/v1/chatbots', '[]', 400, 'invalid_request', /JSON object/],
    ['chatbot body malformed', 'POST', () => '/v1/chatbots', '{"name":', 400, 'invalid_json', /not valid JSON/],
    ['rename to nothing', 'PATCH', ({ c }) => `/v1/chatbots/${c}`, { name: '' }, 400, 'invalid_request', /name must be 1 to 200/],
    ['limit 0', 'GET', () => '/v1/chatbots?limit=0', undefined, 400, 'invalid_request', /limit must be a whole number from 1 to 200/],
    ['limit 201', 'GET', () => '/v1/agents?limit=201', undefined, 400, 'invalid_request', /limit must be a whole number from 1 to 200/],
    ['limit words', 'GET', ({ c }) => `/v1/chatbots/${c}/members?limit=ten`, undefined, 400, 'invalid_request', /limit must be a whole number/],
    ['limit negative', 'GET', () => '/v1/keys?limit=-1', undefined, 400, 'invalid_request', /limit must be/],
    ['a cursor that is not one', 'GET', () => '/v1/audit?cursor=bm9wZQ', undefined, 400, 'invalid_request', /cursor must be the nextCursor/],
    ['a cursor of garbage', 'GET', ({ c }) => `/v1/chatbots/${c}/keys?cursor=%%%`, undefined, 400, 'invalid_request', /cursor must be the nextCursor/],
    ['key list of an unknown kind', 'GET', () => '/v1/keys?kind=root', undefined, 400, 'invalid_request', /kind must be agent, chatbot or operator/],
    ['agent without a name', 'POST', () => '/v1/agents', { email: 'a@example.com' }, 400, 'invalid_request', /name is required/],
    ['agent email not an address', 'POST', () => '/v1/agents', { name: 'A', email: 'not-an-address' }, 400, 'invalid_request', /email/],
    ['agent email a number', 'POST', () => '/v1/agents', { name: 'A', email: 7 }, 400, 'invalid_request', /email must be an e-mail address/],
    ['agent externalId with a space', 'POST', () => '/v1/agents', { name: 'A', externalId: 'a b' }, 400, 'invalid_request', /externalId must be 1 to 200 visible characters/],
    ['agent externalId too long', 'POST', () => '/v1/agents', { name: 'A', externalId: long }, 400, 'invalid_request', /externalId/],
    ['agent with a misspelt field', 'POST', () => '/v1/agents', { name: 'A', externalID: 'x' }, 400, 'invalid_request', /externalID is not a field/],
    ['upsert without a name', 'PUT', () => '/v1/agents/by-external-id/crm-1', {}, 400, 'invalid_request', /name is required/],
    ['upsert with externalId in the body', 'PUT', () => '/v1/agents/by-external-id/crm-1', { name: 'A', externalId: 'crm-2' }, 400, 'invalid_request', /externalId is not a field/],
    [
      'upsert with a non-ASCII externalId',
      'PUT',
      () => '/v1/agents/by-external-id/cr%C3%A9',
      { name: 'A' },
      400,
      'invalid_request',
      /externalId must be 1 to 200 visible characters/,
    ],
    ['patch agent email bad', 'PATCH', ({ a }) => `/v1/agents/${a}`, { email: 'nope' }, 400, 'invalid_request', /email/],
    ['patch agent unknown field', 'PATCH', ({ a }) => `/v1/agents/${a}`, { role: 'admin' }, 400, 'invalid_request', /role is not a field/],
    ['patch an unknown agent', 'PATCH', () => '/v1/agents/ag_nobody', { name: 'X' }, 404, 'not_found', /agent ag_nobody does not exist/],
    ['delete an unknown agent', 'DELETE', () => '/v1/agents/ag_nobody', undefined, 404, 'not_found', /does not exist/],
    ['member role missing', 'PUT', ({ c, a }) => `/v1/chatbots/${c}/members/${a}`, {}, 400, 'invalid_request', /role is required/],
    ['member role superuser', 'PUT', ({ c, a }) => `/v1/chatbots/${c}/members/${a}`, { role: 'superuser' }, 400, 'invalid_request', /role must be "agent" or "admin"/],
    ['member of an unknown chatbot', 'PUT', ({ a }) => `/v1/chatbots/cb_nowhere/members/${a}`, { role: 'agent' }, 404, 'not_found', /chatbot cb_nowhere does not exist/],
    ['remove a non-member', 'DELETE', ({ c }) => `/v1/chatbots/${c}/members/ag_nobody`, undefined, 404, 'not_found', /not a member/],
    ['key kind missing', 'POST', ({ c }) => `/v1/chatbots/${c}/keys`, { permissions: ['*'] }, 400, 'invalid_request', /kind is required/],
    [
      'key kind operator on a chatbot',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'operator', permissions: ['*'] },
      400,
      'invalid_request',
      /kind must be "agent".*or "chatbot"/,
    ],
    ['agent key without agentId', 'POST', ({ c }) => `/v1/chatbots/${c}/keys`, { kind: 'agent' }, 400, 'invalid_request', /agentId is required/],
    [
      'agent key with permissions',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'agent', agentId: 'x', permissions: ['*'] },
      400,
      'invalid_request',
      /leave out permissions/,
    ],
    [
      'agent key for a non-member',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'agent', agentId: 'ag_nobody' },
      404,
      'not_found',
      /agent ag_nobody is not a member of chatbot/,
    ],
    ['chatbot key without permissions', 'POST', ({ c }) => `/v1/chatbots/${c}/keys`, { kind: 'chatbot' }, 400, 'invalid_request', /permissions is required/],
    [
      'chatbot key with no permission',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'chatbot', permissions: [] },
      400,
      'invalid_request',
      /permissions must be a list of 1 to 50/,
    ],
    [
      'chatbot key with an unknown permission',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'chatbot', permissions: ['chatbots.inbox.agents.delete'] },
      400,
      'invalid_request',
      /matches no chatbot permission/,
    ],
    [
      'chatbot key with an install permission',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'chatbot', permissions: ['agents.create'] },
      400,
      'invalid_request',
      /matches no chatbot permission/,
    ],
    [
      'chatbot key with a malformed grant',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'chatbot', permissions: ['chatbots..*'] },
      400,
      'invalid_request',
      /not a dotted name/,
    ],
    [
      'chatbot key name too long',
      'POST',
      ({ c }) => `/v1/chatbots/${c}/keys`,
      { kind: 'chatbot', permissions: ['*'], name: long },
      400,
      'invalid_request',
      /name must be 1 to 200 characters, or null/,
    ],
    ['operator key with a wildcard in the middle', 'POST', () => '/v1/keys', { permissions: ['chatbots.*.list'] }, 400, 'invalid_request', /not a dotted name/],
    [
      'operator key with 51 permissions',
      'POST',
      () => '/v1/keys',
      { permissions: Array(51).fill('chatbots.create') },
      400,
      'invalid_request',
      /permissions must be a list of 1 to 50/,
    ],
    ['rotate without overlapSeconds', 'POST', ({ c, k }) => `/v1/chatbots/${c}/keys/${k}/rotate`, {}, 400, 'invalid_request', /overlapSeconds is required/],
    [
      'rotate with a day and a second',
      'POST',
      ({ c, k }) => `/v1/chatbots/${c}/keys/${k}/rotate`,
      { overlapSeconds: 86_401 },
      400,
      'invalid_request',
      /overlapSeconds must be a whole number from 0 to 86400/,
    ],
    ['rotate with a negative overlap', 'POST', ({ k }) => `/v1/keys/${k}/rotate`, { overlapSeconds: -1 }, 400, 'invalid_request', /overlapSeconds/],
    ['rotate with a fractional overlap', 'POST', ({ k }) => `/v1/keys/${k}/rotate`, { overlapSeconds: 1.5 }, 400, 'invalid_request', /overlapSeconds/],
    ['rotate with the overlap as a string', 'POST', ({ k }) => `/v1/keys/${k}/rotate`, { overlapSeconds: '60' }, 400, 'invalid_request', /overlapSeconds/],
    ['rotate an unknown key', 'POST', ({ c }) => `/v1/chatbots/${c}/keys/key_nobody/rotate`, { overlapSeconds: 0 }, 404, 'not_found', /no key key_nobody/],
    ['revoke an unknown key', 'DELETE', () => '/v1/keys/key_nobody', undefined, 404, 'not_found', /key_nobody/],
    ['a path id too long', 'GET', () => `/v1/agents/${'a'.repeat(300)}`, undefined, 400, 'invalid_request', /agentId/],
    ['PATCH on a path without it', 'PATCH', () => '/v1/agents', { name: 'x' }, 405, 'method_not_allowed', /allowed: GET, HEAD, POST/],
  ];

  for (const [name, method, url, payload, status, code, says] of CASES) {
    it(`${name}: ${status} ${code}`, async () => {
      const before = await snapshotState(ctx.database);
      const response = await ctx.call({
        method,
        url: url({ c: chatbotId, a: agentId, k: keyId }),
        key: op,
        ...(payload === undefined ? {} : typeof payload === 'string' ? { payload, headers: { 'content-type': 'application/json' } } : { payload }),
      });
      expectError(response, status, code);
      assert.match(response.json().error, says);
      assert.equal(await snapshotState(ctx.database), before, 'nothing changed');
    });
  }
});

describe("a key's lastUsedAt", () => {
  it('an integration key made over HTTP that lists agents, reads members, is refused the keys list and opens the stream shows when it was last used', async () => {
    const ctx = await createTestContext();
    try {
      const op = await operatorKey(ctx, ['*']);
      const chatbot = (await ctx.call({ method: 'POST', url: '/v1/chatbots', key: op, payload: { name: 'Flow' } })).json();
      const made = (
        await ctx.call({
          method: 'POST',
          url: `/v1/chatbots/${chatbot.id}/keys`,
          key: op,
          payload: { kind: 'chatbot', permissions: ['chatbots.inbox.agents.list', 'chatbots.members.list'] },
        })
      ).json();
      ctx.clock.advance(60);
      assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbot.id), key: made.key })).statusCode, 200);
      assert.equal((await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbot.id}/members`, key: made.key })).statusCode, 200);
      expectError(await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbot.id}/keys`, key: made.key }), 403, 'permission_denied');
      const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const stream = await SseClient.open(`${base}/v1/inbox/${chatbot.id}/agents/online/stream`, { 'x-chatcaptain-key': made.key });
      assert.equal((await stream.next()).event, 'snapshot');
      stream.close();
      await ctx.services.auth.flushUses();
      const listed = (await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbot.id}/keys`, key: op })).json().items as Array<{ id: string; lastUsedAt: string | null }>;
      const minute = ctx.clock.now() - (ctx.clock.now() % 60_000);
      assert.equal(listed.find((key) => key.id === made.id)?.lastUsedAt, new Date(minute).toISOString());
    } finally {
      await ctx.close();
    }
  });

  it('a write of key uses that fails is logged with the keys, kept, and written by the next flush', async () => {
    const logs = capturedLogs('warn');
    const ctx = await createTestContext({ logger: logs.logger });
    try {
      const chatbotId = await ctx.chatbot();
      const made = await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list']);
      ctx.clock.advance(60);
      assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: made.key })).statusCode, 200);
      // The table is away while the batch is written (the key itself is known from the cache).
      await sql`alter table api_keys rename to api_keys_away`.execute(ctx.database.db);
      await ctx.services.auth.flushUses();
      await sql`alter table api_keys_away rename to api_keys`.execute(ctx.database.db);
      assert.match(logs.text, /recording when keys were last used failed/);
      assert.ok(logs.text.includes(made.id), 'the log names the keys');
      // The same minute: nothing new is queued by a use, so only the kept batch can write it.
      await ctx.services.auth.flushUses();
      const [row] = await ctx.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', made.id).execute();
      assert.equal(Number(row!.last_used_at), ctx.clock.now() - (ctx.clock.now() % 60_000));
    } finally {
      await ctx.close();
    }
  });
});
