import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DeadlineSchedule } from '../src/presence/deadlines.js';
import { machine, seedChatbot, SERVICE_ENTRY, startProcess } from './harness.js';

/**
 * The stream benchmark (npm run bench -- stream): 2,000 subscribers on one chatbot, 200 status
 * changes spread over 10 s; the delay from each update's response to each subscriber's receipt,
 * events lost, and server RSS per idle connection at 2,000 and 10,000 connections. The same
 * run measures a bare node:http SSE broadcaster sending the same bytes.
 */
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
const MANY = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const UPDATES = 200;
const SPREAD_MS = 10_000;
const AGENTS = 50;

export interface Subscriber {
  /** performance.now() of each presence frame received. */
  receipts: number[];
  ids: number[];
  close(): void;
}

/** One connection per stream, as separate browsers would hold them. */
export const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/** Opens one SSE stream and records when each presence frame arrives; resolves once the snapshot came. */
export function subscribe(url: string, headers: Record<string, string>): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const receipts: number[] = [];
    const ids: number[] = [];
    let buffer = '';
    let ready = false;
    const req = request(url, { agent, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: snapshot') && !ready) {
            ready = true;
            resolve({ receipts, ids, close: () => req.destroy() });
          } else if (frame.includes('event: presence')) {
            receipts.push(at);
            ids.push(Number(/^id: (\d+)/m.exec(frame)?.[1] ?? -1));
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens `count` streams with `open` (subscribe, or a reader of its own), 200 at a time; `url` may differ per stream. */
export async function subscribeMany<S>(
  count: number,
  url: string | ((i: number) => string),
  headersFor: (i: number) => Record<string, string>,
  open: (url: string, headers: Record<string, string>) => Promise<S>,
): Promise<S[]> {
  const urlFor = typeof url === 'string' ? () => url : url;
  const subscribers: S[] = [];
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    subscribers.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(urlFor(i + j), headersFor(i + j))))));
  }
  return subscribers;
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Result {
  name: string;
  p50: number;
  p99: number;
  max: number;
  lost: number;
  outOfOrder: number;
  rssPerConnAt2k: number;
  rssPerConnAtMany: number;
  held: number;
}

/** Runs the 200 updates against subscribers and measures; `fire(k)` performs update k and resolves at its response. */
async function runScenario(name: string, pid: number, openStreams: (count: number, offset: number) => Promise<Subscriber[]>, fire: (k: number) => Promise<void>): Promise<Result> {
  await settle(500);
  const before = rssKiB(pid);
  const subscribers = await openStreams(SUBSCRIBERS, 0);
  await settle(2000);
  const at2k = rssKiB(pid);
  const responses: number[] = [];
  const started = performance.now();
  for (let k = 0; k < UPDATES; k++) {
    const due = started + (k * SPREAD_MS) / UPDATES;
    const wait = due - performance.now();
    if (wait > 0) await settle(wait);
    await fire(k);
    responses.push(performance.now());
  }
  await settle(2000);
  const delays: number[] = [];
  let lost = 0;
  let outOfOrder = 0;
  for (const subscriber of subscribers) {
    lost += Math.max(0, UPDATES - subscriber.receipts.length);
    for (let k = 0; k < Math.min(UPDATES, subscriber.receipts.length); k++) {
      // The event can be read before the update's own response is; that counts as no delay.
      delays.push(Math.max(0, subscriber.receipts[k]! - responses[k]!));
      if (k > 0 && subscriber.ids[k]! <= subscriber.ids[k - 1]!) outOfOrder++;
    }
  }
  delays.sort((a, b) => a - b);
  const more = await openStreams(MANY - SUBSCRIBERS, SUBSCRIBERS);
  await settle(3000);
  const atMany = rssKiB(pid);
  const all = [...subscribers, ...more];
  for (const subscriber of all) subscriber.close();
  return {
    name,
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
    max: delays.at(-1) ?? Number.NaN,
    lost,
    outOfOrder,
    rssPerConnAt2k: ((at2k - before) * 1024) / SUBSCRIBERS,
    rssPerConnAtMany: ((atMany - before) * 1024) / all.length,
    held: all.length,
  };
}

/**
 * The expiry schedule at 100,000 agents: scheduling each, then moving each (as every heartbeat
 * does), then one timer firing for the agents due in one bucket.
 */
async function measureSchedule(): Promise<string> {
  const AGENT_COUNT = 100_000;
  let fired = 0;
  let firedAt = 0;
  const schedule = new DeadlineSchedule((_chatbotId, agentIds) => {
    fired += agentIds.length;
    firedAt = Date.now();
  });
  const now = Date.now();
  let t = performance.now();
  for (let i = 0; i < AGENT_COUNT; i++) schedule.schedule(`cb${i % 100}`, `ag${i}`, now + 10_000 + (i % 150) * 1000);
  const scheduleNs = ((performance.now() - t) * 1e6) / AGENT_COUNT;
  t = performance.now();
  for (let i = 0; i < AGENT_COUNT; i++) schedule.schedule(`cb${i % 100}`, `ag${i}`, now + 60_000 + (i % 150) * 1000);
  const moveNs = ((performance.now() - t) * 1e6) / AGENT_COUNT;
  // Moves 1,000 agents to a deadline 300 ms away and times the firing.
  const dueAt = Date.now() + 300;
  for (let i = 0; i < 1000; i++) schedule.schedule(`cb${i % 100}`, `ag${i}`, dueAt);
  await new Promise((resolve) => setTimeout(resolve, 800));
  schedule.stop();
  return `expiry schedule, ${AGENT_COUNT.toLocaleString('en')} agents: schedule ${scheduleNs.toFixed(0)} ns/agent, move (a heartbeat) ${moveNs.toFixed(0)} ns/agent, ${fired} due agents handed to the announcer ${(firedAt - dueAt).toFixed(0)} ms after their deadline`;
}

