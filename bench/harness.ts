import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { CLI } from '../src/auth/actor.js';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { cpus, tmpdir, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Started {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The service as users run it: compiled JavaScript (npm run bench builds it first). */
export const SERVICE_ENTRY = 'dist/server.js';

/**
 * Starts an entry point as its own process (compiled JavaScript with plain node, a TypeScript
 * file through tsx) and waits for the log line carrying its URL.
 */
export async function startProcess(entry: string, env: Record<string, string>, readyMessage: string, nodeArgs: string[] = []): Promise<Started> {
  const args = entry.endsWith('.js') ? [...nodeArgs, entry] : [...nodeArgs, '--import', 'tsx', entry];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${entry} did not report "${readyMessage}" within 30 s`));
    }, 30_000);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === readyMessage && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        /* not a log line */
      }
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const CLOCK_TICKS = 100;
/**
 * CPU seconds used so far by every process whose command name matches, from /proc: its own, and
 * that of its children it has reaped (cutime, cstime), so that a PostgreSQL backend that ends
 * during a measurement still counts (its parent, the postmaster, then holds its time) rather
 * than taking its time out of the sum.
 */
export function cpuSeconds(match: (command: string, pid: number) => boolean): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!match(command, Number(entry))) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks / CLOCK_TICKS;
}

/** CPU seconds used so far by these processes (their own and their reaped children's). */
export const cpuOfProcesses = (pids: readonly number[]) => cpuSeconds((_command, pid) => pids.includes(pid));

/**
 * A server is the ceiling of a load when it keeps a core busy; below this share of one core,
 * something else (the load generator) limited the run, and a ratio to it says nothing.
 */
export const SATURATED = 0.85;

export interface Measurement {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** CPU time of the servers under load (read from /proc), per request, ms; absent when none was watched. */
  cpuMsPerRequest?: number;
  /** The same CPU time as a share of one core over the round (1.0: a core kept busy). */
  busy?: number;
  /** A bare server's run (a baseline that does nothing but answer): its ratios need it to be the ceiling. */
  bare?: boolean;
  /** The database server's CPU time over the round (every process of it), per request, ms, and as a share of one core; absent when not watched. */
  databaseCpuMsPerRequest?: number;
  databaseBusy?: number;
}

/**
 * A load for wrk (Debian's `wrk`, a script of bench/wrk/): a generator in C whose requests cost
 * it little, so that a bare server can be the ceiling. `args` are the script's arguments, made
 * when the run starts; `counted` gets the script's JSON line once it ran (a load that carries
 * state from one run to the next reads it there).
 */
export interface WrkLoad {
  wrk: { url: string; script: string; connections: number; args: () => string[]; counted?: (line: Record<string, unknown>) => void };
  duration?: number;
}

export type Load = autocannon.Options | autocannon.Options[] | WrkLoad;

const isWrk = (load: Load): load is WrkLoad => !Array.isArray(load) && 'wrk' in load;

/** Whether Debian's wrk is installed (npm run bench uses it for the core loads, else autocannon). */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/** One wrk run: a thread of its own (one core), the connections given, the script's JSON line read back. */
async function measureWrk(scenario: string, { wrk, duration }: WrkLoad): Promise<Measurement> {
  const args = ['-t1', `-c${wrk.connections}`, `-d${duration ?? 10}s`, '--timeout', '10s', '-s', join(ROOT, 'bench/wrk', wrk.script), wrk.url];
  const child = spawn('wrk', [...args, '--', ...wrk.args()], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = out.split('\n').find((text) => text.startsWith('{"requests"'));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${out}`);
  const counted = JSON.parse(line) as { requests: number; micros: number; connect: number; read: number; write: number; status: number; timeout: number; p50: number; p99: number };
  wrk.counted?.(counted as unknown as Record<string, unknown>);
  return {
    scenario,
    requestsPerSecond: counted.requests / (counted.micros / 1e6),
    p50: Math.round(counted.p50 / 1000),
    p99: Math.round(counted.p99 / 1000),
    errors: counted.connect + counted.read + counted.write + counted.timeout,
    non2xx: counted.status,
    total: counted.requests,
  };
}

/**
 * One run of the load generator: wrk for a WrkLoad; else autocannon, given several targets
 * (instances), one load generator per target at the same time, reported as their sum (req/s)
 * and their worst (latency).
 */
export async function measure(scenario: string, options: Load): Promise<Measurement> {
  if (isWrk(options)) return measureWrk(scenario, options);
  if (Array.isArray(options)) {
    const parts = await Promise.all(options.map((part) => measure(scenario, part)));
    return {
      scenario,
      requestsPerSecond: parts.reduce((sum, part) => sum + part.requestsPerSecond, 0),
      p50: Math.max(...parts.map((part) => part.p50)),
      p99: Math.max(...parts.map((part) => part.p99)),
      errors: parts.reduce((sum, part) => sum + part.errors, 0),
      non2xx: parts.reduce((sum, part) => sum + part.non2xx, 0),
      total: parts.reduce((sum, part) => sum + part.total, 0),
    };
  }
  const result = await autocannon(options);
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs every scenario once per round, interleaved, after one warm-up round that is thrown
 * away, and keeps each scenario's median round. On a shared, noisy machine this keeps a slow
 * minute from landing on one scenario only; errors are summed over all measured rounds.
 */
export async function measureRounds(
  scenarios: Array<{ name: string; options: () => Load; cpuOf?: () => readonly number[]; bare?: boolean; databaseCpu?: () => number }>,
  rounds: number,
  roundSeconds: number,
  warmupSeconds: number,
): Promise<Map<string, Measurement>> {
  const lasting = (options: Load, duration: number): Load => (Array.isArray(options) ? options.map((part) => ({ ...part, duration })) : { ...options, duration });
  for (const scenario of scenarios) await measure(scenario.name, lasting(scenario.options(), warmupSeconds));
  const runs = new Map<string, Measurement[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      // The servers' CPU time over the round, read from the processes, not the clock.
      const pids = scenario.cpuOf?.() ?? [];
      const cpuBefore = cpuOfProcesses(pids);
      const databaseBefore = scenario.databaseCpu?.();
      const started = performance.now();
      const measured = await measure(scenario.name, lasting(scenario.options(), roundSeconds));
      const seconds = (performance.now() - started) / 1000;
      const used = cpuOfProcesses(pids) - cpuBefore;
      let watched = pids.length === 0 ? measured : { ...measured, cpuMsPerRequest: (used * 1000) / Math.max(1, measured.total), busy: used / seconds };
      if (databaseBefore !== undefined) {
        const database = scenario.databaseCpu!() - databaseBefore;
        watched = { ...watched, databaseCpuMsPerRequest: (database * 1000) / Math.max(1, measured.total), databaseBusy: database / seconds };
      }
      runs.get(scenario.name)!.push(scenario.bare ? { ...watched, bare: true } : watched);
    }
  }
  const results = new Map<string, Measurement>();
  for (const [name, list] of runs) {
    const middle = median(list.map((m) => m.requestsPerSecond));
    const chosen = list.find((m) => m.requestsPerSecond === middle) ?? list[0]!;
    results.set(name, {
      ...chosen,
      requestsPerSecond: middle,
      p50: median(list.map((m) => m.p50)),
      p99: median(list.map((m) => m.p99)),
      errors: list.reduce((sum, m) => sum + m.errors, 0),
      non2xx: list.reduce((sum, m) => sum + m.non2xx, 0),
      total: list.reduce((sum, m) => sum + m.total, 0),
      ...(list[0]!.busy === undefined ? {} : { cpuMsPerRequest: median(list.map((m) => m.cpuMsPerRequest!)), busy: median(list.map((m) => m.busy!)) }),
      ...(list[0]!.databaseBusy === undefined
        ? {}
        : { databaseCpuMsPerRequest: median(list.map((m) => m.databaseCpuMsPerRequest!)), databaseBusy: median(list.map((m) => m.databaseBusy!)) }),
    });
  }
  return results;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export interface ReportRow {
  measurement: Measurement;
  /** The baseline this row is divided by. */
  baseline: Measurement;
  /** Minimum ratio to the baseline, if this row has a target. */
  target?: number;
}

/**
 * Prints measurements as a table, each throughput also as a ratio to its baseline, with the
 * servers' CPU time per request and how busy they kept a core. A ratio to a bare server that
 * did not keep its core busy (SATURATED) is not printed: the load generator, not the baseline, was
 * the ceiling, so the ratio would say how close the service came to the generator. Such a row
 * has no verdict, and counts as missed. Beside it, the CPU ratio (the bare server's CPU time
 * per request over the row's): what share of the bare server's speed one core gives, whatever
 * the generator managed.
 */
export function report(rows: ReportRow[]): boolean {
  // The database server's columns when any row watched it (what else shared the machine's cores).
  const database = rows.some(({ measurement }) => measurement.databaseBusy !== undefined);
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'CPU ms/req',
    'busy',
    ...(database ? ['DB CPU ms/req', 'DB busy'] : []),
    'ratio',
    'CPU ratio',
    'vs baseline',
    'target',
    'verdict',
  ];
  let allMet = true;
  const unsaturated = new Set<string>();
  const body = rows.map(({ measurement: row, baseline, target }) => {
    const ratio = row.requestsPerSecond / baseline.requestsPerSecond;
    const bound = row !== baseline && baseline.bare === true && baseline.busy !== undefined && baseline.busy < SATURATED;
    if (bound) unsaturated.add(baseline.scenario);
    const met = !bound && (target === undefined || ratio >= target) && row.errors === 0 && row.non2xx === 0;
    if (!met && (target !== undefined || bound)) allMet = false;
    if (!met && target === undefined && (row.errors > 0 || row.non2xx > 0)) allMet = false;
    return [
      row.scenario,
      row.requestsPerSecond.toFixed(0),
      String(row.p50),
      String(row.p99),
      String(row.errors),
      String(row.non2xx),
      row.cpuMsPerRequest === undefined ? '-' : row.cpuMsPerRequest.toFixed(3),
      row.busy === undefined ? '-' : row.busy.toFixed(2),
      ...(database
        ? [row.databaseCpuMsPerRequest === undefined ? '-' : row.databaseCpuMsPerRequest.toFixed(3), row.databaseBusy === undefined ? '-' : row.databaseBusy.toFixed(2)]
        : []),
      bound ? 'n/a' : ratio.toFixed(2),
      // The baseline's CPU per request over this row's: the share of the bare server's speed a core would give, load generator aside.
      row !== baseline && baseline.bare && baseline.cpuMsPerRequest && row.cpuMsPerRequest ? (baseline.cpuMsPerRequest / row.cpuMsPerRequest).toFixed(2) : '-',
      row === baseline ? '(itself)' : baseline.scenario,
      target === undefined ? '-' : `≥ ${target}`,
      bound ? 'no verdict' : target === undefined ? '-' : met ? 'met' : 'MISSED',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
  for (const name of unsaturated) {
    console.log(`\nThe baseline "${name}" kept under ${SATURATED} of a core busy: the load generator was the ceiling, so no ratio to it is printed.`);
  }
  return allMet;
}

/**
 * Status changes as agents make them, for an autocannon request: each request takes an agent
 * (by index into `keys`) none of whose updates is in flight, holds it until the answer, and
 * flips its online flag from one of its keys in turn with a clientTimestamp after its last. So
 * every update is a real change and is announced: an agent whose updates overlapped would be a
 * flapping client, whose updates within one unit of work fold into one (see
 * src/presence/rounds.ts), not the load of many agents. `online` and `timestamps` are the
 * agents' states, shared with other loads; there must be an agent per connection.
 */
export function statusChanges(agents: readonly number[], keys: readonly string[][], online: boolean[], timestamps: number[], connections: number) {
  if (agents.length < connections) throw new Error(`status changes need an agent per connection: ${agents.length} agents for ${connections}`);
  const free = [...agents];
  const posts = new Map<number, number>();
  let spare = 0;
  return {
    setupRequest: (request: autocannon.Request, context: object): autocannon.Request => {
      // An answer that never came (an error) keeps its agent: then take one in turn.
      const agent = free.shift() ?? agents[spare++ % agents.length]!;
      (context as { agent?: number }).agent = agent;
      online[agent] = !online[agent];
      timestamps[agent] = Math.max((timestamps[agent] ?? 0) + 1, Date.now());
      const own = keys[agent]!;
      const post = posts.get(agent) ?? 0;
      posts.set(agent, post + 1);
      return {
        ...request,
        headers: { 'content-type': 'application/json', 'x-chatcaptain-key': own[post % own.length]! },
        body: JSON.stringify({ online: online[agent], clientTimestamp: String(timestamps[agent]) }),
      };
    },
    onResponse: (_status: number, _body: string, context: object) => {
      free.push((context as { agent: number }).agent);
    },
  };
}

/** The status seedChatbot gives agent `i` (a third of the agents offline): where the update loads start flipping. */
export const seededOnline = (i: number): boolean => i % 3 !== 0;

export interface BenchChatbot {
  dir: string;
  /** DATABASE_URL of the seeded database: the SQLite file in `dir`, or the PostgreSQL URL given. */
  dbPath: string;
  chatbotId: string;
  agentIds: string[];
  agentKeys: string[];
  /** Every key of every agent (keysPerAgent of each), agent by agent: `allAgentKeys[agent][n]`. */
  allAgentKeys: string[][];
  /** Chatbot keys that may only list (streams are limited to 20 per key). */
  listKeys: string[];
}

/**
 * A temporary SQLite database (or the given PostgreSQL one) with one chatbot of `agents` agents, each with a key, and
 * `listKeys` integration keys; optionally every agent's status set (a third offline).
 */
export async function seedChatbot(options: { agents: number; keysPerAgent?: number; listKeys?: number; setStatus?: boolean; databaseUrl?: string }): Promise<BenchChatbot> {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-agents-bench-'));
  const dbPath = options.databaseUrl ?? join(dir, 'bench.db');
  const database = await openDatabase(dbPath);
  const services = createServices(database, loadConfig({ DATABASE_URL: dbPath }), Date.now);
  const chatbot = await services.tenancy.createChatbot(CLI, { name: 'Bench' });
  const seeded: BenchChatbot = { dir, dbPath, chatbotId: chatbot.id, agentIds: [], agentKeys: [], allAgentKeys: [], listKeys: [] };
  for (let i = 0; i < options.agents; i++) {
    const agent = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${String(i).padStart(2, '0')}` });
    seeded.agentIds.push(agent.id);
    const keys: Array<{ id: string; key: string }> = [];
    for (let k = 0; k < (options.keysPerAgent ?? 1); k++) keys.push(await services.keys.createAgentKey(CLI, { agentId: agent.id, name: `device ${k + 1}` }));
    seeded.allAgentKeys.push(keys.map((made) => made.key));
    seeded.agentKeys.push(keys[0]!.key);
    if (options.setStatus) await services.presence.setOwnStatus(chatbot.id, agent.id, keys[0]!.id, { online: seededOnline(i), clientTimestamp: Date.now() });
  }
  for (let i = 0; i < (options.listKeys ?? 0); i++) {
    seeded.listKeys.push((await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list'] })).key);
  }
  await database.close();
  return seeded;
}
