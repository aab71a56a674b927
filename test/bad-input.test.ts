import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CLI } from '../src/auth/actor.js';
import { after, before, describe, it } from 'node:test';
import { controlCharacterInBody, controlCharacterInUrl } from '../src/http/control-characters.js';
import { createTestContext, meNotificationsPath, meOnlinePath, snapshotState, type TestContext } from './helpers/context.js';

interface BadCase {
  name: string;
  route: 'online' | 'notifications' | 'other';
  payload?: string | object;
  contentType?: string;
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  url?: string;
  status: number;
  code: string;
  /** A fragment the message must contain: it names the field and the rule. */
  says: RegExp;
}

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

const CASES: BadCase[] = [
  { name: 'online missing', route: 'online', payload: { clientTimestamp: String(NOW) }, status: 400, code: 'invalid_request', says: /online is required/ },
  {
    name: 'online as a string',
    route: 'online',
    payload: { online: 'true', clientTimestamp: String(NOW) },
    status: 400,
    code: 'invalid_request',
    says: /online must be of type boolean/,
  },
  { name: 'online as a number', route: 'online', payload: { online: 1, clientTimestamp: String(NOW) }, status: 400, code: 'invalid_request', says: /online/ },
  { name: 'online null', route: 'online', payload: { online: null, clientTimestamp: String(NOW) }, status: 400, code: 'invalid_request', says: /online/ },
  { name: 'clientTimestamp missing', route: 'online', payload: { online: true }, status: 400, code: 'invalid_request', says: /clientTimestamp is required/ },
  {
    name: 'clientTimestamp as an object',
    route: 'online',
    payload: { online: true, clientTimestamp: {} },
    status: 400,
    code: 'invalid_request',
    says: /clientTimestamp must be epoch milliseconds/,
  },
  { name: 'clientTimestamp as a boolean', route: 'online', payload: { online: true, clientTimestamp: true }, status: 400, code: 'invalid_request', says: /clientTimestamp/ },
  { name: 'clientTimestamp negative number', route: 'online', payload: { online: true, clientTimestamp: -5 }, status: 400, code: 'invalid_request', says: /clientTimestamp/ },
  { name: 'clientTimestamp fractional number', route: 'online', payload: { online: true, clientTimestamp: 1.5 }, status: 400, code: 'invalid_request', says: /clientTimestamp/ },
  {
    name: 'clientTimestamp words',
    route: 'online',
    payload: { online: true, clientTimestamp: 'yesterday' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /clientTimestamp must be epoch milliseconds/,
  },
  { name: 'clientTimestamp empty string', route: 'online', payload: { online: true, clientTimestamp: '' }, status: 400, code: 'invalid_client_timestamp', says: /clientTimestamp/ },
  {
    name: 'clientTimestamp negative digits',
    route: 'online',
    payload: { online: true, clientTimestamp: '-5' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /clientTimestamp/,
  },
  {
    name: 'clientTimestamp in seconds',
    route: 'online',
    payload: { online: true, clientTimestamp: '1767225600' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /epoch milliseconds; this looks like seconds/,
  },
  {
    name: 'clientTimestamp beyond safe integers',
    route: 'online',
    payload: { online: true, clientTimestamp: '99999999999999999' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /clientTimestamp/,
  },
  {
    name: 'ISO date without a time zone',
    route: 'online',
    payload: { online: true, clientTimestamp: '2026-01-15T11:00:00' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /time zone/,
  },
  {
    name: 'ISO date with month 13',
    route: 'online',
    payload: { online: true, clientTimestamp: '2026-13-01T00:00:00Z' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /clientTimestamp/,
  },
  {
    name: 'ISO date on 30 February',
    route: 'online',
    payload: { online: true, clientTimestamp: '2026-02-30T00:00:00Z' },
    status: 400,
    code: 'invalid_client_timestamp',
    says: /clientTimestamp/,
  },
  {
    name: 'clientTimestamp an hour ahead',
    route: 'online',
    payload: { online: true, clientTimestamp: String(NOW + 3_600_000) },
    status: 400,
    code: 'client_timestamp_in_future',
    says: /ahead of the server clock/,
  },
  { name: 'a JSON array body', route: 'online', payload: '[]', status: 400, code: 'invalid_request', says: /body must be a JSON object/ },
  { name: 'a JSON string body', route: 'online', payload: '"online"', status: 400, code: 'invalid_request', says: /body must be a JSON object/ },
  { name: 'a JSON null body', route: 'online', payload: 'null', status: 400, code: 'invalid_request', says: /body must be a JSON object/ },
  { name: 'malformed JSON', route: 'online', payload: '{"online": tru', status: 400, code: 'invalid_json', says: /not valid JSON/ },
  { name: 'an empty body declared as JSON, where a body is required', route: 'online', payload: '', status: 400, code: 'invalid_request', says: /body must be a JSON object/ },
  {
    name: 'a body nested deeper than 32 levels',
    route: 'online',
    payload: `{"online":true,"clientTimestamp":"${NOW}","x":${'['.repeat(40)}${']'.repeat(40)}}`,
    status: 400,
    code: 'invalid_request',
    says: /more than 32 levels deep/,
  },
  {
    name: 'a body with __proto__',
    route: 'online',
    payload: `{"online":true,"clientTimestamp":"${NOW}","__proto__":{"polluted":1}}`,
    status: 400,
    code: 'invalid_json',
    says: /not valid JSON.*prototype/,
  },
  { name: 'a text/plain body', route: 'online', payload: 'online=true', contentType: 'text/plain', status: 415, code: 'unsupported_media_type', says: /must be JSON/ },
  {
    name: 'a form body',
    route: 'online',
    payload: 'online=true',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
    says: /must be JSON/,
  },
  {
    name: 'a body over 64 KiB',
    route: 'online',
    payload: JSON.stringify({ online: true, clientTimestamp: String(NOW), pad: 'x'.repeat(70_000) }),
    status: 413,
    code: 'body_too_large',
    says: /64 KiB/,
  },
  {
    name: 'pushToken empty',
    route: 'notifications',
    payload: { pushToken: '' },
    status: 400,
    code: 'invalid_request',
    says: /pushToken must be a string of 1 to 4096 visible characters/,
  },
  { name: 'pushToken with a space', route: 'notifications', payload: { pushToken: 'abc def' }, status: 400, code: 'invalid_request', says: /pushToken/ },
  {
    name: 'pushToken with a control character',
    route: 'notifications',
    payload: { pushToken: 'abc\u0007' },
    status: 400,
    code: 'control_character',
    says: /pushToken contains the control character U\+0007/,
  },
  { name: 'pushToken with non-ASCII', route: 'notifications', payload: { pushToken: 'tökén' }, status: 400, code: 'invalid_request', says: /pushToken/ },
  { name: 'pushToken of 4097 characters', route: 'notifications', payload: { pushToken: 'a'.repeat(4097) }, status: 400, code: 'invalid_request', says: /pushToken/ },
  { name: 'pushToken as a number', route: 'notifications', payload: { pushToken: 42 }, status: 400, code: 'invalid_request', says: /pushToken/ },
  { name: 'pushToken as an object', route: 'notifications', payload: { pushToken: { token: 'x' } }, status: 400, code: 'invalid_request', says: /pushToken/ },
  { name: 'an unknown route', route: 'other', method: 'GET', url: '/v1/inbox/cb_x/agents/offline', status: 404, code: 'not_found', says: /no route/ },
  {
    name: 'a known path with a method it does not have',
    route: 'other',
    method: 'DELETE',
    url: '/v1/inbox/cb_x/agents/online',
    status: 405,
    code: 'method_not_allowed',
    says: /DELETE is not allowed on .*; allowed: GET, HEAD/,
  },
  { name: 'a bad percent-encoding in the path', route: 'other', method: 'GET', url: '/v1/inbox/%zz/agents/online', status: 400, code: 'invalid_url', says: /percent-encoding/ },
];

describe('bad input gets a clear error and changes nothing', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let key: string;

  before(async () => {
    ctx = await createTestContext();
    ctx.clock.current = NOW;
    chatbotId = await ctx.chatbot();
    key = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
    // Some state to be left alone.
    await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(NOW - 1000) } });
    await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key, payload: { pushToken: 'original-token' } });
  });
  after(() => ctx.close());

  for (const badCase of CASES) {
    it(`${badCase.name}: ${badCase.status} ${badCase.code}`, async () => {
      const before = await snapshotState(ctx.database);
      const url = badCase.url ?? (badCase.route === 'online' ? meOnlinePath(chatbotId) : meNotificationsPath(chatbotId));
      const payload = typeof badCase.payload === 'string' ? badCase.payload : badCase.payload === undefined ? undefined : JSON.stringify(badCase.payload);
      const response = await ctx.call({
        method: badCase.method ?? 'POST',
        url,
        key,
        ...(payload === undefined ? {} : { payload }),
        headers: payload === undefined ? {} : { 'content-type': badCase.contentType ?? 'application/json' },
      });
      assert.equal(response.statusCode, badCase.status, response.body);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error']);
      assert.equal(body.code, badCase.code);
      assert.match(body.error, badCase.says);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(await snapshotState(ctx.database), before, 'nothing changed');
    });
  }

  it('unknown extra fields are ignored', async () => {
    const response = await ctx.call({
      method: 'POST',
      url: meOnlinePath(chatbotId),
      key,
      payload: { online: false, clientTimestamp: String(NOW), mood: 'sunny' },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().online, false);
    assert.equal('mood' in response.json(), false);
  });

  it('a 500 carries no internals, only the request id, and the same id is in the x-request-id header', async () => {
    const broken = await createTestContext();
    try {
      const chatbot = await broken.chatbot();
      const brokenKey = (await broken.agentKey(await broken.agent(chatbot))).key;
      // Break the store underneath the app: the presence table disappears.
      await broken.database.db.schema.dropTable('presence').execute();
      const response = await broken.call({ method: 'GET', url: `/v1/inbox/${chatbot}/agents/online`, key: brokenKey });
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().code, 'internal_error');
      assert.doesNotMatch(response.json().error, /presence|sqlite|table|select/i);
      assert.ok(response.json().error.includes(String(response.headers['x-request-id'])));
    } finally {
      await broken.close();
    }
  });
});

