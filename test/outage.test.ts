import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { createTestContext, meOnlinePath, onlinePath } from './helpers/context.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';

/** A TCP proxy in front of PostgreSQL that the test can cut and restore: an outage on demand. */
class CuttableProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.#server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = null;
  }
}

describe('a database outage', { skip: TEST_DIALECT === 'sqlite' ? 'SQLite is embedded in the process: it cannot become unreachable' : false }, () => {
  it('answers 503 with {error, code} rather than hang, /readyz turns 503, and everything recovers on its own', async () => {
    const database = await freshDatabase();
    const target = new URL(database.url);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const ctx = await createTestContext({ clock: 'real', database: { url: viaProxy.toString(), drop: database.drop } });
    try {
      const chatbotId = await ctx.chatbot();
      const { key } = await ctx.agentKey(await ctx.agent(chatbotId));
      const post = () => ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: true, clientTimestamp: String(Date.now()) } });
      assert.equal((await post()).statusCode, 200);

      await proxy.cut();
      const started = Date.now();
      const during = await post();
      assert.equal(during.statusCode, 503, during.body);
      assert.deepEqual(during.json(), { error: 'the database is unavailable right now; retry shortly', code: 'database_unavailable' });
      assert.ok(Date.now() - started < 8000, 'answered within the connection timeout, not hung');
      assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).statusCode, 503);

      await proxy.start();
      let recovered = 0;
      for (let i = 0; i < 50 && recovered !== 200; i++) {
        recovered = (await post()).statusCode;
        if (recovered !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(recovered, 200, 'writes work again once the database is back');
      assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).statusCode, 200);
      const list = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key });
      assert.equal(list.json().agents[0].online, true);
    } finally {
      await ctx.close();
      await proxy.cut();
    }
  });
});
