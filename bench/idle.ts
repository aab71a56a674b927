import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { machine, SERVICE_ENTRY, startProcess } from './harness.js';
import { subscribeMany } from './stream.js';

/**
 * Many agents going idle at the same moment (npm run bench -- idle): N agents spread over C
 * chatbots, whose last activity lies at the same instant, so that their chatbots' idle time
 * runs out for all of them at once; S subscribers hold the chatbots' streams, spread evenly,
 * each asking for batches (?batch=true, as the SDK and the console do). Measured: from that
 * moment until each subscriber has received the idle change of every agent of its chatbot, and
 * whether any stream was ended (into a snapshot) instead.
 *
 * Two sizes, each run BENCH_RUNS (7) times on a fresh copy of its database:
 * - spread: 10,000 agents in 100 chatbots of 100 (a team that size per inbox), 2,000
 *   subscribers (20 per chatbot: the agents' and supervisors' consoles); target: every
 *   subscriber has every change within 1 s, in every run;
 * - one: 10,000 agents in one chatbot, 100 subscribers, each owed all 10,000 changes (a million
 *   in all); target: within 1.5 s in every run, and no stream ended.
 * BENCH_IDLE=spread or one runs one of them; BENCH_AGENTS, BENCH_CHATBOTS, BENCH_SUBSCRIBERS
 * override the size of both.
 *
 * Setup writes each agent's last activity and a device's sign of life (a post now) straight
 * into the database (ten thousand clients cannot report at one instant); then, as an admin
 * would, each chatbot's idleAfterSeconds is changed over HTTP, which judges every member again
 * and sets each one's idle deadline. The service runs with its defaults.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const IDLE_SECONDS = 30;
const LEAD_MS = 40_000;

interface Size {
  name: 'spread' | 'one';
  agents: number;
  chatbots: number;
  subscribers: number;
  targetMs: number;
}

const SIZES: Size[] = [
  { name: 'spread', agents: 10_000, chatbots: 100, subscribers: 2_000, targetMs: 1000 },
  { name: 'one', agents: 10_000, chatbots: 1, subscribers: 100, targetMs: 1500 },
].map((size) => ({
  ...size,
  agents: Number(process.env.BENCH_AGENTS ?? size.agents),
  chatbots: Number(process.env.BENCH_CHATBOTS ?? size.chatbots),
  subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? size.subscribers),
})) as Size[];

/** A batched stream as this bench reads it: when each change arrived, and whether the server ended it. */
interface ChangeCounter {
  receipts: number[];
  ended: boolean;
  close(): void;
}

const SNAPSHOT = Buffer.from('event: snapshot');
/** Each entry of a batch frame carries its agent once, as its first field. */
const CHANGE = Buffer.from('{"agentId":"');

/**
 * Opens a stream asking for batches and records the arrival of each change, counting the
 * entries' markers in the raw bytes of each chunk (a marker split between chunks is found
 * across the seam) rather than parsing every frame: a million changes must cost the measuring
 * process little, since it shares the machine with the service it measures. It speaks HTTP/1.1
 * over a plain socket: the server writes whole frames per chunk of its chunked answer, so chunk
 * headers never fall inside a marker, and the client spends no time in an HTTP parser.
 */
