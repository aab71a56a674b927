import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS, coreLoads, KEYS_PER_AGENT } from './core.js';
import { machine, measure, seedChatbot, SERVICE_ENTRY, startProcess, type Started, seededOnline } from './harness.js';

/**
 * CPU per request (npm run bench -- cost): the core bench's loads against the service and the
 * bare baseline, with the CPU time each server process used (from /proc) divided by the
 * requests it answered, and the load generator's. Ratios of throughput depend on how the two
 * cores are shared; CPU per request says what each request costs the server. It also runs the
 * service with rate limits and metrics switched off, to say what they cost (never for a target).
 */
const CLOCK_TICKS = 100;
/** CPU seconds of a process so far: user and system time of its main thread, and of its other threads (GC, libuv). */
function cpuSeconds(pid: number): { user: number; system: number; others: number } {
  const read = (path: string) => {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]) / CLOCK_TICKS, Number(fields[12]) / CLOCK_TICKS] as const;
  };
  const [user, system] = read(`/proc/${pid}/task/${pid}/stat`);
  let others = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    if (task === String(pid)) continue;
    try {
      const [u, s] = read(`/proc/${pid}/task/${task}/stat`);
      others += u + s;
    } catch {
      /* the thread ended */
    }
  }
  return { user, system, others };
}

const OFF = (names: string[]) => Object.fromEntries(names.map((name) => [name, 'off']));
const LIMITS = ['READS', 'STATUS', 'SETTINGS', 'NOTIFY', 'TICKETS', 'ADMIN', 'UNAUTHENTICATED'].map((name) => `RATE_LIMIT_${name}`);

export async function runCostBench(): Promise<boolean> {
  const seconds = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
  const seeded = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  const online = seeded.allAgentKeys.map((_, i) => seededOnline(i));
  const loads = coreLoads(seeded.chatbotId, seeded.allAgentKeys, online);
  const variants: Array<[string, Record<string, string>]> = [
    ['service (defaults)', {}],
    ['service, rate limits off', OFF(LIMITS)],
    ['service, metrics off', { METRICS: 'off' }],
    ['service, both off', { ...OFF(LIMITS), METRICS: 'off' }],
  ];
  const targets: Array<[string, Started]> = [];
  // Each service on its own copy of the database: processes sharing a SQLite file see each
  // other's writes as outside changes, which (rightly) empties their caches.
  for (const [index, [name, env]] of variants.entries()) {
    const copy = join(seeded.dir, `service-${index}.db`);
    copyFileSync(seeded.dbPath, copy);
    targets.push([name, await startProcess(SERVICE_ENTRY, { DATABASE_URL: copy, PORT: '0', LOG_LEVEL: 'info', ...env }, 'inbox-agents listening')]);
  }
  const body = await (await fetch(`${targets[0]![1].url}${loads.listPath}`, { headers: { 'x-chatcaptain-key': seeded.allAgentKeys[0]![0]! } })).text();
  writeFileSync(join(seeded.dir, 'list.json'), body);
  targets.unshift(['bare node:http', await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: join(seeded.dir, 'list.json') }, 'baseline listening')]);
  console.log(`CPU per request — ${machine()}; ${seconds} s per run\n`);
  console.log('| load | server | req/s | × bare | server CPU µs/req | main thread user | main thread system | other threads | load generator CPU µs/req |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const loadNames = (process.env.COST_LOADS ?? 'list,heartbeats,changes').split(',') as Array<'list' | 'heartbeats' | 'changes'>;
  try {
    for (let repeat = 0; repeat < Number(process.env.COST_REPEAT ?? 1); repeat++)
      for (const load of loadNames) {
        let bare = 0;
        for (const [name, target] of targets) {
          await measure(name, { ...loads[load](target.url), duration: 1 });
          const before = cpuSeconds(target.child.pid!);
          const self = process.cpuUsage();
          const result = await measure(name, { ...loads[load](target.url), duration: seconds });
          const after = cpuSeconds(target.child.pid!);
          const generator = process.cpuUsage(self);
          const per = (seconds: number) => ((seconds / result.total) * 1e6).toFixed(1);
          const user = after.user - before.user;
          const system = after.system - before.system;
          const others = after.others - before.others;
          if (name === 'bare node:http') bare = result.requestsPerSecond;
          console.log(
            `| ${load} | ${name} | ${result.requestsPerSecond.toFixed(0)} | ${(result.requestsPerSecond / bare).toFixed(2)} | ${per(user + system + others)} | ${per(user)} | ${per(system)} | ${per(others)} | ${per((generator.user + generator.system) / 1e6)} |`,
          );
        }
      }
  } finally {
    for (const [, target] of targets) await target.stop();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
  return true;
}
