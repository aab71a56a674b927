import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import postgres from 'postgres';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { cpuSeconds, hasWrk, type Load, machine, measureRounds, report, SERVICE_ENTRY, startProcess, type Started } from './harness.js';

/**
 * Assignments (npm run bench -- assign), the service at its defaults in its own processes:
 *
 * - throughput: 100 connections each assigning a new conversation and then releasing it (two
 *   real changes, each one unit of work that chooses among 50 available agents and judges the
 *   chatbot again), on SQLite and on one PostgreSQL instance, beside the bare node:http server
 *   under the same load;
 * - correctness: 1,000 assignments at once, split over two PostgreSQL instances sharing Redis,
 *   against 50 agents with maxChats 5: exactly 250 must be assigned and 750 answered 409,
 *   nobody over 5.
 *
 * Agents stay alive as their clients keep them: each posts its status every 30 s.
 * Needs PostgreSQL (BENCH_POSTGRES_URL) and Redis (BENCH_REDIS_URL), as the cluster bench does.
 */
const AGENTS = 50;
// Enough keys that the rate limit (3,000 per 10 s per key) never answers in place of the service.
const INTEGRATION_KEYS = 100;
const CONNECTIONS = 100;
const SPREAD_CHATBOTS = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** CPU seconds of the PostgreSQL server's processes so far (on this machine: the bench runs against a local server). */
const postgresCpu = () => cpuSeconds((command) => command.startsWith('postgres'));

interface Team {
  chatbotId: string;
  agentKeys: string[];
  integrationKeys: string[];
}