function countChanges(url: string, headers: Record<string, string>): Promise<ChangeCounter> {
  return new Promise((resolve, reject) => {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    let closing = false;
    const counter: ChangeCounter = {
      receipts: [],
      ended: false,
      close: () => {
        closing = true;
        socket.destroy();
      },
    };
    let tail = Buffer.alloc(0);
    let ready = false;
    socket.on('connect', () => {
      const lines = [
        `GET ${pathname}?batch=true HTTP/1.1`,
        `host: ${hostname}:${port}`,
        'accept: text/event-stream',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('error', (error) => (ready ? (counter.ended = true) : reject(error)));
    // Ended by the server (a clean end, or the connection cut) before the bench closed it.
    socket.on('close', () => {
      if (!closing) counter.ended = true;
    });
    socket.on('data', (chunk: Buffer) => {
      const at = performance.now();
      if (!ready) {
        const bytes = Buffer.concat([tail, chunk]);
        if (bytes.length >= 12 && !bytes.subarray(0, 12).toString().startsWith('HTTP/1.1 200')) return reject(new Error(`stream answered ${bytes.subarray(0, 40).toString()}`));
        const start = bytes.indexOf(SNAPSHOT);
        const end = start < 0 ? -1 : bytes.indexOf('\n\n', start);
        if (end < 0) {
          tail = bytes;
          return;
        }
        ready = true;
        resolve(counter);
        tail = Buffer.alloc(0);
        chunk = bytes.subarray(end + 2);
      }
      if (tail.length > 0 && Buffer.concat([tail, chunk.subarray(0, CHANGE.length - 1)]).indexOf(CHANGE) >= 0) counter.receipts.push(at);
      for (let i = chunk.indexOf(CHANGE); i >= 0; i = chunk.indexOf(CHANGE, i + CHANGE.length)) counter.receipts.push(at);
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - (CHANGE.length - 1))));
    });
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

interface Seeded {
  dir: string;
  dbPath: string;
  chatbots: Array<{ id: string; admin: string; watchers: string[] }>;
}

/** C chatbots of N/C agents each, an admin key and a watcher key per 20 subscribers each. */
async function seed(size: Size): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-agents-idle-'));
  const dbPath = join(dir, 'seed.db');
  const database = await openDatabase(dbPath);
  const services = createServices(database, loadConfig({ DATABASE_URL: dbPath }), Date.now);
  const chatbots: Seeded['chatbots'] = [];
  const perChatbot = Math.ceil(size.subscribers / size.chatbots);
  for (let c = 0; c < size.chatbots; c++) {
    const chatbot = await services.tenancy.createChatbot(CLI, { name: `Bench ${c}` });
    const agents = Math.floor(size.agents / size.chatbots) + (c < size.agents % size.chatbots ? 1 : 0);
    for (let i = 0; i < agents; i++) await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${c}.${i}` });
    const admin = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.edit'] })).key;
    // A key holds at most 20 streams: one key per 20 subscribers, as that many consoles would.
    const watchers: string[] = [];
    for (let i = 0; i < Math.ceil(perChatbot / 20); i++) {
      watchers.push((await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list'] })).key);
    }
    chatbots.push({ id: chatbot.id, admin, watchers });
  }
  await database.close();
  return { dir, dbPath, chatbots };
}

/** One run on a fresh copy of the seeded database: the slowest subscriber's time to every change, and how many streams ended. */
async function run(size: Size, seeded: Seeded, index: number): Promise<{ slowest: number; median: number; missing: number; ended: number }> {
  const dbPath = join(seeded.dir, `run-${index}.db`);
  copyFileSync(seeded.dbPath, dbPath);
  // Their last activity at one instant; alive (a device posted now) and chosen online.
  const idleAt = Date.now() + LEAD_MS;
  const lastActive = idleAt - IDLE_SECONDS * 1000;
  const database = await openDatabase(dbPath);
  await sql`INSERT INTO presence (chatbot_id, agent_id, online, client_ts, updated_at, last_seen_at, last_active_at)
            SELECT chatbot_id, agent_id, 1, 0, ${Date.now()}, ${Date.now()}, ${lastActive} FROM memberships`.execute(database.db);
  await sql`INSERT INTO device_liveness (chatbot_id, agent_id, key_id, posted_at) SELECT chatbot_id, agent_id, 'browser', ${Date.now()} FROM memberships`.execute(database.db);
  await database.close();

  // BENCH_CPU_PROF_DIR: the service writes a CPU profile there (node --cpu-prof) to say where the time goes.
  const profile = [
    ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
  ];
  const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening', profile);
  const subscribers: ChangeCounter[] = [];
  try {
    for (const chatbot of seeded.chatbots) {
      const patch = await fetch(`${service.url}/v1/chatbots/${chatbot.id}`, {
        method: 'PATCH',
        headers: { 'x-chatcaptain-key': chatbot.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ idleAfterSeconds: IDLE_SECONDS }),
      });
      if (patch.status !== 200) throw new Error(`PATCH chatbot answered ${patch.status}: ${await patch.text()}`);
    }
    // Subscriber i watches chatbot i mod C, with that chatbot's (i div C)-th key slot.
    const chatbotOf = (i: number) => seeded.chatbots[i % size.chatbots]!;
    const expected = (i: number) => Math.floor(size.agents / size.chatbots) + (i % size.chatbots < size.agents % size.chatbots ? 1 : 0);
    subscribers.push(
      ...(await subscribeMany(
        size.subscribers,
        (i) => `${service.url}/v1/inbox/${chatbotOf(i).id}/agents/online/stream`,
        (i) => ({ 'x-chatcaptain-key': chatbotOf(i).watchers[Math.floor(Math.floor(i / size.chatbots) / 20)]! }),
        countChanges,
      )),
    );
    const before = subscribers.map((subscriber) => subscriber.receipts.length);
    if (Date.now() > idleAt - 1000) throw new Error('setup took longer than the lead; raise LEAD_MS');
    const idlePerf = performance.now() + (idleAt - Date.now());
    const deadline = idleAt + 60_000;
    while (Date.now() < deadline && subscribers.some((subscriber, i) => subscriber.receipts.length - before[i]! < expected(i) && !subscriber.ended))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const complete = subscribers.map((subscriber, i) => {
      const own = subscriber.receipts.slice(before[i]!);
      return own.length >= expected(i) ? own[expected(i) - 1]! - idlePerf : Number.POSITIVE_INFINITY;
    });
    const finite = complete.filter(Number.isFinite);
    return {
      slowest: finite.length === complete.length ? Math.max(...finite) : Number.POSITIVE_INFINITY,
      median: finite.length > 0 ? percentile(finite, 50) : Number.POSITIVE_INFINITY,
      missing: complete.length - finite.length,
      ended: subscribers.filter((subscriber) => subscriber.ended).length,
    };
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    await service.stop();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
  }
}

export async function runIdleBench(): Promise<boolean> {
  console.log(`inbox-agents idle benchmark — ${machine()}`);
  console.log(`agents going idle at one moment, batched subscribers (?batch=true), default settings, ${RUNS} runs per size\n`);
  let met = true;
  for (const size of SIZES.filter((candidate) => !process.env.BENCH_IDLE || process.env.BENCH_IDLE === candidate.name)) {
    const started = performance.now();
    const seeded = await seed(size);
    console.log(
      `${size.name}: ${size.agents} agents in ${size.chatbots} chatbot(s), ${size.subscribers} subscribers (seeded in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
    console.log('| run | slowest subscriber, ms | median subscriber, ms | missing | streams ended |');
    console.log('|---|---|---|---|---|');
    const results = [];
    try {
      for (let i = 1; i <= RUNS; i++) {
        const result = await run(size, seeded, i);
        results.push(result);
        console.log(`| ${i} | ${result.slowest.toFixed(0)} | ${result.median.toFixed(0)} | ${result.missing} | ${result.ended} |`);
      }
    } finally {
      rmSync(seeded.dir, { recursive: true, force: true });
    }
    const slowest = results.map((result) => result.slowest);
    const ok = results.every((result) => result.slowest <= size.targetMs && result.missing === 0 && result.ended === 0);
    console.log(
      `median of the slowest: ${percentile(slowest, 50).toFixed(0)} ms; worst run ${Math.max(...slowest).toFixed(0)} ms; target ${size.targetMs} ms in every run: ${ok ? 'met' : 'missed'}\n`,
    );
    if (!ok) met = false;
  }
  return met;
}
