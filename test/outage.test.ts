import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestContext, meOnlinePath, onlinePath } from './helpers/context.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';
import { CuttableProxy } from './helpers/proxy.js';

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
