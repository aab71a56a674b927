import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestContext, meNotificationsPath, meOnlinePath, onlinePath, TestClock, type TestContext } from './helpers/context.js';
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
          ((await second.call({ method: 'GET', url: onlinePath(chatbotId), key: aliveKey })).json().agents as Array<{ name: string; online: boolean }>).map((a) => [
            a.name,
            a.online,
          ]),
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

  it('an opening of working hours is announced after a restart, with no request to set it off', async () => {
    // The clock runs in real time, moved to where the test needs it.
    const clock = new RunningClock(Date.UTC(2026, 0, 14, 10, 0, 0));
    const database = await freshDatabase();
    const env = { PRESENCE_TTL_SECONDS: '0' };
    const first = await createTestContext({ clock, database, env });
    let chatbotId = '';
    let agentId = '';
    let adminKey = '';
    const history = async (ctx: TestContext) =>
      (
        (await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/${agentId}/history?limit=5`, key: adminKey })).json().items as Array<{
          state: string;
          reason: string;
          from: string;
        }>
      ).map((item) => `${item.state}/${item.reason}@${item.from}`);
    const opening = Date.UTC(2026, 0, 15, 9, 0, 0);
    try {
      chatbotId = await first.chatbot();
      agentId = await first.agent(chatbotId, { name: 'Alice' });
      const adminId = await first.agent(chatbotId, { name: 'Zed', role: 'admin' });
      const agentKey = (await first.agentKey(agentId)).key;
      adminKey = (await first.agentKey(adminId)).key;
      // Online since Wednesday morning; Thursday, a few seconds before 09:00, a supervisor sets
      // her hours: she has been offline since they closed on Wednesday, and that is announced.
      await first.call({ method: 'POST', url: meOnlinePath(chatbotId), key: agentKey, payload: { online: true, clientTimestamp: String(clock.now()) } });
      clock.set(opening - 6000);
      const hours = { timeZone: 'UTC', weekly: { wed: [{ from: '09:00', to: '17:00' }], thu: [{ from: '09:00', to: '17:00' }] } };
      const set = await first.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${agentId}/working-hours`, key: adminKey, payload: { workingHours: hours } });
      assert.equal(set.statusCode, 200, set.body);
      assert.equal((await history(first))[0], 'offline/outside_working_hours@2026-01-14T17:00:00.000Z', "since Wednesday's closing");
    } finally {
      await first.close({ keepFiles: true });
    }

    // Nobody is online or connected in this chatbot now; the restarted service must still watch
    // the opening, and announce it (history is written with each announcement) within 1 s.
    const second = await createTestContext({ clock, database, env });
    try {
      assert.ok(clock.now() < opening - 1000, 'the restart came before the opening');
      await new Promise((resolve) => setTimeout(resolve, opening + 1000 - clock.now()));
      assert.equal((await history(second))[0], `available/ready@${new Date(opening).toISOString()}`, 'announced at the opening');
    } finally {
      await second.close();
    }
  });
});

/** A clock that runs in real time from wherever the test sets it. */
class RunningClock extends TestClock {
  #offset: number;
  constructor(start: number) {
    super(start);
    this.#offset = start - Date.now();
  }
  override now = (): number => Date.now() + this.#offset;
  set(at: number): void {
    this.#offset = at - Date.now();
  }
}
