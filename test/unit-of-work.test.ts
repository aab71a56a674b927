import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import net from 'node:net';
import { CLI } from '../src/auth/actor.js';
import { type OpenDatabase, openDatabase } from '../src/db/database.js';
import { prepareQuery, prepareRows, runIn, selectRows, type SectionRunner, type StatementOptions } from '../src/db/prepared.js';
import { memberReads } from '../src/presence/member-store.js';
import { createServices } from '../src/services.js';
import { createTestContext } from './helpers/context.js';
import { TEST_DIALECT } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';

/**
 * The unit of work on PostgreSQL, where each round trip waits on another process: a unit costs
 * the same statements whatever the number of changes it carries (distinct agents, one round),
 * and every change in it is announced.
 */
type Statement = { text: string; options: StatementOptions | undefined };

/**
 * The round trips of this process's PostgreSQL connections while a watched section runs,
 * counted on the sockets: a write after the socket read something since its last write waited
 * for an answer. Writes in one burst (a pipeline) are one round trip. The section's connection
 * is the socket with the most; the changes published after the commit go on another.
 */
let roundTrips: Map<net.Socket, { read: number; trips: number }> | null = null;
const socketWrite = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
  if (roundTrips) {
    const seen = roundTrips.get(this);
    if (!seen) roundTrips.set(this, { read: this.bytesRead, trips: 1 });
    else if (this.bytesRead > seen.read) roundTrips.set(this, { read: this.bytesRead, trips: seen.trips + 1 });
  }
  return (socketWrite as (...args: unknown[]) => boolean).apply(this, args);
} as typeof socketWrite;

/** The same database, telling `unit` the statements of each unit of work (its section) and its round trips once it ended (one section at a time). */
function watched(database: OpenDatabase, unit: (statements: Statement[], roundTrips: number) => void): OpenDatabase {
  return {
    ...database,
    section: async (work, options) => {
      const statements: Statement[] = [];
      const sockets = new Map<net.Socket, { read: number; trips: number }>();
      roundTrips = sockets;
      try {
        return await database.section((run) => {
          const watching: SectionRunner = (text, parameters, statementOptions) => {
            statements.push({ text, options: statementOptions });
            return run(text, parameters, statementOptions);
          };
          return work(watching);
        }, options);
      } finally {
        roundTrips = null;
        unit(statements, Math.max(0, ...[...sockets.values()].map((socket) => socket.trips)));
      }
    },
  };
}

const skip = TEST_DIALECT === 'sqlite' ? 'round trips are a PostgreSQL cost (SQLite runs statements in the process); this file runs in the PostgreSQL half of npm test' : false;

describe('the unit of work on PostgreSQL', { skip }, () => {
  it('a unit of 1, 10 or 60 status changes costs the same round trips, and announces each change', async () => {
    const ctx = await createTestContext();
    let opened: OpenDatabase | undefined;
    try {
      // The same services over the same database, counting each unit's statements, on one
      // connection: a statement's first run on a connection asks for its parameters' types first,
      // so every unit runs where the first prepared them.
      const single = await openDatabase(ctx.databaseUrl, { poolSize: 1 });
      opened = single;
      const counts: number[] = [];
      const counting = watched(single, (statements, roundTrips) => {
        counts.push(roundTrips);
        writes.push(statements.filter((statement) => statement.options?.withNext).map((statement) => statement.text.replace(/\s+/g, ' ').slice(0, 30)));
      });
      const writes: string[][] = [];
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
        writes.length = 0;
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
      assert.deepEqual(
        writes[0]!.map((text) => text.split(' ').slice(0, 3).join(' ')),
        ['insert into "device_liveness"', 'insert into "presence_events"', 'with closed as'],
        "the devices' posts go with the members read, the log and the history with the commit",
      );
      const ten = await unitOf(10);
      const sixty = await unitOf(60);
      assert.deepEqual([ten, sixty], [one, one], `round trips per unit: ${one}, ${ten}, ${sixty}`);
      // The five round trips the README and docs/operations.md say: BEGIN and the locks with the
      // status upsert, the devices' posts with the members read, the claim with the versions,
      // the chatbot's webhooks, and COMMIT with the event log's and the history's writes.
      assert.equal(one, 5, `five round trips: ${one}`);
    } finally {
      await opened?.close();
      await ctx.close();
    }
  });
});

