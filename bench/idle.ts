import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { CLI } from '../src/audit/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { machine, SERVICE_ENTRY, startProcess } from './harness.js';
import { agent, subscribeMany } from './stream.js';

/**
 * Many agents going idle at the same moment (npm run bench -- idle): N agents spread over C
 * chatbots, whose last activity lies at the same instant, so that their chatbots' idle time
 * runs out for all of them at once; S subscribers hold the chatbots' streams, spread evenly.
 * Measured: from that moment until each subscriber has received the idle event of every agent
 * of its chatbot.
 *
 * The default is the issue's size as a service meets it: 10,000 agents in 100 chatbots of 100
 * (a team that size per inbox), 2,000 subscribers (20 per chatbot: the agents' and
 * supervisors' consoles), so 200,000 deliveries. BENCH_AGENTS, BENCH_CHATBOTS and
 * BENCH_SUBSCRIBERS set the size; BENCH_CHATBOTS=1 puts every agent in one chatbot, where each
 * subscriber must receive all N events (N x S deliveries: 20 million at the issue's size).
 *
 * Setup writes the agents' last activity (and a heartbeat now) straight into the database
 * (ten thousand clients cannot report at one instant); then, as an admin would, each chatbot's
 * idleAfterSeconds is changed over HTTP, which judges every member again and sets each one's
 * idle deadline.
 */
const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const CHATBOTS = Number(process.env.BENCH_CHATBOTS ?? 100);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2_000);
const IDLE_SECONDS = 30;
const LEAD_MS = 40_000;

/** A stream as this bench reads it: when each presence frame arrived. */
interface FrameCounter {
  receipts: number[];
  close(): void;
}

const MARK = Buffer.from('event: presence\n');
const SNAPSHOT = Buffer.from('event: snapshot');

/**
 * Opens a stream and records the arrival of each presence frame, counting the frames' markers
 * in the raw bytes of each chunk (a marker split between chunks is found across the seam)
 * rather than decoding and parsing every frame: 200,000 frames (90 MB) must cost the measuring
 * process little, since it shares the machine with the service it measures.
 */
