import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { hasWrk, machine, measureRounds, report, seedChatbot, SERVICE_ENTRY, startProcess, statusChanges, seededOnline, type WrkLoad } from './harness.js';

/**
 * The core benchmark, measuring the service as users run it: compiled, default settings
 * (auto-offline and its deadlines on, metrics collected, rate limits at their defaults), one
 * chatbot of 100 agents on a temporary SQLite file, each agent with 2 keys (its browser and
 * phone), all traffic from outside the process. In the same run, a bare node:http server
 * answers every request with the same bytes as the list: the baseline.
 *
 * Three loads, as clients make them:
 * - list: GET agents/online, the keys in turn;
 * - heartbeats: each agent re-posts the status it has, with a rising clientTimestamp (a sign of
 *   life that changes nothing visible);
 * - state changes: each update flips the status of an agent with no other update in flight
 *   (statusChanges), so each is a durable change and an event on the stream;
 * - activity: POST me/activity from every key in turn, as clients report input (most reports
 *   fall within 30 s of the agent's last stored one and are kept in memory, as in real use).
 *
 * The load generator is wrk (Debian's `wrk`, bench/wrk/core.lua), in its own process with one
 * thread: written in C, it builds the status bodies in its thread and replays the list's and
 * activity's requests built ahead, so a bare server keeps its core busy under every load. Without
 * wrk installed, autocannon in this process stands in (say so; it cannot keep a bare server busy).
 * The baseline is measured under each load with the same request building, and each figure is
 * divided by the baseline under its own load; beside it, each server's CPU time per request,
 * read from the process, and how busy it kept a core: a baseline that did not keep its core busy
 * was held back by the generator, and its ratio is not printed (harness.ts, report).
 */
// An agent per connection, so that each state change is one of an agent with no other in flight.
export const AGENTS = 100;
export const KEYS_PER_AGENT = 2;
const CONNECTIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

export const CORE_TARGETS = { list: 1.0, heartbeats: 0.75, changes: 0.5, activity: 0.75 };

/** The items from `start` on, then those before it: each run of a load starts at another key. */
const rotated = <T>(items: readonly T[], start: number) => [...items.slice(start % items.length), ...items.slice(0, start % items.length)];

/** The loads against one base URL (the service's or the baseline's). */
export function coreLoads(chatbotId: string, keys: string[][], online: boolean[]) {
  const listPath = `/v1/inbox/${chatbotId}/agents/online`;
  const updatePath = `/v1/inbox/${chatbotId}/agents/me/online`;
  const activityPath = `/v1/inbox/${chatbotId}/agents/me/activity`;
  let reported = 0;
  const flatKeys = keys.flat();
  let listed = 0;
  let sequence = 0;
  const lastTimestamps = new Array<number>(keys.length).fill(0);
  // Heartbeats: each agent re-posts the status it has, the agents in turn.
  const heartbeat = (request: autocannon.Request): autocannon.Request => {
    sequence++;
    const agent = sequence % keys.length;
    const key = keys[agent]![Math.floor(sequence / keys.length) % KEYS_PER_AGENT]!;
    // Rising per agent, close to real time, as a client's clock gives them.
    const timestamp = Math.max(lastTimestamps[agent]! + 1, Date.now());
    lastTimestamps[agent] = timestamp;
    // The body written out rather than serialized: the generator's cost per request stays small.
    return { ...request, headers: { 'content-type': 'application/json', 'x-chatcaptain-key': key }, body: `{"online":${online[agent]},"clientTimestamp":"${timestamp}"}` };
  };
  return {
    listPath,
    // Built ahead: each connection goes through every key in turn, starting at its own.
    list: (url: string): autocannon.Options => ({
      url,
      connections: CONNECTIONS,
      requests: rotated(flatKeys, listed++).map((key) => ({ method: 'GET', path: listPath, headers: { 'x-chatcaptain-key': key } })),
    }),
    heartbeats: (url: string): autocannon.Options => ({ url, connections: CONNECTIONS, requests: [{ method: 'POST', path: updatePath, setupRequest: heartbeat }] }),
    changes: (url: string): autocannon.Options => ({
      url,
      connections: CONNECTIONS,
      requests: [
        {
          method: 'POST',
          path: updatePath,
          ...statusChanges(
            keys.map((_, i) => i),
            keys,
            online,
            lastTimestamps,
            CONNECTIONS,
          ),
        },
      ],
    }),
    activity: (url: string): autocannon.Options => ({
      url,
      connections: CONNECTIONS,
      requests: rotated(flatKeys, reported++).map((key) => ({ method: 'POST', path: activityPath, headers: { 'x-chatcaptain-key': key } })),
    }),
  };
}

/**
 * The same loads for wrk (bench/wrk/core.lua): the list's and activity's requests built ahead,
 * the status loads' built in wrk's thread; the agents in turn (as many as connections, so an
 * agent's next update goes out about when its last was answered). Each target keeps its
 * agents' online flags from run to run.
 */
