import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestContext, meOnlinePath, type TestContext } from './helpers/context.js';

/** Updates with timestamps from a small range, so ties are common. */
const updatesArbitrary = fc.array(fc.record({ online: fc.boolean(), offset: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 25 });

describe('last writer wins (property)', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let base: number;

  before(async () => {
    ctx = await createTestContext();
    chatbotId = await ctx.chatbot();
    base = ctx.clock.now() - 60_000;
  });
  after(() => ctx.close());

  async function freshAgent(keys: number) {
    const agentId = await ctx.agent(chatbotId);
    const issued = [];
    for (let i = 0; i < keys; i++) issued.push((await ctx.agentKey(agentId)).key);
    return { agentId, keys: issued };
  }

  async function standing(agentId: string) {
    return ctx.database.db.selectFrom('presence').selectAll().where('agent_id', '=', agentId).executeTakeFirstOrThrow();
  }

  it('in any arrival order, the newest clientTimestamp stands, ties going to the later arrival, and each answer says whether it applied', async () => {
    await fc.assert(
      fc.asyncProperty(updatesArbitrary, async (updates) => {
        const { agentId, keys } = await freshAgent(2);
        let newestSoFar = -1;
        for (const [i, update] of updates.entries()) {
          const ts = base + update.offset;
          const response = await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: keys[i % 2], payload: { online: update.online, clientTimestamp: String(ts) } });
          assert.equal(response.statusCode, 200);
          const expectApplied = ts >= newestSoFar;
          assert.equal(response.json().applied, expectApplied);
          newestSoFar = Math.max(newestSoFar, ts);
        }
        const maxOffset = Math.max(...updates.map((u) => u.offset));
        const winner = updates.filter((u) => u.offset === maxOffset).at(-1)!;
        const row = await standing(agentId);
        assert.equal(Number(row.client_ts), base + maxOffset);
        assert.equal(Number(row.online), winner.online ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });

  it('concurrent requests over HTTP from several devices settle on the newest clientTimestamp', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    await fc.assert(
      fc.asyncProperty(updatesArbitrary, async (updates) => {
        const { agentId, keys } = await freshAgent(3);
        const answers = await Promise.all(
          updates.map(async (update, i) => {
            const ts = base + update.offset;
            const response = await fetch(`${address}${meOnlinePath(chatbotId)}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-chatcaptain-key': keys[i % 3]! },
              body: JSON.stringify({ online: update.online, clientTimestamp: ts }),
            });
            assert.equal(response.status, 200);
            return { update, ts, body: (await response.json()) as { online: boolean; clientTimestamp: string; applied: boolean } };
          }),
        );
        const maxTs = base + Math.max(...updates.map((u) => u.offset));
        for (const { update, ts, body } of answers) {
          if (body.applied) {
            assert.equal(body.clientTimestamp, String(ts));
            assert.equal(body.online, update.online);
          } else {
            assert.ok(Number(body.clientTimestamp) > ts, 'a refused update saw a strictly newer one');
          }
        }
        const row = await standing(agentId);
        assert.equal(Number(row.client_ts), maxTs);
        const appliedNewest = answers.filter((a) => a.ts === maxTs && a.body.applied).map((a) => (a.update.online ? 1 : 0));
        assert.ok(appliedNewest.length > 0, 'some newest update applied');
        assert.ok(appliedNewest.includes(Number(row.online) as 0 | 1), 'the standing status is one of the newest that applied');
      }),
      { numRuns: 25 },
    );
  });
});
