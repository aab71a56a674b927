import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PERMISSIONS } from '../src/auth/permissions.js';
import { ERROR_STATUS, type ErrorCode } from '../src/errors.js';
import { ADMIN_ROUTES } from './helpers/admin-routes.js';
import { createTestContext, type TestContext } from './helpers/context.js';

const PROTECTED = [
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/online', permission: 'chatbots.inbox.agents.list', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/me/online', permission: 'chatbots.inbox.agents.online.edit', body: true },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/me/status', permission: 'chatbots.inbox.agents.online.edit', body: true },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/me/activity', permission: 'chatbots.inbox.agents.online.edit', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/availability', permission: 'chatbots.inbox.availability.read', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/{agentId}/history', permission: 'chatbots.inbox.reports.read', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/available', permission: 'chatbots.inbox.availability.read', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/webhooks', permission: 'chatbots.webhooks.edit', body: true },
  { method: 'get', path: '/v1/inbox/{chatbotId}/webhooks', permission: 'chatbots.webhooks.edit', body: false },
  { method: 'delete', path: '/v1/inbox/{chatbotId}/webhooks/{webhookId}', permission: 'chatbots.webhooks.edit', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/webhooks/{webhookId}/deliveries', permission: 'chatbots.webhooks.edit', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/me/working-hours', permission: 'chatbots.inbox.agents.online.edit', body: false },
  { method: 'put', path: '/v1/inbox/{chatbotId}/agents/me/working-hours', permission: 'chatbots.inbox.agents.online.edit', body: true },
  { method: 'put', path: '/v1/inbox/{chatbotId}/agents/{agentId}/working-hours', permission: 'chatbots.inbox.agents.status.edit', body: true },
  { method: 'put', path: '/v1/inbox/{chatbotId}/agents/{agentId}/capacity', permission: 'chatbots.inbox.agents.capacity.edit', body: true },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/{agentId}/status', permission: 'chatbots.inbox.agents.status.edit', body: true },
  { method: 'get', path: '/v1/inbox/{chatbotId}/reports/time-in-state', permission: 'chatbots.inbox.reports.read', body: false },
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/me/notifications', permission: 'chatbots.inbox.agents.notifications.get', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/me/notifications', permission: 'chatbots.inbox.agents.notifications.edit', body: true },
  { method: 'get', path: '/v1/inbox/{chatbotId}/agents/online/stream', permission: 'chatbots.inbox.agents.list', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/agents/online/stream-tickets', permission: 'chatbots.inbox.agents.list', body: false },
  { method: 'delete', path: '/v1/inbox/{chatbotId}/agents/me/notifications/devices/{deviceId}', permission: 'chatbots.inbox.agents.notifications.edit', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/notifications', permission: 'chatbots.inbox.notifications.send', body: true },
  { method: 'get', path: '/v1/inbox/{chatbotId}/notifications/{notificationId}', permission: 'chatbots.inbox.notifications.send', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/assignments', permission: 'chatbots.inbox.assignments.edit', body: true },
  { method: 'get', path: '/v1/inbox/{chatbotId}/assignments', permission: 'chatbots.inbox.assignments.read', body: false },
  { method: 'delete', path: '/v1/inbox/{chatbotId}/assignments/{conversationId}', permission: 'chatbots.inbox.assignments.edit', body: false },
  { method: 'post', path: '/v1/inbox/{chatbotId}/assignments/{conversationId}/transfer', permission: 'chatbots.inbox.assignments.edit', body: true },
  ...ADMIN_ROUTES.map((route) => ({ method: route.method.toLowerCase(), path: route.path, permission: route.permission, body: route.body !== undefined })),
];

describe('operations', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('GET /healthz says the process is up', async () => {
    const response = await ctx.call({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  it('GET /readyz is 200 while the database answers and 503 with {error, code} when it does not', async () => {
    assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).statusCode, 200);
    const other = await createTestContext();
    await other.database.close();
    const response = await other.call({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().code, 'service_unavailable');
    await other.close();
  });

  it('GET /openapi.json documents every route with its permission, security, request and error schemas', async () => {
    const response = await ctx.call({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.components.securitySchemes.chatcaptainKey, {
      type: 'apiKey',
      in: 'header',
      name: 'x-chatcaptain-key',
      description: 'An agent key, a chatbot key or an operator key (`cck_…`).',
    });
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, { properties?: Record<string, unknown>; examples?: Array<{ code: string }> }>)) {
      if (!/^Error\d{3}$/.test(name)) continue;
      assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), ['code', 'error'], name);
      const code = schema.examples?.[0]?.code;
      assert.ok(code && ERROR_STATUS[code as ErrorCode] === Number(name.slice(5)), `${name}'s example has a code of that status (${code})`);
    }
    for (const route of PROTECTED) {
      const operation = doc.paths[route.path]?.[route.method];
      assert.ok(operation, `${route.method} ${route.path} is documented`);
      assert.equal(operation['x-permission'], route.permission);
      assert.deepEqual(operation.security, route.path.endsWith('/stream') ? [{ chatcaptainKey: [] }, { streamTicket: [] }] : [{ chatcaptainKey: [] }]);
      assert.ok(operation.description.includes(route.permission), 'the description names the permission');
      assert.match(operation.description, route.path.includes('{chatbotId}') ? /on resource `chatbots\/:chatbotId`/ : /on the install \(operator keys\)/);
      const [status, success] = Object.entries(operation.responses as Record<string, { content?: Record<string, { schema: unknown }> }>).find(([code]) => code.startsWith('2'))!;
      if (status !== '204') assert.ok(Object.values(success.content ?? {})[0]?.schema, 'a success schema');
      for (const status of route.body ? ['400', '401', '403', '413', '415', '500'] : ['401', '403', '500']) {
        assert.equal(operation.responses[status]?.content['application/json'].schema.$ref, `#/components/schemas/Error${status}`, `${route.path} ${status}`);
      }
      if (route.body) assert.ok(operation.requestBody.content['application/json'].schema.properties, 'a request schema');
    }
    assert.deepEqual([...new Set(PROTECTED.map((route) => route.permission))].sort(), [...PERMISSIONS].sort(), 'every permission is used by a documented route');
    assert.ok(doc.paths['/v1/inbox/{chatbotId}/agents/online/stream'].get.responses['200'].content['text/event-stream'], 'the stream is documented as text/event-stream');
    assert.ok(doc.paths['/healthz'] && doc.paths['/readyz']);
    assert.ok(doc.paths['/v1/push/vapid-public-key'].get, 'the VAPID key route is documented');
    assert.deepEqual(doc.paths['/v1/push/vapid-public-key'].get.security, [], 'and needs no key, explicitly');
  });

  it('GET /docs serves the interactive reference with its scripts, reading /openapi.json', async () => {
    const page = await ctx.call({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    const scripts = [...page.body.matchAll(/src="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]!);
    assert.ok(scripts.length > 0, 'the page loads scripts');
    for (const script of scripts) {
      const asset = await ctx.call({ method: 'GET', url: `/docs/${script.replace(/^\.\//, '')}` });
      assert.equal(asset.statusCode, 200, script);
    }
    const initializer = await ctx.call({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    assert.equal(initializer.statusCode, 200);
    const specUrl = await ctx.call({ method: 'GET', url: '/docs/json' });
    assert.equal(specUrl.statusCode, 200);
    assert.equal(specUrl.json().openapi, '3.1.0');
  });

  it('answers every refused or failed request with the x-request-id its log line carries', async () => {
    for (const url of ['/nowhere', '/v1/inbox/cb_x/agents/online']) {
      const response = await ctx.call({ method: 'GET', url });
      assert.ok(response.statusCode >= 400);
      assert.match(String(response.headers['x-request-id']), /^[0-9a-f]{12}-[0-9a-z]+$/);
    }
  });
});
