import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import postgres from 'postgres';
import { cpuSeconds, machine, measureRounds, report, seedChatbot, SERVICE_ENTRY, startProcess, statusChanges, type Started, seededOnline } from './harness.js';
import { subscribe } from './stream.js';

/**
 * The cluster benchmark (npm run bench -- cluster): status updates and list reads against one
 * and then two instances on PostgreSQL with Redis between them, beside one instance on SQLite
 * (the core bench's setup) and a bare node:http server, all in the same run and interleaved;
 * then the delay of a change posted to one instance until a stream on the other delivers it,
 * against the delay to a stream on the same instance; and where the CPU time goes.
 *
 * Needs PostgreSQL (BENCH_POSTGRES_URL, default the local server) and Redis (BENCH_REDIS_URL,
 * default the local one).
 */
// An agent per connection: each update a real change of an agent not updating already.
const AGENTS = 100;
const KEYS_PER_AGENT = 3;
const CONNECTIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const DELAY_SAMPLES = Number(process.env.BENCH_DELAY_SAMPLES ?? 400);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Posts status changes one at a time to `postTo` and times each until `streamOn` delivers it. */
async function deliveryDelays(postTo: string, streamOn: string, chatbotId: string, agentKey: string, observerKey: string): Promise<{ p50: number; p99: number; lost: number }> {
  const subscriber = await subscribe(`${streamOn}/v1/inbox/${chatbotId}/agents/online/stream`, { 'x-chatcaptain-key': observerKey });
  const delays: number[] = [];
  let lost = 0;
  const post = (online: boolean, at: number) =>
    fetch(`${postTo}/v1/inbox/${chatbotId}/agents/me/online`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': agentKey, 'content-type': 'application/json' },
      body: JSON.stringify({ online, clientTimestamp: String(at) }),
    }).then((response) => response.arrayBuffer());
  try {
    // Offline first, so that every change below is news.
    await post(false, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < DELAY_SAMPLES; i++) {
      const seen = subscriber.receipts.length;
      const sent = performance.now();
      await post(i % 2 === 0, Date.now() + 1 + i);
      const deadline = sent + 2000;
      while (subscriber.receipts.length === seen && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      if (subscriber.receipts.length === seen) lost++;
      else delays.push(subscriber.receipts[seen]! - sent);
    }
  } finally {
    subscriber.close();
  }
  delays.sort((x, y) => x - y);
  return { p50: percentile(delays, 50), p99: percentile(delays, 99), lost };
}