/** A chatbot of 50 agents, each online with a key (and maxChats when given), and integration keys that may assign. */
async function seedTeam(databaseUrl: string, maxChats: number | null, agents = AGENTS, integrationKeys = INTEGRATION_KEYS): Promise<Team> {
  const database = await openDatabase(databaseUrl);
  const services = createServices(database, loadConfig({ DATABASE_URL: databaseUrl }), Date.now);
  const chatbot = await services.tenancy.createChatbot(CLI, { name: 'Bench' });
  const team: Team = { chatbotId: chatbot.id, agentKeys: [], integrationKeys: [] };
  for (let i = 0; i < agents; i++) {
    const agent = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${String(i).padStart(2, '0')}` });
    const key = await services.keys.createAgentKey(CLI, { agentId: agent.id, name: 'browser' });
    team.agentKeys.push(key.key);
    await services.presence.setOwnStatus(chatbot.id, agent.id, key.id, { online: true, clientTimestamp: Date.now() });
    if (maxChats !== null) await services.availabilityInputs.setCapacity(chatbot.id, agent.id, { maxChats, clientTimestamp: String(Date.now()) });
  }
  for (let i = 0; i < integrationKeys; i++) {
    team.integrationKeys.push((await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.assignments.edit'] })).key);
  }
  await database.close();
  return team;
}

/** Every agent's client posts its status every 30 s (a sign of life), as a console does while open. */
function keepAlive(url: string, team: Team): () => void {
  const beat = () => {
    for (const key of team.agentKeys) {
      void fetch(`${url}/v1/inbox/${team.chatbotId}/agents/me/online`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
      })
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
    }
  };
  beat();
  const timer = setInterval(beat, 30_000);
  return () => clearInterval(timer);
}

export async function runAssignBench(): Promise<boolean> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin`select 1`.catch((error: Error) => {
    throw new Error(`the assign bench needs PostgreSQL at ${ADMIN_URL} (set BENCH_POSTGRES_URL): ${error.message}`);
  });
  const name = `inbox_agents_assign_${Date.now().toString(36)}`;
  await admin`CREATE DATABASE ${admin(name)}`;
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'inbox-agents-assign-'));
  const sqliteUrl = join(dir, 'bench.db');
  const started: Started[] = [];
  const stops: Array<() => void> = [];
  try {
    const onSqlite = await seedTeam(sqliteUrl, null);
    const onPg = await seedTeam(pgUrl.toString(), null);
    const limited = await seedTeam(pgUrl.toString(), 5);
    // The same 50 agents and 100 keys over 10 chatbots (5 agents each): a chatbot's assignments
    // take turns under its lock, different chatbots' do not. Reported without a target (a run still fails if it answers errors).
    const spread: Team[] = [];
    for (let i = 0; i < SPREAD_CHATBOTS; i++) spread.push(await seedTeam(pgUrl.toString(), null, AGENTS / SPREAD_CHATBOTS, INTEGRATION_KEYS / SPREAD_CHATBOTS));
    const start = async (env: Record<string, string>) => {
      const server = await startProcess(SERVICE_ENTRY, { PORT: '0', LOG_LEVEL: 'info', ...env }, 'inbox-agents listening');
      started.push(server);
      return server;
    };
    const lite = await start({ DATABASE_URL: sqliteUrl });
    const clusterEnv = { DATABASE_URL: pgUrl.toString(), REDIS_URL };
    const first = await start(clusterEnv);
    const second = await start(clusterEnv);
    stops.push(keepAlive(lite.url, onSqlite), keepAlive(first.url, onPg), keepAlive(first.url, limited), ...spread.map((team) => keepAlive(first.url, team)));

    // The bare server answers with the bytes of a real assignment.
    const sample = await fetch(`${lite.url}/v1/inbox/${onSqlite.chatbotId}/assignments`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': onSqlite.integrationKeys[0]!, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'sample' }),
    });
    if (sample.status !== 201) throw new Error(`a first assignment answered ${sample.status}: ${await sample.text()}`);
    const bodyFile = join(dir, 'assignment.json');
    writeFileSync(bodyFile, await sample.text());
    const baseline = await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile }, 'baseline listening');
    started.push(baseline);

    /** wrk's targets: a line per key, "<the key's chatbot's assignments path> <key>", the chatbots' keys interleaved. */
    let files = 0;
    const targetsFileOf = (teams: Team[]) => {
      const file = join(dir, `targets-${++files}.txt`);
      const lines: string[] = [];
      for (let i = 0; i < Math.max(...teams.map((team) => team.integrationKeys.length)); i++) {
        for (const team of teams) if (team.integrationKeys[i]) lines.push(`/v1/inbox/${team.chatbotId}/assignments ${team.integrationKeys[i]}`);
      }
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    };
    const targetFiles = new Map([[onSqlite], [onPg], spread].map((teams) => [teams[0]!, targetsFileOf(teams)]));
    let runs = 0;
    /** wrk (bench/wrk/assign.lua): every assignment answered is released by the connection's next request. */
    const wrkLoad = (url: string, team: Team): Load => ({
      wrk: {
        url,
        script: 'assign.lua',
        connections: CONNECTIONS,
        args: () => [targetFiles.get(team)!, `r${++runs}-${Date.now().toString(36)}`],
      },
    });
    let sequence = 0;
    /** Each connection assigns a new conversation, then releases it. */
    const autocannonLoad = (url: string, team: Team): autocannon.Options => ({
      url,
      connections: CONNECTIONS,
      requests: [
        {
          method: 'POST',
          setupRequest: (request, context) => {
            const conversationId = `c-${++sequence}`;
            const key = team.integrationKeys[sequence % team.integrationKeys.length]!;
            Object.assign(context as object, { conversationId, key });
            return {
              ...request,
              path: `/v1/inbox/${team.chatbotId}/assignments`,
              headers: { 'content-type': 'application/json', 'x-chatcaptain-key': key },
              body: JSON.stringify({ conversationId }),
            };
          },
        },
        {
          method: 'DELETE',
          setupRequest: (request, context) => {
            const { conversationId, key } = context as { conversationId: string; key: string };
            return { ...request, path: `/v1/inbox/${team.chatbotId}/assignments/${conversationId}`, headers: { 'x-chatcaptain-key': key } };
          },
        },
      ],
    });
    const generator = hasWrk() ? 'wrk' : 'autocannon';
    const load = generator === 'wrk' ? wrkLoad : autocannonLoad;
    const names = {
      baseline: 'bare node:http, the same load',
      lite: 'SQLite, 1 instance: assign + release',
      pg: 'PostgreSQL, 1 instance: assign + release',
      spread: `PostgreSQL, 1 instance: the same over ${SPREAD_CHATBOTS} chatbots`,
    };
    console.log(`inbox-agents assignment benchmark — ${machine()}`);
    console.log(
      generator === 'wrk'
        ? 'load generator: wrk (one thread, its own process)'
        : 'load generator: autocannon in this process (wrk not installed: apt-get install wrk); a bare server it cannot keep busy gets no ratio',
    );
    console.log(
      `${AGENTS} available agents, ${CONNECTIONS} connections each assigning a new conversation and releasing it, default settings; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; median round\n`,
    );
    const results = await measureRounds(
      [
        // Each server's CPU time is read from /proc: CPU per request beside throughput, and a
        // bare server that did not keep its core busy (the load generator was the ceiling) gets no ratio.
        { name: names.baseline, options: () => load(baseline.url, onSqlite), cpuOf: () => [baseline.child.pid!], bare: true },
        { name: names.lite, options: () => load(lite.url, onSqlite), cpuOf: () => [lite.child.pid!] },
        // On PostgreSQL the database server's CPU too: it shares the machine's cores with the service and the load generator.
        { name: names.pg, options: () => load(first.url, onPg), cpuOf: () => [first.child.pid!], databaseCpu: postgresCpu },
        // Over several chatbots only with wrk (the autocannon load names one chatbot).
        ...(generator === 'wrk' ? [{ name: names.spread, options: () => load(first.url, spread[0]!), cpuOf: () => [first.child.pid!], databaseCpu: postgresCpu }] : []),
      ],
      ROUNDS,
      ROUND_SECONDS,
      WARMUP_SECONDS,
    );
    const get = (scenario: string) => results.get(scenario)!;
    const throughputOk = report([
      { measurement: get(names.baseline), baseline: get(names.baseline) },
      { measurement: get(names.lite), baseline: get(names.baseline) },
      // Issue 36: steady assign + release on PostgreSQL at a tenth of the bare server at least.
      { measurement: get(names.pg), baseline: get(names.baseline), target: 0.1 },
      ...(results.has(names.spread) ? [{ measurement: get(names.spread), baseline: get(names.baseline) }] : []),
    ]);

    // 1,000 at once over two instances against 50 agents × 5 chats.
    const at = (url: string, i: number) =>
      fetch(`${url}/v1/inbox/${limited.chatbotId}/assignments`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': limited.integrationKeys[i % limited.integrationKeys.length]!, 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: `race-${i}` }),
      }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    const statuses = await Promise.all(Array.from({ length: 1000 }, (_, i) => at(i % 2 === 0 ? first.url : second.url, i)));
    const count = (status: number) => statuses.filter((value) => value === status).length;
    const db = postgres(pgUrl.toString(), { max: 1 });
    const loads = (await db<Array<{ agent_id: string; n: string }>>`select agent_id, count(*) as n from assignments where chatbot_id = ${limited.chatbotId} group by agent_id`).map(
      (row) => Number(row.n),
    );
    await db.end();
    const over = loads.filter((n) => n > 5).length;
    const exact = count(201) === 250 && count(409) === 750 && over === 0;
    console.log('\n1,000 assignments at once, over 2 PostgreSQL instances (Redis between them), 50 agents with maxChats 5:');
    console.log(`  201 assigned: ${count(201)} (target 250), 409 no_agent_available: ${count(409)} (target 750), other: ${1000 - count(201) - count(409)}`);
    console.log(`  agents over 5: ${over}; most chats of one agent: ${Math.max(0, ...loads)}; ${exact ? 'met' : 'MISSED'}`);
    return throughputOk && exact;
  } finally {
    for (const stop of stops) stop();
    for (const server of started) await server.stop();
    await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.catch(() => undefined);
    await admin.end();
  }
}
