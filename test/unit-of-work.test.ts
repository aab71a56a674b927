import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLI } from '../src/auth/actor.js';
import type { OpenDatabase } from '../src/db/database.js';
import type { SectionRunner } from '../src/db/prepared.js';
import { createServices } from '../src/services.js';
import { createTestContext } from './helpers/context.js';
import { TEST_DIALECT } from './helpers/database.js';

/**
 * The unit of work on PostgreSQL, where each statement is a round trip to another process: a
 * unit costs the same statements whatever the number of changes it carries (distinct agents,
 * one round), and every change in it is announced.
 */
const skip = TEST_DIALECT === 'sqlite' ? 'round trips are a PostgreSQL cost (SQLite runs statements in the process); this file runs in the PostgreSQL half of npm test' : false;

describe('the unit of work on PostgreSQL', { skip }, () => {
  it('a unit of 1, 10 or 60 status changes costs the same round trips, and announces each change', async () => {
    const ctx = await createTestContext();
    try {
      // The same services over the same database, counting each unit's statements.
      const counts: number[] = [];
      const counting: OpenDatabase = {
        ...ctx.database,
        section: (work) =>
          ctx.database.section((run) => {
            let statements = 0;
            const counted: SectionRunner = (name, text, parameters) => {
              statements++;
              return run(name, text, parameters);
            };
            return work(counted).finally(() => counts.push(statements));
          }),
      };
      const services = createServices(counting, ctx.config, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Burst');
      const agents: Array<{ id: string; keyId: string }> = [];
      for (let i = 0; i < 60; i++) {
        const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
        agents.push({ id, keyId: (await services.keys.createAgentKey(CLI, { agentId: id })).id });
      }
      // Each agent's online flag as last set: every unit flips its agents, so each is a change.
      const online = new Map<string, boolean>();
      const unitOf = async (size: number) => {
        counts.length = 0;
        const before = await ctx.services.events.currentVersion(chatbotId);
        ctx.clock.advance(1);
        await Promise.all(
          agents.slice(0, size).map((agent) => {
            online.set(agent.id, !(online.get(agent.id) ?? false));
            return services.presence.setOwnStatus(chatbotId, agent.id, agent.keyId, { online: online.get(agent.id)!, clientTimestamp: ctx.clock.now() });
          }),
        );
        assert.equal(counts.length, 1, 'one unit of work');
        assert.equal((await ctx.services.events.currentVersion(chatbotId)) - before, size, `each change announced (a unit of ${size})`);
        return counts[0]!;
      };
      await unitOf(60); // every statement prepared once
      const one = await unitOf(1);
      const ten = await unitOf(10);
      const sixty = await unitOf(60);
      assert.deepEqual([ten, sixty], [one, one], `statements per unit: ${one}, ${ten}, ${sixty}`);
      assert.ok(one <= 12, `a small fixed number: ${one}`);
    } finally {
      await ctx.close();
    }
  });
});
