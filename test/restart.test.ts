import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestContext, meNotificationsPath, meOnlinePath, onlinePath, TestClock } from './helpers/context.js';
import { freshDatabase } from './helpers/database.js';

describe('restart', () => {
  it('keeps status, liveness, settings and keys: agents stay online within the TTL and expire after it', async () => {
    const clock = new TestClock();
    const database = await freshDatabase();
    const first = await createTestContext({ clock, database, env: { PRESENCE_TTL_SECONDS: '150' } });
    const chatbotId = await first.chatbot();
    const alive = await first.agent(chatbotId, { name: 'Alive' });
    const silent = await first.agent(chatbotId, { name: 'Silent' });
    const aliveKey = (await first.agentKey(alive)).key;
    const silentKey = (await first.agentKey(silent)).key;
    await first.call({ method: 'POST', url: meOnlinePath(chatbotId), key: silentKey, payload: { online: true, clientTimestamp: clock.now() } });
    clock.advance(100);
    await first.call({ method: 'POST', url: meOnlinePath(chatbotId), key: aliveKey, payload: { online: true, clientTimestamp: clock.now() } });
    await first.call({ method: 'POST', url: meNotificationsPath(chatbotId), key: aliveKey, payload: { pushToken: 'kept-token' } });
    await first.close({ keepFiles: true });

    // The service is down for 10 s, then comes back on the same file.
    clock.advance(10);
    const second = await createTestContext({ clock, database, env: { PRESENCE_TTL_SECONDS: '150' } });
    try {
      const listed = async () =>
        Object.fromEntries(
          ((await second.call({ method: 'GET', url: onlinePath(chatbotId), key: aliveKey })).json().agents as Array<{ name: string; online: boolean }>).map(
            (a) => [a.name, a.online],
          ),
        );
      assert.deepEqual(await listed(), { Alive: true, Silent: true }, 'a restart does not flip everyone offline');
      clock.advance(40);
      assert.deepEqual(await listed(), { Alive: true, Silent: false }, 'the silent agent expires on schedule across the restart');
      clock.advance(100);
      assert.deepEqual(await listed(), { Alive: false, Silent: false });
      const settings = await second.call({ method: 'GET', url: meNotificationsPath(chatbotId), key: aliveKey });
      assert.equal(settings.json().pushToken, 'kept-token');
    } finally {
      await second.close();
    }
  });
});