describe('the unit of work on PostgreSQL: assignments and releases', { skip }, () => {
  it('a unit of 1, 10 or 50 assignments, or of their releases, costs the same round trips: the conversations are read for the whole round at once, the audit entries written together', async () => {
    const ctx = await createTestContext();
    let opened: OpenDatabase | undefined;
    try {
      const single = await openDatabase(ctx.databaseUrl, { poolSize: 1 });
      opened = single;
      const counts: number[] = [];
      const audits: number[] = [];
      const counting = watched(single, (statements, roundTrips) => {
        counts.push(roundTrips);
        audits.push(statements.filter((statement) => statement.text.startsWith('insert into "audit_log"')).length);
      });
      const services = createServices(counting, ctx.config, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Assigning');
      for (let i = 0; i < 5; i++) {
        const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
        const key = await services.keys.createAgentKey(CLI, { agentId: id });
        await services.presence.setOwnStatus(chatbotId, id, key.id, { online: true, clientTimestamp: ctx.clock.now() });
      }
      let made = 0;
      const unitOf = async (size: number, what: 'assign' | 'release') => {
        counts.length = 0;
        audits.length = 0;
        const first = made - size;
        const answers = await Promise.all(
          Array.from({ length: size }, (_, i) =>
            what === 'assign' ? services.assignments.assign(CLI, chatbotId, { conversationId: `c-${made + i}` }) : services.assignments.release(CLI, chatbotId, `c-${first + i}`),
          ),
        );
        if (what === 'assign') {
          assert.equal(answers.filter((answer) => typeof answer === 'object' && 'created' in answer).length, size, `${size} assigned`);
          made += size;
        } else assert.deepEqual(new Set(answers), new Set(['released']), `${size} released`);
        assert.equal(counts.length, 1, `one unit of work for ${size} ${what}s`);
        assert.equal(audits[0], 1, `one statement writes the ${size} audit entries`);
        const trips = counts[0]!;
        // The agents are told after the unit (on the one connection): let that end before the next unit is counted.
        if (what === 'assign') {
          await eventually(async () => {
            const untold = await ctx.database.db.selectFrom('assignments').select('conversation_id').where('chatbot_id', '=', chatbotId).where('told_at', 'is', null).execute();
            assert.equal(untold.length, 0, `${untold.length} assignments not told yet`);
          });
        }
        return trips;
      };
      // Every statement prepared once.
      await unitOf(50, 'assign');
      await unitOf(50, 'release');
      const trips: number[] = [];
      for (const size of [1, 10, 50]) {
        trips.push(await unitOf(size, 'assign'));
        trips.push(await unitOf(size, 'release'));
      }
      assert.deepEqual([trips[2], trips[4]], [trips[0], trips[0]], `assignments: ${trips[0]}, ${trips[2]}, ${trips[4]} round trips`);
      assert.deepEqual([trips[3], trips[5]], [trips[1], trips[1]], `releases: ${trips[1]}, ${trips[3]}, ${trips[5]} round trips`);
    } finally {
      await opened?.close();
      await ctx.close();
    }
  });
});

describe('the unit of work: an agent repeating itself within one unit', () => {
  it('5 updates of each of 10 agents from 3 devices: on PostgreSQL the statements of a unit of 1, each agent announced once where it ended, every answer consistent', async () => {
    const ctx = await createTestContext();
    let opened: OpenDatabase | undefined;
    try {
      const counts: number[] = [];
      // PostgreSQL: one connection, where the first unit prepares the statements (see above).
      if (TEST_DIALECT === 'postgres') opened = await openDatabase(ctx.databaseUrl, { poolSize: 1 });
      const counting = watched(opened ?? ctx.database, (_statements, roundTrips) => counts.push(roundTrips));
      const services = createServices(counting, ctx.config, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Flapping');
      const agents: Array<{ id: string; keys: string[] }> = [];
      for (let i = 0; i < 10; i++) {
        const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
        const keys: string[] = [];
        for (let k = 0; k < 3; k++) keys.push((await services.keys.createAgentKey(CLI, { agentId: id })).id);
        agents.push({ id, keys });
      }
      // Everyone offline and announced so, each statement prepared once.
      await Promise.all(agents.map((agent) => services.presence.setOwnStatus(chatbotId, agent.id, agent.keys[0]!, { online: false, clientTimestamp: ctx.clock.now() })));
      ctx.clock.advance(1);
      counts.length = 0;
      await services.presence.setOwnStatus(chatbotId, agents[0]!.id, agents[0]!.keys[0]!, { online: true, clientTimestamp: ctx.clock.now() });
      const one = counts[0]!;
      await services.presence.setOwnStatus(chatbotId, agents[0]!.id, agents[0]!.keys[0]!, { online: false, clientTimestamp: ctx.clock.now() });
      ctx.clock.advance(1);

      // Each agent flaps: on, off, on, off, on, with growing timestamps, from its three devices in
      // turn, all submitted at once, and the oldest arriving last: on (newest) is where each ends.
      const before = await services.events.currentVersion(chatbotId);
      counts.length = 0;
      const base = ctx.clock.now();
      const sent = agents.flatMap((agent) =>
        [1, 2, 3, 4, 0].map((step) => ({ agent, step, online: step % 2 === 0, clientTimestamp: base - 10 + step, key: agent.keys[step % 3]! })),
      );
      const answers = await Promise.all(sent.map((update) => services.presence.setOwnStatus(chatbotId, update.agent.id, update.key, update)));
      assert.equal(counts.length, 1, 'one unit of work');
      // On SQLite a statement of many rows runs as one per row, in the process: a round trip is PostgreSQL's cost.
      if (TEST_DIALECT === 'postgres') assert.equal(counts[0], one, `the round trips of a unit of one update: ${counts[0]} against ${one}`);
      for (const [i, answer] of answers.entries()) {
        const update = sent[i]!;
        const newest = update.step === 4;
        assert.equal(answer.applied, newest, `only the newest of an agent's updates stands (step ${update.step})`);
        assert.equal(answer.online, true, 'every answer says what stands: the newest, online');
        assert.equal(answer.clientTimestamp, String(base - 6));
      }
      const events = await services.events.eventsAfter(chatbotId, before, 1000);
      assert.deepEqual(events.map((event) => JSON.parse(event.data).agentId).sort(), agents.map((agent) => agent.id).sort(), 'each agent announced once');
      for (const event of events) assert.equal(JSON.parse(event.data).online, true, 'where it ended');
      const { agents: listed } = await services.presence.lists.list(chatbotId);
      for (const agent of agents) assert.equal(listed.find((entry) => entry.agentId === agent.id)?.online, true, 'listed as it ended');
    } finally {
      await opened?.close();
      await ctx.close();
    }
  });
});

describe('the unit of work: rows gathered into list statements (Run.append)', () => {
  it("keep each row's writes in order across lists (an insert, its delete, the insert again) and name no row twice in one list, at a statement per list otherwise", async () => {
    const ctx = await createTestContext();
    try {
      const db = ctx.database.db;
      await ctx.database.section(async (run) => {
        await run('create table kv_rows (k text primary key, v text not null)', []);
      });
      const insertMany = prepareRows<never, { k: string; v: string }>(db, { k: 'text', v: 'text' }, (rows) =>
        db
          .insertInto('kv_rows' as never)
          .columns(['k', 'v'] as never)
          .expression(selectRows(db, rows, ['k', 'v']) as never),
      );
      const deleteMany = prepareRows<never, { k: string }>(db, { k: 'text' }, (rows) =>
        db.deleteFrom('kv_rows' as never).where('k' as never, 'in', db.selectFrom(rows.as('d') as never).select('d.k' as never) as never),
      );
      const upsertMany = prepareRows<never, { k: string; v: string }>(db, { k: 'text', v: 'text' }, (rows) =>
        db
          .insertInto('kv_rows' as never)
          .columns(['k', 'v'] as never)
          .expression(selectRows(db, rows, ['k', 'v']) as never)
          .onConflict((oc) => oc.column('k' as never).doUpdateSet({ v: sql.ref('excluded.v') } as never)),
      );
      const sent: string[] = [];
      const section = (work: (run: ReturnType<typeof runIn>) => void | Promise<void>) =>
        ctx.database.section(async (runner) => {
          const run = runIn((text, parameters, options) => {
            if (text.includes('kv_rows')) sent.push(text);
            return runner(text, parameters, options);
          });
          await work(run);
          run.flush();
        });
      const rows = async () => (await sql<{ k: string; v: string }>`select k, v from kv_rows order by k`.execute(db)).rows;

      // Rows of different keys: one statement per list (four rows, a size SQLite's lists are compiled for).
      await section((run) => {
        for (const k of ['a', 'b', 'c', 'd']) run.append(insertMany, { k, v: k }, `kv ${k}`);
        run.append(deleteMany, { k: 'b' }, 'kv other');
      });
      assert.equal(sent.length, 2, 'the inserts in one statement, the delete in another');
      sent.length = 0;
      // One row inserted, deleted and inserted again in one section; another upserted twice.
      await section((run) => {
        run.append(insertMany, { k: 'x', v: 'first' }, 'kv x');
        run.append(deleteMany, { k: 'x' }, 'kv x');
        run.append(insertMany, { k: 'x', v: 'again' }, 'kv x');
        run.append(upsertMany, { k: 'a', v: 'one' }, 'kv a');
        run.append(upsertMany, { k: 'a', v: 'two' }, 'kv a');
      });
      assert.equal(sent.length, 5, 'what was gathered is written before each repeated key: insert, delete, insert and upsert, upsert');
      assert.deepEqual(await rows(), [
        { k: 'a', v: 'two' },
        { k: 'c', v: 'c' },
        { k: 'd', v: 'd' },
        { k: 'x', v: 'again' },
      ]);
      // A list over several of SQLite's batch sizes (4 + 2 rows) is written whole before the
      // section's next statement, which sees every row.
      const counted = await ctx.database.section(async (runner) => {
        const run = runIn(runner);
        for (const k of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']) run.append(insertMany, { k, v: k }, `kv ${k}`);
        return (
          await run(
            prepareQuery<{ n: number }, { k: string }>(db, ['k'], (v) =>
              db
                .selectFrom('kv_rows' as never)
                .select(sql<number>`count(*)`.as('n'))
                .where('k' as never, 'like', v.k as never),
            ),
            { k: 'l%' },
          )
        )[0];
      });
      assert.equal(Number(counted?.n), 6);
      // A list that fails (a row that exists) fails the section, which commits nothing, on both databases.
      await assert.rejects(
        ctx.database.section(async (runner) => {
          const run = runIn(runner);
          for (const k of ['m1', 'm2', 'm3', 'm4', 'l6']) run.append(insertMany, { k, v: k }, `kv ${k}`);
          run.flush();
        }),
        /UNIQUE|unique|duplicate/,
      );
      assert.equal((await rows()).filter((row) => row.k.startsWith('m')).length, 0, 'nothing of the failed section stays');
      // A write goes after the rows gathered before it, a read sees them.
      const seen = await ctx.database.section(async (runner) => {
        const run = runIn(runner);
        run.append(insertMany, { k: 'y', v: 'gathered' }, 'kv y');
        run.write(
          prepareQuery<never, { k: string; v: string }>(db, ['v', 'k'], (v) =>
            db
              .updateTable('kv_rows' as never)
              .set({ v: v.v } as never)
              .where('k' as never, '=', v.k as never),
          ),
          { k: 'y', v: 'written after' },
        );
        return (
          await run(
            prepareQuery<{ v: string }, { k: string }>(db, ['k'], (v) =>
              db
                .selectFrom('kv_rows' as never)
                .select('v' as never)
                .where('k' as never, '=', v.k as never),
            ),
            { k: 'y' },
          )
        )[0];
      });
      assert.deepEqual(seen, { v: 'written after' });
    } finally {
      await ctx.close();
    }
  });

  it('an assignment, its release and the same conversation assigned again, submitted together, end assigned with the release kept', async () => {
    const ctx = await createTestContext();
    try {
      const services = ctx.services;
      const chatbotId = await ctx.chatbot('Again');
      const id = await ctx.agent(chatbotId);
      const key = await services.keys.createAgentKey(CLI, { agentId: id });
      await services.presence.setOwnStatus(chatbotId, id, key.id, { online: true, clientTimestamp: ctx.clock.now() });
      const [first, released, again] = await Promise.all([
        services.assignments.assign(CLI, chatbotId, { conversationId: 'twice' }),
        services.assignments.release(CLI, chatbotId, 'twice'),
        services.assignments.assign(CLI, chatbotId, { conversationId: 'twice' }),
      ]);
      assert.ok('created' in first && 'created' in again, 'assigned twice');
      assert.equal(released, 'released');
      assert.equal((await services.assignments.chat(chatbotId, 'twice')).state, 'assigned');
      const ended = await ctx.database.db.selectFrom('ended_chats').select(['state', 'agent_id']).where('chatbot_id', '=', chatbotId).execute();
      assert.deepEqual(ended, [{ state: 'released', agent_id: id }]);
    } finally {
      await ctx.close();
    }
  });
});

describe('the unit of work: one failing work among many', () => {
  it("40 agents' status changes and one failing write submitted together cost three transactions: the failed unit, the 40 together, the bad one alone", async () => {
    const ctx = await createTestContext();
    try {
      let transactions = 0;
      const counting = watched(ctx.database, () => transactions++);
      const services = createServices(counting, ctx.config, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Crowded');
      const agents: Array<{ id: string; keyId: string }> = [];
      for (let i = 0; i < 40; i++) {
        const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
        agents.push({ id, keyId: (await services.keys.createAgentKey(CLI, { agentId: id })).id });
      }
      const lone = await ctx.agent(chatbotId, { name: 'Lone' });
      // A write the database refuses: a second chatbot with the same id.
      const duplicate = prepareQuery<never, { id: string; name: string; at: number }>(ctx.database.db, ['id', 'name', 'at'], (v) =>
        ctx.database.db.insertInto('chatbots').values({ id: v.id, name: v.name, created_at: v.at }),
      );
      ctx.clock.advance(1);
      transactions = 0;
      const results = await Promise.allSettled([
        ...agents.map((agent) => services.presence.setChosenStatus(chatbotId, agent.id, agent.keyId, { status: 'busy', clientTimestamp: ctx.clock.now() })),
        services.presence.reconcile(chatbotId, [lone], async (run) => {
          await run(duplicate, { id: chatbotId, name: 'Twin', at: 0 });
        }),
      ]);
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 40, "the agents' changes stand");
      // Each is answered what its write read in the run that committed (the first run rolled back).
      for (const result of results.slice(0, 40))
        assert.deepEqual(result.status === 'fulfilled' && { status: result.value?.status, applied: result.value?.applied }, { status: 'busy', applied: true });
      assert.equal(results.at(-1)!.status, 'rejected', 'the bad write fails');
      assert.equal(transactions, 3, `transactions: ${transactions}`);
      const { agents: listed } = await services.presence.lists.list(chatbotId);
      for (const agent of agents) assert.equal(listed.find((entry) => entry.agentId === agent.id)?.state, 'busy');
    } finally {
      await ctx.close();
    }
  });
});

describe('the unit of work on PostgreSQL: statements over tables that only grow', { skip }, () => {
  it("the history's close and open and the event log prune get a custom plan at every run; the unit's other statements keep a generic plan once PostgreSQL picks one", async () => {
    const ctx = await createTestContext();
    // One connection, so that every unit's prepared statements are the same session's.
    const single = await openDatabase(ctx.databaseUrl, { poolSize: 1 });
    try {
      const flagged = new Set<string>();
      const recording = watched(single, (statements) => {
        for (const statement of statements) if (statement.options?.planEachTime) flagged.add(statement.text.replace(/\s+/g, ' ').slice(0, 30));
      });
      const services = createServices(recording, { ...ctx.config, presenceEventsKept: 10 }, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Growing');
      const agentId = await ctx.agent(chatbotId, { name: 'Ada' });
      const keyId = (await services.keys.createAgentKey(CLI, { agentId })).id;
      for (let i = 0; i < 40; i++) {
        ctx.clock.advance(1000);
        await services.presence.setOwnStatus(chatbotId, agentId, keyId, { online: i % 2 === 0, clientTimestamp: ctx.clock.now() });
      }
      assert.deepEqual([...flagged].sort(), ['delete from "presence_events" ', 'with closed as (update presenc']);
      const plans = (await single.section(async (run) =>
        run('select statement, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements', []),
      )) as Array<{ statement: string; generic: number; custom: number }>;
      const of = (start: string) => plans.find((plan) => plan.statement.startsWith(start));
      for (const start of ['delete from "presence_events"', 'with closed as']) {
        const plan = of(start);
        assert.ok(plan && plan.custom >= 10 && plan.generic === 0, `${start}: planned at every run (${JSON.stringify(plan)})`);
      }
      assert.ok(
        plans.some((plan) => plan.generic > 0),
        'the other statements are prepared once and keep a generic plan',
      );
    } finally {
      await single.close();
      await ctx.close();
    }
  });
});

describe('the members read on PostgreSQL, whatever plan it gets', { skip }, () => {
  it('reads each member once with all its devices when PostgreSQL joins by hashing (rows of one member far apart in the tables)', async () => {
    const ctx = await createTestContext();
    try {
      const chatbotId = await ctx.chatbot('Hashed');
      const agents: Array<{ id: string; keyIds: string[] }> = [];
      for (let i = 0; i < 20; i++) {
        const id = await ctx.agent(chatbotId, { name: `Agent ${i}` });
        const keyIds: string[] = [];
        for (let k = 0; k < 3; k++) keyIds.push((await ctx.agentKey(id)).id);
        agents.push({ id, keyIds });
      }
      // Each device's first sign of life in turn across the agents, so that no agent's devices sit together.
      for (let k = 0; k < 3; k++) {
        for (const agent of agents) {
          ctx.clock.advance(1);
          await ctx.services.presence.setOwnStatus(chatbotId, agent.id, agent.keyIds[k]!, { online: true, clientTimestamp: ctx.clock.now() });
        }
      }
      // A connection of its own, which has prepared nothing yet: the read is planned under these settings.
      const fresh = await openDatabase(ctx.databaseUrl, { poolSize: 1 });
      const reads = memberReads(fresh.db);
      const rows = await fresh
        .section(async (runner) => {
          await runner('SET LOCAL enable_nestloop = off', []);
          await runner('SET LOCAL enable_mergejoin = off', []);
          return reads.named(
            runIn(runner),
            agents.map((agent) => ({ chatbotId, agentId: agent.id })),
          );
        })
        .finally(() => fresh.close());
      assert.deepEqual(rows.map((row) => row.agent_id).sort(), agents.map((agent) => agent.id).sort(), 'each member once');
      for (const row of rows) {
        const own = agents.find((agent) => agent.id === row.agent_id)!;
        assert.deepEqual(row.devices.map((device) => device.keyId).sort(), [...own.keyIds].sort(), 'with every device of its');
      }
    } finally {
      await ctx.close();
    }
  });
});

describe('sections on PostgreSQL: the locks taken with BEGIN', { skip }, () => {
  it('a section holds its keys until it ends: another taking one of them waits (PostgreSQL says so); any text is a key; opposite orders never deadlock', async () => {
    const ctx = await createTestContext();
    const other = await openDatabase(ctx.databaseUrl, { poolSize: 4 });
    let release: (() => void) | undefined;
    try {
      const order: string[] = [];
      const held = new Promise<void>((resolve) => (release = resolve));
      // Quotes and backslashes in a key: bound as a parameter, they arrive as written.
      const odd = "it's a \\ key";
      // The locks go with a section's first statement (BEGIN with them).
      const first = ctx.database.section(
        async (run) => {
          await run('select 1', []);
          order.push('first in');
          await held;
          order.push('first out');
        },
        { locks: ['a', odd] },
      );
      while (!order.includes('first in')) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = other.section(
        async (run) => {
          await run('select 1', []);
          order.push('second in');
        },
        { locks: [odd, 'z'] },
      );
      const unrelated = other.section(
        async (run) => {
          await run('select 1', []);
          order.push('unrelated in');
        },
        { locks: ["it's a \\\\ key"] },
      );
      await unrelated;
      // The second waits on an advisory lock: PostgreSQL shows it waiting, not granted.
      const waiting = async () =>
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(
            ctx.database.db,
          )
        ).rows[0]!.n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(order, ['first in', 'unrelated in'], 'the second waits for the first; a key that differs by a character does not');
      release!();
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first in', 'unrelated in', 'first out', 'second in']);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? ctx.database : other).section(
            async (run) => {
              await run('select pg_sleep(0.002)', []);
            },
            { locks: i % 2 === 0 ? ['x', 'y'] : ['y', 'x'] },
          ),
        ),
      );
    } finally {
      release?.();
      await other.close();
      await ctx.close();
    }
  });
});

