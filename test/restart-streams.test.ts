import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { freshDatabase } from './helpers/database.js';
import { startServer } from './helpers/processes.js';
import { presenceData, SseClient } from './helpers/sse.js';

describe('rolling restart', () => {
  it('SIGTERM ends streams cleanly, and a restart within the grace keeps the agent listed until the grace ends (default TTL and grace)', async () => {
    const database = await freshDatabase();
    // The defaults users run: a TTL of 150 s, a grace of 20 s.
    const env = { DATABASE_URL: database.url };
    const seed = await openDatabase(env.DATABASE_URL);
    const services = createServices(seed, loadConfig(env), Date.now);
    const chatbot = await services.tenancy.createChatbot(CLI, { name: 'Support' });
    const alice = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: 'Alice' });
    const aliceKey = (await services.keys.createAgentKey(CLI, { agentId: alice.id })).key;
    const observerKey = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list'] })).key;
    await seed.close();
    const streamUrl = (base: string) => `${base}/v1/inbox/${chatbot.id}/agents/online/stream`;
    const list = async (base: string) =>
      (
        (await (await fetch(`${base}/v1/inbox/${chatbot.id}/agents/online`, { headers: { 'x-chatcaptain-key': observerKey } })).json()) as {
          agents: Array<{ online: boolean; connected: boolean }>;
        }
      ).agents[0];

    const first = await startServer(env);
    let second: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      await fetch(`${first.url}/v1/inbox/${chatbot.id}/agents/me/online`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': aliceKey, 'content-type': 'application/json' },
        body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
      });
      // The tab that posted holds the stream: its post came before the stream closed, so once
      // the stream closes only the grace keeps Alice listed, not the post's 150 s.
      const tab = await SseClient.open(streamUrl(first.url), { 'x-chatcaptain-key': aliceKey });
      await tab.next();
      const before = await list(first.url);
      assert.deepEqual({ online: before?.online, connected: before?.connected }, { online: true, connected: true });

      const stoppedAt = Date.now();
      assert.equal(await first.stop(), 0, 'a clean exit');
      // The server ends the stream as it stops (a hang here is the failure; the runner's timeout ends it).
      await tab.ended;
      assert.equal(tab.isEnded, true, 'the stream was ended so the client reconnects');

      second = await startServer(env);
      assert.ok(Date.now() - stoppedAt < 15_000, 'the restart fits in the grace');
      const during = await list(second.url);
      assert.deepEqual({ online: during?.online, connected: during?.connected }, { online: true, connected: false }, 'still listed during the grace');
      const observer = await SseClient.open(streamUrl(second.url), { 'x-chatcaptain-key': observerKey });
      await observer.next();
      await observer.next((e) => e.event === 'presence' && presenceData(e).agentId === alice.id && !presenceData(e).online, 25_000);
      const expiredAfter = Date.now() - stoppedAt;
      assert.ok(expiredAfter >= 19_500 && expiredAfter <= 22_000, `offline ${expiredAfter} ms after the stop (grace 20,000 ms)`);
      observer.close();
    } finally {
      await first.stop();
      await second?.stop();
      await database.drop();
    }
  });
});