function countFrames(url: string, headers: Record<string, string>): Promise<FrameCounter> {
  return new Promise((resolve, reject) => {
    const receipts: number[] = [];
    let tail = Buffer.alloc(0);
    let ready = false;
    const req = request(url, { agent, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      response.on('data', (chunk: Buffer) => {
        const at = performance.now();
        if (!ready) {
          const bytes = Buffer.concat([tail, chunk]);
          const end = bytes.indexOf(SNAPSHOT);
          if (end < 0 || bytes.indexOf('\n\n', end) < 0) {
            tail = bytes;
            return;
          }
          ready = true;
          resolve({ receipts, close: () => req.destroy() });
          tail = Buffer.alloc(0);
          chunk = bytes;
        }
        // A marker across the seam: the previous chunk's last bytes and this one's first.
        if (tail.length > 0 && Buffer.concat([tail, chunk.subarray(0, MARK.length - 1)]).indexOf(MARK) >= 0) receipts.push(at);
        for (let i = chunk.indexOf(MARK); i >= 0; i = chunk.indexOf(MARK, i + MARK.length)) receipts.push(at);
        tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - (MARK.length - 1))));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

interface Seeded {
  dir: string;
  dbPath: string;
  chatbots: Array<{ id: string; admin: string; watchers: string[] }>;
}

/** C chatbots of N/C agents each, an admin key and a watcher key per 20 subscribers each. */
async function seed(): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-agents-idle-'));
  const dbPath = join(dir, 'bench.db');
  const database = await openDatabase(dbPath);
  const services = createServices(database, loadConfig({ DATABASE_URL: dbPath }), Date.now);
  const chatbots: Seeded['chatbots'] = [];
  const perChatbot = Math.ceil(SUBSCRIBERS / CHATBOTS);
  for (let c = 0; c < CHATBOTS; c++) {
    const chatbot = await services.tenancy.createChatbot(CLI, { name: `Bench ${c}` });
    const agents = Math.floor(AGENTS / CHATBOTS) + (c < AGENTS % CHATBOTS ? 1 : 0);
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

export async function runIdleBench(): Promise<boolean> {
  console.log(`inbox-agents idle benchmark — ${machine()}`);
  console.log(`${AGENTS} agents in ${CHATBOTS} chatbot(s) going idle at one moment, ${SUBSCRIBERS} stream subscribers\n`);
  const started = performance.now();
  const seeded = await seed();
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  // Their last activity at one instant; alive (a heartbeat now) and chosen online.
  const idleAt = Date.now() + LEAD_MS;
  const lastActive = idleAt - IDLE_SECONDS * 1000;
  const database = await openDatabase(seeded.dbPath);
  await sql`INSERT INTO presence (chatbot_id, agent_id, online, client_ts, updated_at, last_seen_at, last_active_at)
            SELECT chatbot_id, agent_id, 1, 0, ${Date.now()}, ${Date.now()}, ${lastActive} FROM memberships`.execute(database.db);
  await database.close();

  // BENCH_CPU_PROF_DIR: the service writes a CPU profile there (node --cpu-prof) to say where the time goes.
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: seeded.dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening', profile);
  const subscribers: FrameCounter[] = [];
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
    const chatbotOf = (i: number) => seeded.chatbots[i % CHATBOTS]!;
    const expected = (i: number) => Math.floor(AGENTS / CHATBOTS) + (i % CHATBOTS < AGENTS % CHATBOTS ? 1 : 0);
    subscribers.push(
      ...(await subscribeMany(
        SUBSCRIBERS,
        (i) => `${service.url}/v1/inbox/${chatbotOf(i).id}/agents/online/stream`,
        (i) => ({ 'x-chatcaptain-key': chatbotOf(i).watchers[Math.floor(Math.floor(i / CHATBOTS) / 20)]! }),
        countFrames,
      )),
    );
    const before = subscribers.map((subscriber) => subscriber.receipts.length);
    console.log(`${SUBSCRIBERS} streams open ${((idleAt - Date.now()) / 1000).toFixed(1)} s before the idle moment`);
    if (Date.now() > idleAt - 1000) throw new Error('setup took longer than the lead; raise LEAD_MS');
    const idlePerf = performance.now() + (idleAt - Date.now());
    const deadline = idleAt + 60_000;
    while (Date.now() < deadline && subscribers.some((subscriber, i) => subscriber.receipts.length - before[i]! < expected(i))) await new Promise((resolve) => setTimeout(resolve, 100));
    const complete = subscribers.map((subscriber, i) => {
      const own = subscriber.receipts.slice(before[i]!);
      return own.length >= expected(i) ? own[expected(i) - 1]! - idlePerf : Number.POSITIVE_INFINITY;
    });
    const first = subscribers.map((subscriber, i) => (subscriber.receipts[before[i]!] ?? Number.POSITIVE_INFINITY) - idlePerf);
    const missing = complete.filter((value) => !Number.isFinite(value)).length;
    const finite = complete.filter(Number.isFinite);
    console.log('| measure | ms after the idle moment |');
    console.log('|---|---|');
    console.log(`| first idle event at any subscriber | ${Math.min(...first).toFixed(0)} |`);
    console.log(`| first idle event at a subscriber (median) | ${percentile(first, 50).toFixed(0)} |`);
    if (finite.length > 0) {
      console.log(`| every event of its chatbot at a subscriber, median subscriber | ${percentile(finite, 50).toFixed(0)} |`);
      console.log(`| every event at every subscriber (slowest) | ${Math.max(...finite).toFixed(0)} |`);
    }
    const counts = subscribers.map((subscriber, i) => subscriber.receipts.length - before[i]!);
    const deliveries = counts.reduce((sum, count) => sum + count, 0);
    console.log(`\nevents delivered: ${deliveries}; subscribers missing events after 60 s: ${missing}; per subscriber: median ${percentile(counts, 50)}, least ${Math.min(...counts)}`);
    const met = missing === 0 && finite.length > 0 && Math.max(...finite) <= 1000;
    console.log(met ? 'Target met (all announced within 1 s).' : 'Target missed: not every subscriber had every event within 1 s.');
    return met;
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    await service.stop();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}
