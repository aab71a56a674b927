import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { after, before, describe, it } from 'node:test';
import { PERMISSION_SCOPES, PERMISSIONS, type Permission } from '../src/auth/permissions.js';
import { hashSecret } from '../src/auth/secrets.js';
import { authService } from '../src/auth/service.js';
import { keyStore } from '../src/auth/store.js';
import { tenancyStore } from '../src/tenancy/store.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ADMIN_ROUTES } from './helpers/admin-routes.js';
import { capturedLogs, createTestContext, expectError, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';

/**
 * Every key-protected inbox route: its template as Fastify registers it, the permission it
 * declares, and how to call it. `:chatbotId` is the chatbot under test; `:agentId` the battery's
 * member; `:webhookId`, `:deviceId` and `:notificationId` a target the battery makes for the call
 * (a device of the calling agent). The test "every route is in a battery" fails when a route is
 * missing here and from test/helpers/admin-routes.ts.
 */
type InboxRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  query?: string;
  permission: Permission;
  me: boolean;
  payload?: (now: number) => object;
  /** A successful call opens a stream, which test/stream.test.ts covers over real HTTP. */
  streams?: boolean;
  /**
   * What a member's agent key is answered once the key and the permission passed, when that is
   * not a success: the battery's conversations are never offered to the calling agent, so an
   * offer's answer finds none (404 not_found) — past every check of the key.
   */
  memberAnswer?: { status: number; code: string };
  /** Not granted to the agent role (integrations and admins only). */
  notForAgents?: boolean;
  /** What a key needs besides the permission to pass the escalation rules (a sign-in link hands over the agent's grants). */
  alsoHeld?: string[];
};
const ROUTES: Array<InboxRoute & { name: string }> = (
  [
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/online', permission: 'chatbots.inbox.agents.list', me: false },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/me', permission: 'chatbots.inbox.agents.list', me: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/me/online',
      permission: 'chatbots.inbox.agents.online.edit',
      me: true,
      payload: (now) => ({ online: true, clientTimestamp: String(now) }),
    },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/me/status',
      permission: 'chatbots.inbox.agents.online.edit',
      me: true,
      payload: (now) => ({ status: 'busy', clientTimestamp: String(now) }),
    },
    { method: 'POST', template: '/v1/inbox/:chatbotId/agents/me/activity', permission: 'chatbots.inbox.agents.online.edit', me: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/availability', permission: 'chatbots.inbox.availability.read', me: false },
    {
      method: 'GET',
      template: '/v1/inbox/:chatbotId/reports/offers',
      query: 'from=2026-01-01&to=2026-01-31',
      permission: 'chatbots.inbox.reports.read',
      me: false,
      notForAgents: true,
    },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/me/offers/:conversationId/accept',
      permission: 'chatbots.inbox.agents.online.edit',
      me: true,
      memberAnswer: { status: 404, code: 'not_found' },
    },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/me/offers/:conversationId/decline',
      permission: 'chatbots.inbox.agents.online.edit',
      me: true,
      memberAnswer: { status: 404, code: 'not_found' },
    },
    {
      method: 'GET',
      template: '/v1/inbox/:chatbotId/reports/waiting',
      query: 'from=2026-01-01&to=2026-01-31',
      permission: 'chatbots.inbox.reports.read',
      me: false,
      notForAgents: true,
    },
    {
      method: 'GET',
      template: '/v1/inbox/:chatbotId/reports/time-in-state',
      query: 'from=2026-01-01&to=2026-01-31',
      permission: 'chatbots.inbox.reports.read',
      me: false,
      notForAgents: true,
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/webhooks', permission: 'chatbots.webhooks.edit', me: false, notForAgents: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/webhooks',
      permission: 'chatbots.webhooks.edit',
      me: false,
      notForAgents: true,
      payload: () => ({ url: 'https://hooks.example.com/inbox' }),
    },
    { method: 'DELETE', template: '/v1/inbox/:chatbotId/webhooks/:webhookId', permission: 'chatbots.webhooks.edit', me: false, notForAgents: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/webhooks/:webhookId/deliveries', permission: 'chatbots.webhooks.edit', me: false, notForAgents: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/me/working-hours', permission: 'chatbots.inbox.agents.online.edit', me: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/me/chats', permission: 'chatbots.inbox.agents.list', me: true },
    { method: 'PUT', template: '/v1/inbox/:chatbotId/agents/me/working-hours', permission: 'chatbots.inbox.agents.online.edit', me: true, payload: () => ({ workingHours: null }) },
    {
      method: 'PUT',
      template: '/v1/inbox/:chatbotId/agents/:agentId/working-hours',
      permission: 'chatbots.inbox.agents.status.edit',
      me: false,
      notForAgents: true,
      payload: () => ({ workingHours: null }),
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/available', permission: 'chatbots.inbox.availability.read', me: false },
    {
      method: 'PUT',
      template: '/v1/inbox/:chatbotId/agents/:agentId/capacity',
      permission: 'chatbots.inbox.agents.capacity.edit',
      me: false,
      notForAgents: true,
      payload: (now) => ({ activeChats: 1, clientTimestamp: String(now) }),
    },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/:agentId/status',
      permission: 'chatbots.inbox.agents.status.edit',
      me: false,
      notForAgents: true,
      payload: () => ({ status: 'away' }),
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/:agentId/history', permission: 'chatbots.inbox.reports.read', me: false, notForAgents: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/:agentId/login-links',
      permission: 'chatbots.keys.create',
      me: false,
      notForAgents: true,
      alsoHeld: ['chatbots.inbox.*'],
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/me/notifications', permission: 'chatbots.inbox.agents.notifications.get', me: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/agents/me/notifications',
      permission: 'chatbots.inbox.agents.notifications.edit',
      me: true,
      payload: () => ({ pushToken: 'token-abc' }),
    },
    { method: 'POST', template: '/v1/inbox/:chatbotId/agents/me/notifications/test', permission: 'chatbots.inbox.agents.notifications.edit', me: true },
    { method: 'DELETE', template: '/v1/inbox/:chatbotId/agents/me/notifications/devices/:deviceId', permission: 'chatbots.inbox.agents.notifications.edit', me: true },
    { method: 'DELETE', template: '/v1/inbox/:chatbotId/agents/me/key', permission: 'chatbots.inbox.agents.online.edit', me: true },
    { method: 'POST', template: '/v1/inbox/:chatbotId/agents/online/stream-tickets', permission: 'chatbots.inbox.agents.list', me: false },
    { method: 'GET', template: '/v1/inbox/:chatbotId/agents/online/stream', permission: 'chatbots.inbox.agents.list', me: false, streams: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/notifications',
      permission: 'chatbots.inbox.notifications.send',
      me: false,
      notForAgents: true,
      payload: () => ({ type: 'conversation.new', title: 'T', body: 'B' }),
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/notifications/:notificationId', permission: 'chatbots.inbox.notifications.send', me: false, notForAgents: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/assignments',
      permission: 'chatbots.inbox.assignments.edit',
      me: false,
      notForAgents: true,
      payload: () => ({ conversationId: `battery-${++conversations}` }),
    },
    { method: 'GET', template: '/v1/inbox/:chatbotId/assignments', permission: 'chatbots.inbox.assignments.read', me: false, notForAgents: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/assignments/:conversationId', permission: 'chatbots.inbox.assignments.read', me: false, notForAgents: true },
    { method: 'GET', template: '/v1/inbox/:chatbotId/queue', permission: 'chatbots.inbox.assignments.read', me: false, notForAgents: true },
    { method: 'DELETE', template: '/v1/inbox/:chatbotId/assignments/:conversationId', permission: 'chatbots.inbox.assignments.edit', me: false, notForAgents: true },
    {
      method: 'POST',
      template: '/v1/inbox/:chatbotId/assignments/:conversationId/transfer',
      permission: 'chatbots.inbox.assignments.edit',
      me: false,
      notForAgents: true,
      payload: () => ({}),
    },
  ] satisfies InboxRoute[]
).map((route) => ({ ...route, name: `${route.method} ${route.template.replace('/v1/inbox/:chatbotId/', '')}` }));