describe('sections on PostgreSQL: writes that go with the next statement', { skip }, () => {
  it('are sent ahead of the next statement, which sees them, or with the COMMIT, in order, any text as written; one that fails fails the section with its own error and commits nothing', async () => {
    const ctx = await createTestContext();
    try {
      const text = 'it\'s a \\ "quoted" $1 text';
      const insert = 'insert into kv_scratch (k, v, n) values ($1, $2, $3)';
      await ctx.database.section(async (run) => {
        await run('create table kv_scratch (k text primary key, v text, n bigint)', []);
      });
      const seen = await ctx.database.section(async (run) => {
        await run(insert, ['first', text, -1], { withNext: true });
        await run(insert, ['second', null, 2 ** 40], { withNext: true });
        const [counted] = (await run('select count(*)::int as n from kv_scratch', [])) as Array<{ n: number }>;
        // This one goes with the COMMIT.
        await run('update kv_scratch set n = n + $1 where k = $2', [1, 'second'], { withNext: true });
        return counted;
      });
      assert.deepEqual(seen, { n: 2 }, 'the statement after the writes sees them');
      const { rows } = await sql<{ k: string; v: string | null; n: number }>`select k, v, n from kv_scratch order by k`.execute(ctx.database.db);
      assert.deepEqual(rows, [
        { k: 'first', v: text, n: -1 },
        { k: 'second', v: null, n: 2 ** 40 + 1 },
      ]);
      // The second write fails (the key exists): the section fails with its error, not the
      // unrelated statement after it, and nothing of the section stays.
      await assert.rejects(
        ctx.database.section(async (run) => {
          await run(insert, ['third', 'x', 3]);
          await run(insert, ['fourth', 'x', 4], { withNext: true });
          await run(insert, ['first', 'x', 5], { withNext: true });
          await run('select 1', []);
        }),
        /duplicate key/,
      );
      // At the COMMIT the same.
      await assert.rejects(
        ctx.database.section(async (run) => {
          await run(insert, ['fifth', 'x', 3], { withNext: true });
          await run(insert, ['second', 'x', 5], { withNext: true });
        }),
        /duplicate key/,
      );
      // A value is a value wherever the statement stands: 1.5 into a bigint is refused as the
      // first statement of a section and as a later one alike.
      for (const before of [0, 2]) {
        await assert.rejects(
          ctx.database.section(async (run) => {
            for (let i = 0; i < before; i++) await run('select 1', []);
            await run(insert, ['sixth', 'x', 1.5]);
          }),
          /invalid input syntax for type bigint/,
          `after ${before} statements`,
        );
      }
      // Statements that overlap (sent together, answered in turn) each get their own rows.
      const together = await ctx.database.section(async (run) => Promise.all(['first', 'second', 'nobody'].map((k) => run('select k, n from kv_scratch where k = $1', [k]))));
      assert.deepEqual(together, [[{ k: 'first', n: -1 }], [{ k: 'second', n: 2 ** 40 + 1 }], []]);
      const { rows: after } = await sql<{ k: string }>`select k from kv_scratch order by k`.execute(ctx.database.db);
      assert.deepEqual(
        after.map((row) => row.k),
        ['first', 'second'],
      );
      // The connections went back to the pool usable.
      await ctx.database.section(async (run) => {
        await run('drop table kv_scratch', []);
      });
    } finally {
      await ctx.close();
    }
  });
});