export async function runClusterBench(): Promise<boolean> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin`select 1`.catch((error: Error) => {
    throw new Error(`the cluster bench needs PostgreSQL at ${ADMIN_URL} (set BENCH_POSTGRES_URL): ${error.message}`);
  });
  const name = `inbox_agents_bench_${Date.now().toString(36)}`;
  await admin`CREATE DATABASE ${admin(name)}`;
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${name}`;
  const started: Started[] = [];
  // Three keys per agent (its browsers): the load spreads over 150 keys, as many clients make it,
  // and no key comes near its rate limit.
  const sqlite = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  const onPg = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true, listKeys: 1, databaseUrl: pgUrl.toString() });
  try {
    const common = { PORT: '0', LOG_LEVEL: 'info' };
    const start = async (env: Record<string, string>) => {
      const server = await startProcess(SERVICE_ENTRY, { ...common, ...env }, 'inbox-agents listening');
      started.push(server);
      return server;
    };
    const lite = await start({ DATABASE_URL: sqlite.dbPath });
    const clusterEnv = { DATABASE_URL: onPg.dbPath, REDIS_URL, DATABASE_POOL_SIZE: '10' };
    const first = await start(clusterEnv);
    const second = await start(clusterEnv);
    const listPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/online`;
    const listBody = await (await fetch(`${lite.url}${listPath(sqlite.chatbotId)}`, { headers: { 'x-chatcaptain-key': sqlite.agentKeys[0]! } })).text();
    const bodyFile = join(sqlite.dir, 'list.json');
    writeFileSync(bodyFile, listBody);
    // The service's answer to a status update (as it stands): what the bare server answers a POST with.
    const postAnswer = await (
      await fetch(`${lite.url}/v1/inbox/${sqlite.chatbotId}/agents/me/online`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': sqlite.agentKeys[0]!, 'content-type': 'application/json' },
        body: JSON.stringify({ online: seededOnline(0), clientTimestamp: String(Date.now()) }),
      })
    ).text();
    const postFile = join(sqlite.dir, 'post.json');
    writeFileSync(postFile, postAnswer);
    const baseline = await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile, BASELINE_POST_BODY_FILE: postFile }, 'baseline listening');
    started.push(baseline);

    // The seeded status of each agent (a third offline), which the update loads flip.
    const states = (count: number) => ({ online: Array.from({ length: count }, (_, i) => seededOnline(i)), timestamps: new Array<number>(count).fill(0) });
    const liteStates = states(AGENTS);
    const pgStates = states(AGENTS);
    const updateLoad = (url: string, chatbotId: string, keys: string[][], agents: number[], state: ReturnType<typeof states>, connections = CONNECTIONS): autocannon.Options => {
      const { setupRequest, onResponse } = statusChanges(agents, keys, state.online, state.timestamps, connections);
      return { url, connections, requests: [{ method: 'POST', path: `/v1/inbox/${chatbotId}/agents/me/online`, setupRequest, onResponse }] };
    };
    const everyAgent = Array.from({ length: AGENTS }, (_, i) => i);
    let listed = 0;
    const listLoad = (url: string, chatbotId: string, keys: string[], connections = CONNECTIONS): autocannon.Options => ({
      url,
      connections,
      requests: [{ method: 'GET', path: listPath(chatbotId), setupRequest: (request) => ({ ...request, headers: { 'x-chatcaptain-key': keys[listed++ % keys.length]! } }) }],
    });
    const half = CONNECTIONS / 2;
    const names = {
      baselineGet: 'raw node:http baseline, GET load',
      baselinePost: 'raw node:http baseline, update load',
      liteList: 'SQLite, 1 instance: GET list',
      liteUpdate: 'SQLite, 1 instance: POST status',
      pg1List: 'PostgreSQL, 1 instance: GET list',
      pg1Update: 'PostgreSQL, 1 instance: POST status',
      pg2List: 'PostgreSQL + Redis, 2 instances: GET list',
      pg2Update: 'PostgreSQL + Redis, 2 instances: POST status',
    };
    const liteKeys = sqlite.allAgentKeys.flat();
    const pgKeys = onPg.allAgentKeys.flat();
    const scenarios = [
      { name: names.baselineGet, options: () => listLoad(baseline.url, sqlite.chatbotId, liteKeys), cpuOf: () => [baseline.child.pid!], bare: true },
      {
        name: names.baselinePost,
        options: () => updateLoad(baseline.url, sqlite.chatbotId, sqlite.allAgentKeys, everyAgent, liteStates),
        cpuOf: () => [baseline.child.pid!],
        bare: true,
      },
      { name: names.liteList, options: () => listLoad(lite.url, sqlite.chatbotId, liteKeys), cpuOf: () => [lite.child.pid!] },
      { name: names.liteUpdate, options: () => updateLoad(lite.url, sqlite.chatbotId, sqlite.allAgentKeys, everyAgent, liteStates), cpuOf: () => [lite.child.pid!] },
      { name: names.pg1List, options: () => listLoad(first.url, onPg.chatbotId, pgKeys), cpuOf: () => [first.child.pid!] },
      { name: names.pg1Update, options: () => updateLoad(first.url, onPg.chatbotId, onPg.allAgentKeys, everyAgent, pgStates), cpuOf: () => [first.child.pid!] },
      { name: names.pg2List, options: () => [listLoad(first.url, onPg.chatbotId, pgKeys, half), listLoad(second.url, onPg.chatbotId, pgKeys, half)] },
      {
        name: names.pg2Update,
        options: () => [
          updateLoad(first.url, onPg.chatbotId, onPg.allAgentKeys, everyAgent.slice(0, AGENTS / 2), pgStates, half),
          updateLoad(second.url, onPg.chatbotId, onPg.allAgentKeys, everyAgent.slice(AGENTS / 2), pgStates, half),
        ],
      },
    ];

    // Where the CPU goes under the two-instance update load, measured over one extra run.
    const services = new Set(started.map((server) => server.child.pid));
    const cpu = () => ({
      service: cpuSeconds((_, pid) => services.has(pid)),
      postgres: cpuSeconds((command) => command === 'postgres'),
      redis: cpuSeconds((command) => command.startsWith('redis-server')),
      load: cpuSeconds((_, pid) => pid === process.pid),
    });

    console.log(`inbox-agents cluster benchmark — ${machine()}`);
    console.log(
      `${AGENTS} agents × ${KEYS_PER_AGENT} keys in one chatbot, default settings, ${CONNECTIONS} connections in all (split evenly over 2 instances); ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up; median round shown\n`,
    );
    const results = await measureRounds(scenarios, ROUNDS, ROUND_SECONDS, WARMUP_SECONDS);
    const get = (scenario: string) => results.get(scenario)!;
    const met = report([
      { measurement: get(names.baselineGet), baseline: get(names.baselineGet) },
      { measurement: get(names.baselinePost), baseline: get(names.baselinePost) },
      { measurement: get(names.liteList), baseline: get(names.baselineGet) },
      { measurement: get(names.pg1List), baseline: get(names.baselineGet) },
      { measurement: get(names.pg2List), baseline: get(names.baselineGet) },
      { measurement: get(names.pg2List), baseline: get(names.pg1List) },
      { measurement: get(names.liteUpdate), baseline: get(names.baselinePost) },
      { measurement: get(names.pg1Update), baseline: get(names.baselinePost), target: 0.25 },
      { measurement: get(names.pg2Update), baseline: get(names.baselinePost) },
      { measurement: get(names.pg2Update), baseline: get(names.pg1Update) },
    ]);

    // CPU per state change on one instance: SQLite's (the service, which holds the database) beside
    // PostgreSQL's (the service and the database server). Target: at most 3 times SQLite's.
    const perChange = async (scenario: (typeof scenarios)[number], parts: Array<'service' | 'postgres'>) => {
      const start = cpu();
      const run = await measureRounds([scenario], 1, ROUND_SECONDS, 1);
      const end = cpu();
      const total = parts.reduce((sum, part) => sum + (end[part] - start[part]), 0);
      return {
        updates: run.get(scenario.name)!.total,
        ms: (total / run.get(scenario.name)!.total) * 1000,
        parts: Object.fromEntries(parts.map((part) => [part, ((end[part] - start[part]) / run.get(scenario.name)!.total) * 1000])),
      };
    };
    const liteCpu = await perChange(scenarios[3]!, ['service']);
    // What the updates announced, from the chatbot's version (it counts every event): one each,
    // since every update is a real change of an agent with no other update in flight.
    const announced = postgres(pgUrl.toString(), { max: 1 });
    const version = async () =>
      Number((await announced<Array<{ presence_version: string }>>`SELECT presence_version FROM chatbots WHERE id = ${onPg.chatbotId}`)[0]!.presence_version);
    const versionBefore = await version();
    const pgCpu = await perChange(scenarios[5]!, ['service', 'postgres']);
    const events = (await version()) - versionBefore;
    await announced.end();
    const cpuRatio = pgCpu.ms / liteCpu.ms;
    console.log(`\nCPU per state change on one instance (an extra ${ROUND_SECONDS} s run each):`);
    console.log(`  SQLite:     ${liteCpu.ms.toFixed(3)} ms (the service, database included)`);
    console.log(`  PostgreSQL: ${pgCpu.ms.toFixed(3)} ms (service ${pgCpu.parts.service!.toFixed(3)} + PostgreSQL ${pgCpu.parts.postgres!.toFixed(3)})`);
    console.log(`  ratio ${cpuRatio.toFixed(2)} (target ≤ 3): ${cpuRatio <= 3 ? 'met' : 'MISSED'}`);
    console.log(`  announced on PostgreSQL: ${events} events for ${pgCpu.updates} updates (${(events / pgCpu.updates).toFixed(2)} per update)`);

    const before = cpu();
    const cpuRun = await measureRounds([scenarios[7]!], 1, ROUND_SECONDS, 1);
    const after = cpu();
    const requests = cpuRun.get(names.pg2Update)!.total;
    console.log(`\nCPU per 1,000 status updates on 2 instances (one extra ${ROUND_SECONDS} s run, ${requests} requests; 2 cores = ${2 * ROUND_SECONDS} CPU-s available):`);
    for (const part of ['service', 'postgres', 'redis', 'load'] as const) {
      const used = after[part] - before[part];
      console.log(`  ${part.padEnd(8)} ${((used / requests) * 1000).toFixed(3)} CPU-s  (${used.toFixed(1)} CPU-s in all)`);
    }

    const same = await deliveryDelays(first.url, first.url, onPg.chatbotId, onPg.agentKeys[1]!, onPg.listKeys[0]!);
    const cross = await deliveryDelays(first.url, second.url, onPg.chatbotId, onPg.agentKeys[2]!, onPg.listKeys[0]!);
    console.log(`\nDelivery delay, POST sent until the stream delivers the event (${DELAY_SAMPLES} changes one at a time):`);
    console.log(`  same instance:           p50 ${same.p50.toFixed(2)} ms, p99 ${same.p99.toFixed(2)} ms, lost ${same.lost}`);
    console.log(`  other instance (Redis):  p50 ${cross.p50.toFixed(2)} ms, p99 ${cross.p99.toFixed(2)} ms, lost ${cross.lost}`);
    console.log(`  ratio other/same:        p50 ${(cross.p50 / same.p50).toFixed(2)}, p99 ${(cross.p99 / same.p99).toFixed(2)}`);
    const delivered = same.lost === 0 && cross.lost === 0;
    console.log(`\n${delivered ? 'Nothing lost.' : 'Events were lost: see above.'} ${met ? 'Every target met.' : 'A target was missed, or has no verdict (see the table).'}`);
    return met && delivered && cpuRatio <= 3;
  } finally {
    for (const server of started.reverse()) await server.stop();
    await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`;
    await admin.end();
    rmSync(sqlite.dir, { recursive: true, force: true });
    rmSync(onPg.dir, { recursive: true, force: true });
  }
}
