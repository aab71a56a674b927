import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runIn } from '../src/db/prepared.js';
import { eventLog } from '../src/presence/event-store.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/**
 * The event log keeps each chatbot's newest PRESENCE_EVENTS_KEPT events: the units of work that
 * log prune a bounded range each (an open range grew slower with every deleted row on
 * PostgreSQL), and the hourly sweep deletes whatever those ranges missed.
 */

/** Logs versions `from`…`from + count - 1` of the chatbot through the recorder, as one unit of work does. */
async function logUnit(ctx: TestContext, log: ReturnType<typeof eventLog>, chatbotId: string, from: number, count: number): Promise<void> {
  const changes = Array.from({ length: count }, (_, i) => ({
    chatbotId,
    agentId: 'agent',
    version: from + i,
    entry: JSON.stringify({ version: from + i }),
    removed: false,
    state: null,
    closes: null,
  }));
  await ctx.database.section((runner) => log.recorder.record(runIn(runner), changes, ctx.clock.now()));
  await ctx.database.db
    .updateTable('chatbots')
    .set({ presence_version: from + count - 1 })
    .where('id', '=', chatbotId)
    .execute();
}

async function versions(ctx: TestContext, chatbotId: string): Promise<number[]> {
  const rows = await ctx.database.db.selectFrom('presence_events').select('version').where('chatbot_id', '=', chatbotId).orderBy('version').execute();
  return rows.map((row) => Number(row.version));
}

describe('event log retention', () => {
  it('units of any size keep the newest `kept` and at most a tenth more, however many were deleted before', async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot();
      const kept = 50;
      const log = eventLog(ctx.database.db, { kept });
      // Sizes from one event to past the whole log, repeated: every way a unit can cross the prune points.
      const sizes = [1, 3, 7, 1, 1, 12, 40, 2, 5, 61, 1, 9, 130, 4, 4, 4, 4, 17];
      let next = 1;
      for (const size of [...sizes, ...sizes]) {
        await logUnit(ctx, log, chatbotId, next, size);
        next += size;
        const held = await versions(ctx, chatbotId);
        const newest = next - 1;
        const expectedNewest = Array.from({ length: Math.min(kept, newest) }, (_, i) => newest - Math.min(kept, newest) + 1 + i);
        assert.deepEqual(held.slice(-expectedNewest.length), expectedNewest, `after version ${newest}: the newest ${kept} all kept`);
        assert.ok(held.length <= kept + Math.ceil(kept / 10) + size, `after version ${newest}: ${held.length} kept, oldest ${held[0]}`);
        assert.deepEqual(
          held,
          Array.from({ length: held.length }, (_, i) => held[0]! + i),
          'no gap',
        );
      }
    } finally {
      await ctx.close();
    }
  });

  it('the hourly sweep deletes what the ranges missed (a lower PRESENCE_EVENTS_KEPT), in every chatbot, and nothing newer', async () => {
    const ctx = await createTestContext();
    try {
      const busy = await ctx.chatbot('Busy');
      const quiet = await ctx.chatbot('Quiet');
      const before = eventLog(ctx.database.db, { kept: 1000 });
      await logUnit(ctx, before, busy, 1, 300);
      await logUnit(ctx, before, quiet, 1, 5);
      const after = eventLog(ctx.database.db, { kept: 20 });
      // The next unit prunes only the range its own prunes before would have left: the oldest
      // stay until the sweep, and the newest `kept` are there without a gap.
      await logUnit(ctx, after, busy, 301, 10);
      const held = await versions(ctx, busy);
      assert.deepEqual(held.slice(0, 2), [1, 2], 'a unit prunes only its range');
      assert.ok(held.length < 310, 'it pruned its range');
      assert.deepEqual(
        held.slice(-20),
        Array.from({ length: 20 }, (_, i) => 291 + i),
        'the newest 20 are kept',
      );
      assert.equal(await after.pruneAll(), held.length - 20, 'the sweep deletes every older one');
      assert.deepEqual(
        await versions(ctx, busy),
        Array.from({ length: 20 }, (_, i) => 291 + i),
      );
      assert.deepEqual(await versions(ctx, quiet), [1, 2, 3, 4, 5], 'fewer than kept: all stay');
      assert.equal(await after.pruneAll(), 0, 'a second sweep finds nothing');
    } finally {
      await ctx.close();
    }
  });
});