export function wrkLoads(chatbotId: string, keysFile: string, online: boolean[]) {
  const states = new Map<string, { online: string }>();
  const stateOf = (url: string) => {
    let state = states.get(url);
    if (!state) states.set(url, (state = { online: online.map((flag) => (flag ? '1' : '0')).join('') }));
    return state;
  };
  const load =
    (mode: 'list' | 'activity' | 'heartbeats' | 'changes', path: string) =>
    (url: string): WrkLoad => {
      const state = stateOf(url);
      return {
        wrk: {
          url,
          script: 'core.lua',
          connections: CONNECTIONS,
          args: () => [mode, path, keysFile, String(KEYS_PER_AGENT), String(Date.now()), state.online],
          counted: (line) => {
            if (typeof line.online === 'string' && line.online) state.online = line.online;
          },
        },
      };
    };
  return {
    list: load('list', `/v1/inbox/${chatbotId}/agents/online`),
    heartbeats: load('heartbeats', `/v1/inbox/${chatbotId}/agents/me/online`),
    changes: load('changes', `/v1/inbox/${chatbotId}/agents/me/online`),
    activity: load('activity', `/v1/inbox/${chatbotId}/agents/me/activity`),
  };
}

export async function runCoreBench(): Promise<boolean> {
  const { dir, dbPath, chatbotId, allAgentKeys } = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  // The seeded status of each agent (a third offline), which heartbeats keep and changes flip.
  const online = allAgentKeys.map((_, i) => seededOnline(i));

  const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening');
  const listPath = `/v1/inbox/${chatbotId}/agents/online`;
  const listBody = await (await fetch(`${service.url}${listPath}`, { headers: { 'x-chatcaptain-key': allAgentKeys[0]![0]! } })).text();
  const bodyFile = join(dir, 'list.json');
  writeFileSync(bodyFile, listBody);
  // The service's answer to a status update (the agent's status as it stands): what the bare server answers a POST with.
  const postAnswer = await (
    await fetch(`${service.url}/v1/inbox/${chatbotId}/agents/me/online`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': allAgentKeys[0]![0]!, 'content-type': 'application/json' },
      body: JSON.stringify({ online: online[0], clientTimestamp: String(Date.now()) }),
    })
  ).text();
  const postFile = join(dir, 'post.json');
  writeFileSync(postFile, postAnswer);
  const baseline = await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile, BASELINE_POST_BODY_FILE: postFile }, 'baseline listening');
  const keysFile = join(dir, 'keys.txt');
  writeFileSync(keysFile, `${allAgentKeys.flat().join('\n')}\n`);
  const generator = hasWrk() ? 'wrk' : 'autocannon';
  const loads = generator === 'wrk' ? wrkLoads(chatbotId, keysFile, online) : coreLoads(chatbotId, allAgentKeys, online);

  console.log(`inbox-agents core benchmark — ${machine()}`);
  console.log(
    generator === 'wrk'
      ? 'load generator: wrk (one thread, its own process)'
      : 'load generator: autocannon in this process (wrk not installed: apt-get install wrk); a bare server it cannot keep busy gets no ratio',
  );
  console.log(
    `${AGENTS} agents × ${KEYS_PER_AGENT} keys in one chatbot (list body ${listBody.length} bytes), default settings, ${CONNECTIONS} connections; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up round; median round shown\n`,
  );

  try {
    const names = {
      baseList: 'bare node:http, list load',
      baseBeats: 'bare node:http, heartbeat load',
      baseChanges: 'bare node:http, state-change load',
      baseActivity: 'bare node:http, activity load',
      activity: 'POST me/activity',
      list: `GET agents/online (${AGENTS * KEYS_PER_AGENT} keys)`,
      beats: 'POST me/online, heartbeats',
      changes: 'POST me/online, state changes',
    };
    const onBaseline = () => [baseline.child.pid!];
    const onService = () => [service.child.pid!];
    const results = await measureRounds(
      [
        { name: names.baseList, options: () => loads.list(baseline.url), cpuOf: onBaseline, bare: true },
        { name: names.list, options: () => loads.list(service.url), cpuOf: onService },
        { name: names.baseBeats, options: () => loads.heartbeats(baseline.url), cpuOf: onBaseline, bare: true },
        { name: names.beats, options: () => loads.heartbeats(service.url), cpuOf: onService },
        { name: names.baseChanges, options: () => loads.changes(baseline.url), cpuOf: onBaseline, bare: true },
        { name: names.changes, options: () => loads.changes(service.url), cpuOf: onService },
        { name: names.baseActivity, options: () => loads.activity(baseline.url), cpuOf: onBaseline, bare: true },
        { name: names.activity, options: () => loads.activity(service.url), cpuOf: onService },
      ],
      ROUNDS,
      ROUND_SECONDS,
      WARMUP_SECONDS,
    );
    const get = (name: string) => results.get(name)!;
    console.log('');
    const met = report([
      { measurement: get(names.baseList), baseline: get(names.baseList) },
      { measurement: get(names.baseBeats), baseline: get(names.baseBeats) },
      { measurement: get(names.baseChanges), baseline: get(names.baseChanges) },
      { measurement: get(names.baseActivity), baseline: get(names.baseActivity) },
      { measurement: get(names.list), baseline: get(names.baseList), target: CORE_TARGETS.list },
      { measurement: get(names.beats), baseline: get(names.baseBeats), target: CORE_TARGETS.heartbeats },
      { measurement: get(names.changes), baseline: get(names.baseChanges), target: CORE_TARGETS.changes },
      { measurement: get(names.activity), baseline: get(names.baseActivity), target: CORE_TARGETS.activity },
    ]);
    console.log(
      `\n${met ? 'All targets met.' : 'Some targets were missed.'} (targets: list ≥ ${CORE_TARGETS.list}×, heartbeats ≥ ${CORE_TARGETS.heartbeats}×, state changes ≥ ${CORE_TARGETS.changes}×, activity ≥ ${CORE_TARGETS.activity}× the baseline under the same load, zero errors)`,
    );
    return met;
  } finally {
    await baseline.stop();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