export async function runStreamBench(): Promise<boolean> {
  console.log(await measureSchedule());
  // 20 streams per key at most, so enough integration keys for every connection.
  const { dir, dbPath, chatbotId, agentKeys, listKeys } = await seedChatbot({ agents: AGENTS, listKeys: Math.ceil(MANY / 20) });
  const chatbot = { id: chatbotId };

  console.log(`inbox-agents stream benchmark — ${machine()}`);
  console.log(`${SUBSCRIBERS} subscribers on one chatbot of ${AGENTS} agents; ${UPDATES} status changes over ${SPREAD_MS / 1000} s; then ${MANY} idle connections\n`);

  const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening');
  const streamUrl = `${service.url}/v1/inbox/${chatbot.id}/agents/online/stream`;
  const onlineState = new Array<boolean>(AGENTS).fill(false);
  let snapshotBytes = '';
  const serviceResult = await runScenario(
    'inbox-agents stream',
    service.child.pid!,
    (count, offset) => subscribeMany(count, streamUrl, (i) => ({ 'x-chatcaptain-key': listKeys[Math.floor((offset + i) / 20)]! }), subscribe),
    async (k) => {
      const index = k % AGENTS;
      onlineState[index] = !onlineState[index];
      const response = await fetch(`${service.url}/v1/inbox/${chatbot.id}/agents/me/online`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': agentKeys[index]!, 'content-type': 'application/json' },
        body: JSON.stringify({ online: onlineState[index], clientTimestamp: String(Date.now()) }),
      });
      if (response.status !== 200) throw new Error(`update answered ${response.status}`);
      await response.arrayBuffer();
    },
  );
  // The same bytes for the baseline: a snapshot and a presence frame as the service sends them.
  const probe = await new Promise<string>((resolve) => {
    const req = request(streamUrl, { agent, headers: { 'x-chatcaptain-key': listKeys[0]! } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('event: snapshot')) {
          req.destroy();
          resolve(text);
        }
      });
    });
    req.end();
  });
  snapshotBytes = probe;
  const listed = (await (await fetch(`${service.url}/v1/inbox/${chatbot.id}/agents/online`, { headers: { 'x-chatcaptain-key': listKeys[0]! } })).json()) as { agents: unknown[] };
  const sampleData = JSON.stringify(listed.agents[0]);
  await service.stop();

  const baseline = await startProcess('bench/sse-baseline-server.ts', { BASELINE_SNAPSHOT: snapshotBytes }, 'baseline listening');
  const baselineResult = await runScenario(
    'bare node:http SSE baseline',
    baseline.child.pid!,
    (count) => subscribeMany(count, baseline.url, () => ({}), subscribe),
    async (k) => {
      const response = await fetch(`${baseline.url}/broadcast`, { method: 'POST', body: `id: ${k + 1}\nevent: presence\ndata: ${sampleData}\n\n` });
      await response.arrayBuffer();
    },
  );
  await baseline.stop();
  rmSync(dir, { recursive: true, force: true });

  const rows = [serviceResult, baselineResult];
  const header = ['', 'p50 ms', 'p99 ms', 'max ms', 'events lost', 'out of order', `RSS/conn @${SUBSCRIBERS}`, `RSS/conn @${MANY}`, 'held'];
  const cells = rows.map((r) => [
    r.name,
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    String(r.lost),
    String(r.outOfOrder),
    `${(r.rssPerConnAt2k / 1024).toFixed(1)} KiB`,
    `${(r.rssPerConnAtMany / 1024).toFixed(1)} KiB`,
    String(r.held),
  ]);
  cells.push([
    'ratio (service / baseline)',
    (serviceResult.p50 / baselineResult.p50).toFixed(2),
    (serviceResult.p99 / baselineResult.p99).toFixed(2),
    (serviceResult.max / baselineResult.max).toFixed(2),
    '',
    '',
    (serviceResult.rssPerConnAt2k / baselineResult.rssPerConnAt2k).toFixed(2),
    (serviceResult.rssPerConnAtMany / baselineResult.rssPerConnAtMany).toFixed(2),
    '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  const met = serviceResult.p99 <= 50 && serviceResult.lost === 0 && serviceResult.outOfOrder === 0 && serviceResult.rssPerConnAtMany <= 16 * 1024 && serviceResult.held === MANY;
  console.log(
    `\n${met ? 'All targets met' : 'Some targets were missed'} (p99 ≤ 50 ms at ${SUBSCRIBERS} subscribers, 0 events lost, ≤ 16 KiB RSS per idle connection, ${MANY} connections held).`,
  );
  return met;
}