/** Conversations the battery assigns, each new. */
let conversations = 0;

/** The routes that need no key, each for a reason (see `config.public` in src/http/gate.ts). */
const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/*',
  'GET /app',
  'GET /app/*',
  'GET /sdk/',
  'GET /sdk/:file',
  'GET /v1/push/vapid-public-key',
  'POST /v1/login-links/exchange',
  // The offer's secret is the credential (its push carried it): test/offers.test.ts.
  'POST /v1/inbox/:chatbotId/offers/:conversationId/accept',
  'POST /v1/inbox/:chatbotId/offers/:conversationId/decline',
];

describe('security battery', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let otherChatbotId: string;
  let agentKey: string;
  let memberId: string;
  let revokedKey: string;
  let rotatedOutKey: string;
  let outsiderKey: string;
  let setupKey: string;
  let notificationId: string;
  let hookWithDeliveries: string;
  /** The agent each agent key acts as (for targets that belong to the caller, a device). */
  const agentOfKey = new Map<string, string>();

  before(async () => {
    // The battery makes several keyless calls per route, more than one address's default budget for them.
    ctx = await createTestContext({ env: { RATE_LIMIT_UNAUTHENTICATED: '1000/60s' } });
    chatbotId = await ctx.chatbot('Home');
    otherChatbotId = await ctx.chatbot('Elsewhere');
    const agentId = await ctx.agent(chatbotId);
    memberId = agentId;
    agentKey = await memberKey(agentId);
    const revoked = await ctx.agentKey(agentId);
    await ctx.services.keys.revokeKey(CLI, revoked.id, 'any');
    revokedKey = revoked.key;
    const rotated = await ctx.agentKey(agentId);
    await ctx.services.keys.rotateKey(CLI, rotated.id, 'any', 0);
    rotatedOutKey = rotated.key;
    outsiderKey = (await ctx.agentKey(await ctx.agent(otherChatbotId))).key;
    setupKey = (await ctx.chatbotKey(chatbotId, ['*'])).key;
    const sent = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/notifications`, key: setupKey, payload: { type: 'conversation.new', title: 'T', body: 'B' } });
    notificationId = sent.json().id;
    hookWithDeliveries = await newWebhook();
    // Two members available (no limit on chats) whose status no route of the battery changes, so every assignment and transfer finds one.
    for (let i = 0; i < 2; i++) {
      const available = await memberKey(await ctx.agent(chatbotId));
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: available, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    }
  });
  after(() => ctx.close());

  async function memberKey(agentId: string): Promise<string> {
    const { key } = await ctx.agentKey(agentId);
    agentOfKey.set(key, agentId);
    return key;
  }
  async function newWebhook(): Promise<string> {
    const made = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/webhooks`, key: setupKey, payload: { url: 'https://hooks.example.com/target' } });
    assert.equal(made.statusCode, 201, made.body);
    return made.json().id;
  }
  /** A webhook for DELETE: the one left by a refused call, else a new one (a chatbot holds at most 10). */
  let hookToDelete: string | null = null;
  async function webhookToDelete(): Promise<string> {
    const listed = (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/webhooks`, key: setupKey })).json().items as Array<{ id: string }>;
    if (hookToDelete === null || !listed.some((hook) => hook.id === hookToDelete)) hookToDelete = await newWebhook();
    return hookToDelete;
  }
  /** A conversation with an open assignment (for release and transfer). */
  async function openConversation(): Promise<string> {
    const conversationId = `battery-${++conversations}`;
    const made = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments`, key: setupKey, payload: { conversationId } });
    assert.equal(made.statusCode, 201, made.body);
    return conversationId;
  }
  /** A device of the agent (added with a key of its own, as its browser would). */
  async function deviceOf(agentId: string): Promise<string> {
    const { key } = await ctx.agentKey(agentId);
    const added = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/notifications`, key, payload: { pushToken: `token-${agentId}` } });
    assert.equal(added.statusCode, 200, added.body);
    return added.json().deviceId;
  }

  /** The route's URL on `chatbot`, with its targets made for a call with `key`. */
  async function urlFor(route: InboxRoute, key: string | undefined, chatbot: string): Promise<string> {
    let url = route.template.replace(':chatbotId', chatbot).replace(':agentId', memberId).replace(':notificationId', notificationId);
    if (url.includes(':webhookId')) url = url.replace(':webhookId', route.method === 'DELETE' ? await webhookToDelete() : hookWithDeliveries);
    if (url.includes(':deviceId')) url = url.replace(':deviceId', await deviceOf((key && agentOfKey.get(key)) ?? memberId));
    if (url.includes(':conversationId')) url = url.replace(':conversationId', await openConversation());
    return route.query ? `${url}?${route.query}` : url;
  }

  const call = async (route: InboxRoute, key: string | undefined, chatbot = chatbotId) =>
    ctx.call({ method: route.method, url: await urlFor(route, key, chatbot), key, ...(route.payload ? { payload: route.payload(ctx.clock.now()) } : {}) });
  const succeeded = (status: number) => [200, 201, 202, 204].includes(status);

  it('every route Fastify registered is public by name or in a battery (this one, or the provisioning one)', () => {
    const inBattery = new Set([
      ...ROUTES.map((route) => `${route.method} ${route.template}`),
      ...ADMIN_ROUTES.map((route) => `${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`),
    ]);
    const registered = ctx.app.routeAccess.filter((route) => route.method !== 'HEAD');
    const missing = registered.filter((route) => route.permission !== null && !inBattery.has(`${route.method} ${route.url}`)).map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(missing, [], 'routes outside the security battery');
    const unknownPublic = registered
      .filter((route) => route.permission === null && !PUBLIC_ROUTES.includes(`${route.method} ${route.url}`))
      .map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(unknownPublic, [], 'public routes nobody listed');
    for (const route of ROUTES) {
      const declared = registered.find((entry) => entry.method === route.method && entry.url === route.template);
      assert.equal(declared?.permission, route.permission, `${route.name} declares the permission the battery expects`);
    }
  });

  it('a route registered with neither a permission nor the public mark stops the start-up', async () => {
    const config = loadConfig({ DATABASE_URL: ctx.databaseUrl, LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, database: ctx.database });
    app.get('/v1/forgotten', async () => ({ secret: 'everyone sees this' }));
    await assert.rejects(async () => void (await app.ready()), /must be marked public.*GET \/v1\/forgotten/);
    await app.close().catch(() => undefined);
  });

  for (const route of ROUTES) {
    describe(route.name, () => {
      if (route.notForAgents) {
        it('an agent key of a member with the agent role: 403 permission_denied', async () => {
          expectError(await call(route, agentKey), 403, 'permission_denied');
        });
      } else if (!route.streams) {
        it(
          route.memberAnswer
            ? `an agent key of a member passes every check of the key: ${route.memberAnswer.status} ${route.memberAnswer.code}`
            : 'succeeds with an agent key of a member',
          async () => {
            const response = await call(route, await memberKey(memberId));
            if (route.memberAnswer) expectError(response, route.memberAnswer.status, route.memberAnswer.code);
            else assert.ok(succeeded(response.statusCode), response.body);
          },
        );
      }
      it('no key: 401 missing_key', async () => {
        expectError(await call(route, undefined), 401, 'missing_key');
      });
      it('a malformed key: 401 invalid_key', async () => {
        expectError(await call(route, 'hunter2'), 401, 'invalid_key');
      });
      it('a well-formed but unknown key: 401 invalid_key', async () => {
        expectError(await call(route, `cck_${'A'.repeat(43)}`), 401, 'invalid_key');
      });
      it('a revoked key: 401 revoked_key; a rotated-out secret: 401 rotated_key', async () => {
        expectError(await call(route, revokedKey), 401, 'revoked_key');
        expectError(await call(route, rotatedOutKey), 401, 'rotated_key');
      });
      it('the key in a query parameter or another header is not accepted', async () => {
        const path = await urlFor(route, agentKey, chatbotId);
        const viaQuery = await ctx.call({ method: route.method, url: `${path}${path.includes('?') ? '&' : '?'}key=${agentKey}` });
        expectError(viaQuery, 401, 'missing_key');
        const viaBearer = await ctx.call({ method: route.method, url: path, headers: { authorization: `Bearer ${agentKey}` } });
        expectError(viaBearer, 401, 'missing_key');
      });
      it('an agent key on a chatbot the agent is not a member of: 403, the same for a chatbot that does not exist', async () => {
        const existing = await call(route, outsiderKey, chatbotId);
        const missing = await call(route, outsiderKey, 'cb_doesnotexist0000000');
        expectError(existing, 403, 'chatbot_forbidden');
        expectError(missing, 403, 'chatbot_forbidden');
        assert.equal(existing.json().error.replace(chatbotId, 'X'), missing.json().error.replace('cb_doesnotexist0000000', 'X'), 'no existence leak');
      });
      it('a chatbot key for another chatbot: 403 chatbot_forbidden', async () => {
        const { key } = await ctx.chatbotKey(otherChatbotId, ['*']);
        expectError(await call(route, key), 403, 'chatbot_forbidden');
      });
      it('a chatbot key without the permission: 403', async () => {
        const others = PERMISSIONS.filter((permission) => permission !== route.permission && PERMISSION_SCOPES[permission] === 'chatbot');
        const { key } = await ctx.chatbotKey(chatbotId, others);
        expectError(await call(route, key), 403, route.me ? 'key_not_bound_to_agent' : 'permission_denied');
      });
      if (route.me) {
        it('a chatbot key, even with every permission, has no "me": 403 key_not_bound_to_agent', async () => {
          const { key } = await ctx.chatbotKey(chatbotId, ['*']);
          const response = await call(route, key);
          expectError(response, 403, 'key_not_bound_to_agent');
          assert.match(response.json().error, /not bound to an agent/);
        });
      } else {
        it('a chatbot key with the exact permission, a covering wildcard, or * succeeds', {
          skip: route.streams ? 'a successful stream never ends under inject; covered in test/stream.test.ts' : false,
        }, async () => {
          for (const grant of [route.permission, `${route.permission.split('.').slice(0, -1).join('.')}.*`, 'chatbots.*', '*']) {
            const { key } = await ctx.chatbotKey(chatbotId, [grant, ...(route.alsoHeld ?? [])]);
            const response = await call(route, key);
            assert.ok(succeeded(response.statusCode), `${grant}: ${response.body}`);
          }
        });
      }
    });
  }

  it('a wildcard grant covers only names under it', async () => {
    const { key } = await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.notifications.*']);
    const list = ROUTES[0]!;
    assert.equal((await call(list, key)).json().code, 'permission_denied');
  });

  it('an admin member may use every route of its chatbot', async () => {
    const adminId = await ctx.agent(chatbotId, { role: 'admin' });
    for (const route of ROUTES.filter((r) => !r.streams)) {
      // A key of its own per route: DELETE me/key signs the key out.
      const response = await call(route, await memberKey(adminId));
      if (route.memberAnswer) expectError(response, route.memberAnswer.status, route.memberAnswer.code);
      else assert.ok(succeeded(response.statusCode), `${route.name}: ${response.body}`);
    }
  });

  it('revocation takes effect on the very next request', async () => {
    const agentId = await ctx.agent(chatbotId);
    const { id, key } = await ctx.agentKey(agentId);
    assert.equal((await call(ROUTES[0]!, key)).statusCode, 200);
    await ctx.services.keys.revokeKey(CLI, id, 'any');
    assert.equal((await call(ROUTES[0]!, key)).statusCode, 401);
  });

  it('a bad body from a caller without access gets 401/403, not 400: access is checked first', async () => {
    const response = await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), payload: { online: 'nope' } });
    assert.equal(response.statusCode, 401);
  });

  it('secrets are stored only as SHA-256 hashes', async () => {
    const { id, key } = await ctx.agentKey(await ctx.agent(chatbotId));
    const row = await ctx.database.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, hashSecret(key));
    assert.ok(!JSON.stringify(row).includes(key.slice(4, 40)), 'no part of the secret beyond a 4-character hint is stored');
    assert.match(key, /^cck_[A-Za-z0-9_-]{43}$/, '256 random bits, base64url, with a recognisable prefix');
  });
});

describe('the key cache', () => {
  it('forgets the least recently used key when full: a key in use stays known without the database while many others come and go', async () => {
    const ctx = await createTestContext();
    try {
      const { db, changes, dialect } = ctx.database;
      const auth = authService(keyStore(db, changes), tenancyStore(db, changes, dialect), changes, ctx.clock.now, { cacheLimit: 5 });
      const chatbotId = await ctx.chatbot();
      const busy = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
      const others = await Promise.all(Array.from({ length: 12 }, async () => (await ctx.agentKey(await ctx.agent(chatbotId))).key));
      await auth.authenticate(busy);
      for (const other of others) {
        await auth.authenticate(other);
        assert.ok(auth.cachedPrincipal(busy), 'the busy key is still known after each other key');
      }
      const lookups = auth.stats.keyLookups;
      await auth.authenticate(busy);
      assert.equal(auth.stats.keyLookups, lookups, 'and needs no database read');
      assert.equal(auth.cachedPrincipal(others[0]!), undefined, 'the least recently used went first');
      assert.ok(auth.cachedPrincipal(others.at(-1)!), 'the last ones are still known');
    } finally {
      await ctx.close();
    }
  });
});

describe('logs', () => {
  it('never contain a key, on success or on error', async () => {
    const logs = capturedLogs('trace');
    const ctx = await createTestContext({ logger: logs.logger });
    try {
      const chatbotId = await ctx.chatbot();
      const { key } = await ctx.agentKey(await ctx.agent(chatbotId));
      await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key });
      await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: 1 } });
      await ctx.call({ method: 'GET', url: onlinePath('cb_other'), key });
      assert.ok(logs.text.length > 0, 'the logger did write');
      assert.ok(!logs.text.includes(key), 'the secret is not in the logs');
      assert.ok(!logs.text.includes(key.slice(4, 20)), 'no fragment of the secret is in the logs');
    } finally {
      await ctx.close();
    }
  });
});