describe('notification settings', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('read as nulls until set; a token sets, {} keeps, null clears; per (chatbot, agent)', async () => {
    const chatbotId = await ctx.chatbot();
    const other = await ctx.chatbot();
    const agentId = await ctx.agent(chatbotId);
    await ctx.services.tenancy.setMember(CLI, { agentId, chatbotId: other });
    const { key } = await ctx.agentKey(agentId);
    // The seed's two fields; devices and preferences are tested in push-devices.test.ts.
    const seedFields = (body: { pushToken: unknown; updatedAt: unknown }) => ({ pushToken: body.pushToken, updatedAt: body.updatedAt });
    const get = async (chatbot = chatbotId) => seedFields((await ctx.call({ method: 'GET', url: meNotificationsPath(chatbot), key })).json());
    const post = async (payload: object) => {
      const response = await ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key, payload });
      return { json: () => seedFields(response.json()) };
    };

    assert.deepEqual(await get(), { pushToken: null, updatedAt: null });
    assert.deepEqual((await post({})).json(), { pushToken: null, updatedAt: null }, '{} on nothing stays nothing');

    const token = `${'x'.repeat(4000)}:APA91b-_~`;
    const setAt = new Date(ctx.clock.now()).toISOString();
    assert.deepEqual((await post({ pushToken: token })).json(), { pushToken: token, updatedAt: setAt });
    ctx.clock.advance(60);
    assert.deepEqual((await post({})).json(), { pushToken: token, updatedAt: setAt }, '{} changes nothing, not even updatedAt');
    assert.deepEqual(await get(), { pushToken: token, updatedAt: setAt });
    assert.deepEqual(await get(other), { pushToken: null, updatedAt: null }, 'another chatbot has its own settings');

    const maxLength = 'y'.repeat(4096);
    assert.equal((await post({ pushToken: maxLength })).json().pushToken, maxLength, '4096 characters is allowed');

    const clearedAt = new Date(ctx.clock.now()).toISOString();
    assert.deepEqual((await post({ pushToken: null })).json(), { pushToken: null, updatedAt: clearedAt });
    assert.deepEqual(await get(), { pushToken: null, updatedAt: clearedAt });
  });
});

