import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { SERVICE_ENTRY, startProcess } from './harness.js';

/**
 * A working day, compressed (npm run bench -- queue, its second part): one chatbot of 10 agents
 * (maxChats 2) on SQLite at default settings, chats arriving as a Poisson process a little
 * faster than the team handles them, each held for a log-normal time (median 20 s) and then
 * released, agents stepping away and coming back. Every chat asks with wait: true; for each one
 * that waited, the estimate it was given at arrival (estimatedWaitSeconds) is set against the
 * wait it really had (its assignment.created on the stream, assignedAt − arrivedAt). The first
 * quarter of the day is a warm-up (the chatbot has no handle times yet) and is not counted.
 * Target: the median of |estimate − real wait| at most 25 % of the median real wait.
 */
const AGENTS = 10;
const MAX_CHATS = 2;
const DAY_SECONDS = Number(process.env.BENCH_QUEUE_DAY_SECONDS ?? 240);
const HANDLE_MEDIAN_SECONDS = 20;
const HANDLE_SIGMA = 0.5;
/** Arrivals per second: the team handles about AGENTS × MAX_CHATS / mean handle time. */
const ARRIVALS_PER_SECOND = ((AGENTS * MAX_CHATS) / (HANDLE_MEDIAN_SECONDS * Math.exp((HANDLE_SIGMA * HANDLE_SIGMA) / 2))) * 1.1;
const TARGET = 0.25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A standard normal draw (Box–Muller). */
const normal = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const exponential = (rate: number) => -Math.log(1 - Math.random()) / rate;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

export async function runQueueDay(): Promise<boolean> {
  const databaseUrl = join(mkdtempSync(join(tmpdir(), 'inbox-agents-day-')), 'bench.db');
  const database = await openDatabase(databaseUrl);
  const services = createServices(database, loadConfig({ DATABASE_URL: databaseUrl }), Date.now);
  const chatbot = await services.tenancy.createChatbot(CLI, { name: 'A day' });
  const key = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list', 'chatbots.inbox.assignments.*'] })).key;
  const agentKeys: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const agent = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${i}` });
    agentKeys.push((await services.keys.createAgentKey(CLI, { agentId: agent.id, name: 'browser' })).key);
    await services.availabilityInputs.setCapacity(chatbot.id, agent.id, { maxChats: MAX_CHATS, clientTimestamp: String(Date.now()) });
  }
  await database.close();
  const server = await startProcess(SERVICE_ENTRY, { PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl }, 'inbox-agents listening');
  const base = server.url;
  const headers = { 'x-chatcaptain-key': key, 'content-type': 'application/json' };
  const status = (agent: number, value: 'available' | 'away') =>
    fetch(`${base}/v1/inbox/${chatbot.id}/agents/me/status`, {
      method: 'POST',
      headers: { 'x-chatcaptain-key': agentKeys[agent]!, 'content-type': 'application/json' },
      body: JSON.stringify({ status: value, clientTimestamp: String(Date.now()) }),
    }).then((response) => response.arrayBuffer());
  const alive = () =>
    Promise.all(
      agentKeys.map((agentKey) =>
        fetch(`${base}/v1/inbox/${chatbot.id}/agents/me/online`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': agentKey, 'content-type': 'application/json' },
          body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
        }).then((response) => response.arrayBuffer()),
      ),
    );

  // Each chat's assignment as the stream says it, and its release after the handle time.
  const assigned = new Map<string, { arrivedAt: number; assignedAt: number }>();
  let buffer = '';
  const stream = await new Promise<() => void>((resolve, reject) => {
    const req = request(`${base}/v1/inbox/${chatbot.id}/agents/online/stream`, { headers: { accept: 'text/event-stream', 'x-chatcaptain-key': key } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: snapshot')) resolve(() => req.destroy());
          if (!frame.includes('event: assignment.created')) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as { conversationId: string; arrivedAt: string; assignedAt: string };
          assigned.set(data.conversationId, { arrivedAt: Date.parse(data.arrivedAt), assignedAt: Date.parse(data.assignedAt) });
          const handle = HANDLE_MEDIAN_SECONDS * Math.exp(HANDLE_SIGMA * normal()) * 1000;
          setTimeout(() => void fetch(`${base}/v1/inbox/${chatbot.id}/assignments/${data.conversationId}`, { method: 'DELETE', headers: { 'x-chatcaptain-key': key } }), handle);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });

  const estimates = new Map<string, { estimate: number | null; counted: boolean }>();
  let next = 0;
  try {
    await alive();
    for (let agent = 0; agent < AGENTS; agent++) await status(agent, 'available');
    const keepAlive = setInterval(() => void alive(), 30_000);
    // Agents step away now and then (one at a time, for 15–45 s) and come back.
    let away = -1;
    const breaks = setInterval(() => {
      if (away >= 0) void status(away, 'available');
      away = Math.random() < 0.5 ? Math.floor(Math.random() * AGENTS) : -1;
      if (away >= 0) void status(away, 'away');
    }, 30_000);
    const started = Date.now();
    const warmUp = started + (DAY_SECONDS * 1000) / 4;
    while (Date.now() < started + DAY_SECONDS * 1000) {
      await sleep(exponential(ARRIVALS_PER_SECOND) * 1000);
      const conversationId = `day-${next++}`;
      const counted = Date.now() >= warmUp;
      void fetch(`${base}/v1/inbox/${chatbot.id}/assignments`, { method: 'POST', headers, body: JSON.stringify({ conversationId, wait: true }) }).then(async (response) => {
        const body = (await response.json()) as { estimatedWaitSeconds?: number | null };
        if (response.status === 202) estimates.set(conversationId, { estimate: body.estimatedWaitSeconds ?? null, counted });
      });
    }
    clearInterval(breaks);
    clearInterval(keepAlive);
    // The last ones that waited get their agents.
    const until = Date.now() + 120_000;
    while (Date.now() < until && [...estimates.keys()].some((id) => !assigned.has(id))) await sleep(500);
  } finally {
    stream();
    await server.stop();
  }

  const pairs = [...estimates.entries()]
    .filter(([id, item]) => item.counted && item.estimate !== null && assigned.has(id))
    .map(([id, item]) => {
      const chat = assigned.get(id)!;
      return { estimate: item.estimate!, real: (chat.assignedAt - chat.arrivedAt) / 1000 };
    });
  const realMedian = median(pairs.map((pair) => pair.real));
  const errorMedian = median(pairs.map((pair) => Math.abs(pair.estimate - pair.real)));
  const ratio = errorMedian / realMedian;
  const met = pairs.length >= 30 && ratio <= TARGET;
  console.log(
    `\nA working day of ${DAY_SECONDS} s on SQLite: ${AGENTS} agents × maxChats ${MAX_CHATS}, Poisson arrivals (${ARRIVALS_PER_SECOND.toFixed(2)}/s), log-normal handle times (median ${HANDLE_MEDIAN_SECONDS} s), agents stepping away`,
  );
  console.log(
    `  ${next} chats, ${estimates.size} waited, ${pairs.length} counted after the warm-up; median real wait ${realMedian.toFixed(1)} s, median |estimate − real| ${errorMedian.toFixed(1)} s = ${(ratio * 100).toFixed(0)} % (target ≤ ${TARGET * 100} %); ${met ? 'met' : 'MISSED'}`,
  );
  return met;
}
