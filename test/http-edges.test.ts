import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { CLI } from '../src/auth/actor.js';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { ERROR_STATUS, type ErrorCode } from '../src/errors.js';
import { capturedLogs, createTestContext, onlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { freshDatabase } from './helpers/database.js';
import { startServer } from './helpers/processes.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and reads one answer: what a
 * hostile or broken client sends, which fetch would refuse to build.
 */
function rawRequest(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const body = text.slice(split + 4);
      const length = headers['content-length'];
      if (length !== undefined && Buffer.byteLength(body) < Number(length)) return;
      settled = true;
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      finish();
    });
    socket.on('end', finish);
    socket.on('close', () => {
      finish();
      if (!settled) reject(new Error(`connection closed without a complete answer: ${Buffer.concat(chunks).toString('utf8')}`));
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const assertErrorBody = (answer: RawAnswer, code: ErrorCode) => {
  assert.equal(answer.status, ERROR_STATUS[code], answer.body);
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error']);
  assert.equal(body.code, code);
  assert.ok(String(body.error).length > 10, 'the message says something');
  assert.match(answer.headers['x-request-id'] ?? '', /^[\x21-\x7e]{1,128}$/, 'a request id, as every answer has');
};

describe('what the HTTP server answers before any route runs', () => {
  let ctx: TestContext;
  let port: number;
  let chatbotId: string;
  let key: string;

  before(async () => {
    ctx = await createTestContext({ clock: 'real' });
    const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(url).port);
    chatbotId = await ctx.chatbot();
    key = (await ctx.agentKey(await ctx.agent(chatbotId))).key;
  });
  after(() => ctx.close());

  it("at the default bound: a body declared over 16 MiB gets its 413 and the connection closes (nobody's gigabytes are read); one within it keeps the connection", async () => {
    const over = await rawRequest(port, `POST /v1/login-links/exchange HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${16 * 1024 * 1024 + 1}\r\n\r\n`);
    assertErrorBody(over, 'body_too_large');
    assert.equal(over.headers.connection, 'close');
    const within = await rawRequest(port, `POST /v1/login-links/exchange HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${16 * 1024 * 1024}\r\n\r\n`);
    assertErrorBody(within, 'body_too_large');
    assert.notEqual(within.headers.connection, 'close', 'the rest would be read and dropped');
  });

  it('an unknown method (FUZZ): 501 method_not_implemented', async () => {
    assertErrorBody(await rawRequest(port, 'FUZZ /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), 'method_not_implemented');
  });

  it('non-ASCII bytes in the path: 400 invalid_url', async () => {
    const bytes = Buffer.concat([Buffer.from('GET /v1/inbox/caf'), Buffer.from([0xc3, 0xa9]), Buffer.from('/agents/online HTTP/1.1\r\nHost: x\r\n\r\n')]);
    assertErrorBody(await rawRequest(port, bytes), 'invalid_url');
  });

  it('a header block over 16 KiB: 431 headers_too_large', async () => {
    assertErrorBody(await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`), 'headers_too_large');
  });

  it('an Expect the service cannot meet: 417 expectation_failed with a body', async () => {
    assertErrorBody(await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n'), 'expectation_failed');
  });

  it('a bad percent-encoding: 400 invalid_url', async () => {
    assertErrorBody(await rawRequest(port, 'GET /v1/inbox/%zz/agents/online HTTP/1.1\r\nHost: x\r\n\r\n'), 'invalid_url');
  });

  it('bytes that are not HTTP: 400 invalid_http', async () => {
    assertErrorBody(await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHo st: x\r\n\r\n'), 'invalid_http');
  });

  it('a path id of 150 or 300 characters reaches the route and its rules, never 414', async () => {
    for (const length of [150, 300]) {
      const answer = await rawRequest(port, `GET ${onlinePath('c'.repeat(length))} HTTP/1.1\r\nHost: x\r\nx-chatcaptain-key: ${key}\r\n\r\n`);
      // Access is checked first, and this key may not touch such a chatbot.
      assertErrorBody(answer, 'chatbot_forbidden');
    }
    const answer = await rawRequest(port, `GET ${onlinePath('c'.repeat(1500))} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assertErrorBody(answer, 'uri_too_long');
  });

  it('a method the path does not have: 405 with Allow', async () => {
    const answer = await rawRequest(port, `DELETE ${onlinePath(chatbotId)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assertErrorBody(answer, 'method_not_allowed');
    assert.equal(answer.headers.allow, 'GET, HEAD');
  });

  it('304 has no body, no Content-Type and no Content-Length (RFC 9110 15.4.5), but keeps ETag and Cache-Control', async () => {
    const first = await fetch(`http://127.0.0.1:${port}${onlinePath(chatbotId)}`, { headers: { 'x-chatcaptain-key': key } });
    const etag = first.headers.get('etag')!;
    await first.text();
    const answer = await rawRequest(port, `GET ${onlinePath(chatbotId)} HTTP/1.1\r\nHost: x\r\nx-chatcaptain-key: ${key}\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`);
    assert.equal(answer.status, 304);
    assert.equal(answer.body, '');
    assert.equal(answer.headers['content-type'], undefined);
    assert.equal(answer.headers['content-length'], undefined);
    assert.equal(answer.headers.etag, etag);
    assert.equal(answer.headers['cache-control'], 'no-cache');
  });

  it('HEAD on the stream answers at once, opens no stream and does not count toward the 20 per key', async () => {
    const stream = `http://127.0.0.1:${port}/v1/inbox/${chatbotId}/agents/online/stream`;
    for (let i = 0; i < 25; i++) {
      const head = await fetch(stream, { method: 'HEAD', headers: { 'x-chatcaptain-key': key }, signal: AbortSignal.timeout(5000) });
      assert.equal(head.status, 200);
      assert.match(head.headers.get('content-type') ?? '', /^text\/event-stream/);
    }
    assert.equal(ctx.services.streams.openForKey(ctx.services.auth.cachedPrincipal(key)!.keyId), 0, 'no stream is open for the key');
    const list = (await (await fetch(`http://127.0.0.1:${port}${onlinePath(chatbotId)}`, { headers: { 'x-chatcaptain-key': key } })).json()) as {
      agents: Array<{ connected: boolean }>;
    };
    assert.equal(list.agents[0]?.connected, false, 'a HEAD does not make the agent connected');
  });

  it('an empty body declared as JSON on a route whose body is optional means no body', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/inbox/${chatbotId}/agents/online/stream-tickets`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
    });
    assert.equal(response.status, 201, await response.clone().text());
    assert.match(((await response.json()) as { ticket: string }).ticket, /^cct_/);
  });

  it('notify data nested 5,000 levels deep (10 KB): 400 before anything recursive runs, nothing stored', async () => {
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.notifications.send'])).key;
    const before = await snapshotState(ctx.database);
    const data = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const response = await fetch(`http://127.0.0.1:${port}/v1/inbox/${chatbotId}/notifications`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': integration, 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
      body: `{"type":"t","title":"T","body":"B","data":${data}}`,
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'the body nests arrays and objects more than 32 levels deep', code: 'invalid_request' });
    assert.equal(await snapshotState(ctx.database), before);
  });
});

describe('uploads over the body limit', () => {
  /** Posts 2 MB as a client streaming it would (chunked, or with its length), and reads the answer or the error. */
  function upload(agent: Agent, base: URL, path: string, headers: Record<string, string>, chunked: boolean): Promise<string> {
    const big = Buffer.alloc(2 * 1024 * 1024, '{');
    return new Promise((resolve) => {
      const request = httpRequest(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', ...headers, ...(chunked ? {} : { 'content-length': String(big.length) }) },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve(`${response.statusCode} ${JSON.parse(body).code}`));
          response.on('error', (error) => resolve(`answer cut: ${(error as NodeJS.ErrnoException).code}`));
        },
      );
      request.on('error', (error) => resolve(`connection: ${(error as NodeJS.ErrnoException).code}`));
      if (!chunked) return void request.end(big);
      let sent = 0;
      const more = () => {
        while (sent < big.length) {
          const ok = request.write(big.subarray(sent, sent + 65536));
          sent += 65536;
          if (!ok) return void request.once('drain', more);
        }
        request.end();
      };
      more();
    });
  }

  it('20 uploads of 2 MB, one after another and all at once, chunked or with a length, read 20 answers of 413 each (the service in its own process)', async () => {
    // In its own process: in the test's process, client and server share one event loop and
    // the reset a closing server causes never shows.
    const database = await freshDatabase();
    const server = await startServer({ DATABASE_URL: database.url, RATE_LIMIT_UNAUTHENTICATED: '1000/60s' });
    // Keep-alive, as browsers and fetch: a connection that survives its 413 is used again.
    const agent = new Agent({ keepAlive: true });
    try {
      const base = new URL(server.url);
      const targets: Array<[string, Record<string, string>]> = [
        ['/v1/login-links/exchange', {}],
        ['/v1/chatbots', { 'x-chatcaptain-key': `cck_${'A'.repeat(43)}` }],
      ];
      const outcomes: Record<string, string[]> = {};
      for (const [path, headers] of targets) {
        for (const chunked of [true, false]) {
          const oneByOne: string[] = [];
          for (let i = 0; i < 20; i++) oneByOne.push(await upload(agent, base, path, headers, chunked));
          const atOnce = await Promise.all(Array.from({ length: 20 }, () => upload(agent, base, path, headers, chunked)));
          outcomes[`${path}, ${chunked ? 'chunked' : 'with a length'}`] = [...oneByOne, ...atOnce];
        }
      }
      // An unknown key is refused (401) before its body is read; the body is then dropped as well.
      for (const [name, seen] of Object.entries(outcomes)) {
        const expected = name.startsWith('/v1/chatbots') ? '401 invalid_key' : '413 body_too_large';
        assert.deepEqual(
          seen,
          Array.from({ length: 40 }, () => expected),
          name,
        );
      }
    } finally {
      agent.destroy();
      await server.stop();
      await database.drop();
    }
  });
});

describe('request ids', () => {
  it("every answer carries one; a caller's own (visible ASCII, at most 128) is kept in the answer, the log line and the audit entry", async () => {
    const logs = capturedLogs('info');
    const ctx = await createTestContext({ logger: logs.logger });
    try {
      const operator = (await ctx.services.keys.createOperatorKey(CLI, { permissions: ['chatbots.create'] })).key;
      const made = await ctx.call({ method: 'POST', url: '/v1/chatbots', key: operator, payload: { name: 'Traced' }, headers: { 'x-request-id': 'client-7f3a/1' } });
      assert.equal(made.statusCode, 201);
      assert.equal(made.headers['x-request-id'], 'client-7f3a/1', 'a success carries it');
      const entry = await ctx.database.db.selectFrom('audit_log').select('request_id').where('chatbot_id', '=', made.json().id).executeTakeFirstOrThrow();
      assert.equal(entry.request_id, 'client-7f3a/1', 'the audit entry names it');

      const refused = await ctx.call({ method: 'GET', url: '/v1/chatbots', headers: { 'x-request-id': 'client-7f3a/2' } });
      assert.equal(refused.headers['x-request-id'], 'client-7f3a/2');
      assert.match(logs.text, /"reqId":"client-7f3a\/2"/, 'the log line names it');

      const ours = (await ctx.call({ method: 'GET', url: '/healthz' })).headers['x-request-id'];
      assert.match(String(ours), /^[0-9a-f]{12}-[0-9a-z]+$/, 'without one, ours');
      for (const unusable of ['x'.repeat(129), 'has space', 'tab\tinside', '']) {
        const answer = await ctx.call({ method: 'GET', url: '/healthz', headers: { 'x-request-id': unusable } });
        assert.equal(answer.statusCode, 200, 'never refused for it');
        assert.match(String(answer.headers['x-request-id']), /^[0-9a-f]{12}-[0-9a-z]+$/, `${JSON.stringify(unusable.slice(0, 10))} is replaced by ours`);
      }
      assert.equal((await ctx.call({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'y'.repeat(128) } })).headers['x-request-id'], 'y'.repeat(128));
    } finally {
      await ctx.close();
    }
  });
});

describe('requests during shutdown', () => {
  it('are answered 503 service_unavailable with {error, code}, while requests in flight finish', async () => {
    const own = await freshDatabase();
    const database = await openDatabase(own.url);
    const app = await buildApp({ config: loadConfig({ DATABASE_URL: own.url, LOG_LEVEL: 'silent' }), database, logger: false });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Holds the shutdown in its first phase, while the server still accepts connections.
    app.addHook('preClose', async () => held);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(url).port);
    const closed = app.close();
    const readiness = await rawRequest(port, 'GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
    assertErrorBody(readiness, 'service_unavailable');
    assert.match(JSON.parse(readiness.body).error, /shutting down/);
    assert.equal(readiness.headers.connection, 'close');
    release();
    await closed;
    await database.close();
    await own.drop();
  });
});