describe('the "nothing changed" snapshot', () => {
  it('covers every table the database has, one added by a migration nobody listed included', async () => {
    const ctx = await createTestContext();
    try {
      await sql`create table added_later (id text primary key, note text)`.execute(ctx.database.db);
      const before = await snapshotState(ctx.database);
      await sql`insert into added_later (id, note) values ('x', 'changed')`.execute(ctx.database.db);
      assert.notEqual(await snapshotState(ctx.database), before, 'a row in the new table is a change');
      const tables = Object.keys(JSON.parse(before) as object);
      for (const table of ['webhooks', 'webhook_deliveries', 'login_links', 'device_liveness', 'presence_history', 'agent_capacity']) assert.ok(tables.includes(table), table);
    } finally {
      await ctx.close();
    }
  });
});

describe('control characters: refused in every text, the same on both databases', () => {
  it('the rule: none anywhere; tab and line breaks only in a notification body and data; field names and URLs too', () => {
    const table: Array<[unknown, string | null]> = [
      [{ text: 'plain ünïcødé ✓' }, null],
      [{ text: 'a\u0000b' }, 'text U+0000'],
      [{ text: 'a\nb' }, 'text U+000A'],
      [{ text: 'a\tb' }, 'text U+0009'],
      [{ text: 'a\u007fb' }, 'text U+007F'],
      [{ title: 'x', body: 'line one\nline two\r\n\tindented' }, null],
      [{ body: 'a\u0000b' }, 'body U+0000'],
      [{ data: { note: 'a\nb', list: ['c\td'] } }, null],
      [{ data: { list: ['ok', 'a\u001bb'] } }, 'data.list[1] U+001B'],
      [{ nested: { body: 'a\nb' } }, 'nested.body U+000A'],
      [{ 'na\u0000me': 1 }, 'a field name in the body U+0000'],
      ['a\u0000', 'the body U+0000'],
      [[1, true, null, 'fine'], null],
    ];
    for (const [body, expected] of table) {
      const hit = controlCharacterInBody(body);
      assert.equal(hit ? `${hit.field} ${hit.character}` : null, expected, JSON.stringify(body));
    }
    assert.deepEqual(controlCharacterInUrl({ chatbotId: 'cb\u0000x' }, 'path'), { field: 'the path parameter chatbotId', character: 'U+0000' });
    assert.deepEqual(controlCharacterInUrl({ q: ['a', 'b\tc'] }, 'query'), { field: 'the query parameter q', character: 'U+0009' });
    assert.equal(controlCharacterInUrl({ q: 'fine', n: undefined }, 'query'), null);
  });

  let ctx: TestContext;
  let chatbotId: string;
  let key: string;
  before(async () => {
    ctx = await createTestContext();
    ctx.clock.current = NOW;
    chatbotId = await ctx.chatbot();
    key = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
    await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key, payload: { status: 'busy', text: 'Before', clientTimestamp: String(NOW - 1000) } });
  });
  after(() => ctx.close());

  const requests: Array<{ name: string; method: 'GET' | 'POST'; url: (chatbotId: string) => string; payload?: string; says: RegExp }> = [
    {
      name: 'a NUL in a status text',
      method: 'POST',
      url: (id) => `/v1/inbox/${id}/agents/me/status`,
      payload: JSON.stringify({ status: 'away', text: 'a\u0000b', clientTimestamp: String(NOW) }),
      says: /^text contains the control character U\+0000/,
    },
    {
      name: 'a line break in a status text (one line)',
      method: 'POST',
      url: (id) => `/v1/inbox/${id}/agents/me/status`,
      payload: JSON.stringify({ status: 'away', text: 'a\nb', clientTimestamp: String(NOW) }),
      says: /^text contains the control character U\+000A/,
    },
    {
      name: 'a raw DEL in a status text',
      method: 'POST',
      url: (id) => `/v1/inbox/${id}/agents/me/status`,
      payload: `{"status":"away","text":"a\u007fb","clientTimestamp":"${NOW}"}`,
      says: /U\+007F/,
    },
    {
      name: 'a NUL in clientTimestamp',
      method: 'POST',
      url: (id) => `/v1/inbox/${id}/agents/me/online`,
      payload: JSON.stringify({ online: false, clientTimestamp: `${NOW}\u0000` }),
      says: /^clientTimestamp contains the control character U\+0000/,
    },
    {
      name: 'a NUL in the chatbot id of the path',
      method: 'GET',
      url: () => '/v1/inbox/cb%00x/agents/online',
      says: /^the path parameter chatbotId contains the control character U\+0000/,
    },
    { name: 'a control character in a query value', method: 'GET', url: (id) => `/v1/inbox/${id}/agents/online?view=%07`, says: /^the query parameter view contains/ },
  ];
  for (const request of requests) {
    it(`${request.name}: 400 control_character, nothing changed`, async () => {
      const before = await snapshotState(ctx.database);
      const response = await ctx.call({
        method: request.method,
        url: request.url(chatbotId),
        key,
        ...(request.payload === undefined ? {} : { payload: request.payload, headers: { 'content-type': 'application/json' } }),
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.deepEqual(response.json(), { error: response.json().error, code: 'control_character' });
      assert.match(response.json().error, request.says);
      assert.equal(await snapshotState(ctx.database), before, 'nothing changed');
    });
  }
});