describe('values reach PostgreSQL only as bound parameters', { skip }, () => {
  it("an agent's status text, with quotes, backslashes and a dollar, is in no statement's text, only in its parameters", async () => {
    const ctx = await createTestContext();
    const texts: string[] = [];
    const parameters: unknown[] = [];
    const observed = await openDatabase(ctx.databaseUrl, {
      onStatement: (text, values) => {
        texts.push(text);
        parameters.push(...values);
      },
    });
    try {
      const services = createServices(observed, ctx.config, ctx.clock.now);
      const chatbotId = await ctx.chatbot('Bound');
      const agentId = await ctx.agent(chatbotId, { name: 'Ada' });
      const keyId = (await services.keys.createAgentKey(CLI, { agentId })).id;
      const marker = `marker-${Date.now()}'); drop table agents; -- \\ $1`;
      await services.presence.setOwnStatus(chatbotId, agentId, keyId, { online: true, clientTimestamp: ctx.clock.now() });
      await services.presence.setChosenStatus(chatbotId, agentId, keyId, { status: 'away', text: marker, clientTimestamp: ctx.clock.now() });
      assert.ok(texts.length > 5, 'statements were sent');
      assert.ok(!texts.some((text) => text.includes('marker-')), 'no statement text carries the value');
      assert.ok(
        parameters.some((value) => typeof value === 'string' && value.includes(marker)),
        'the value went as a parameter',
      );
    } finally {
      await observed.close();
      await ctx.close();
    }
  });
});
