import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { cpuOfProcesses, machine, SERVICE_ENTRY, startProcess, type Started } from './harness.js';
import { runOfferStorm } from './offer-storm.js';
import { runQueueDay } from './queue-day.js';

/**
 * The opening burst (npm run bench -- queue), the service at its defaults in its own processes:
 * 10,000 chats wait over 100 chatbots (100 each, asked with wait: true while the team is outside
 * its working hours), 2,000 agents (20 per chatbot, maxChats 5) alive and waiting for their
 * hours; the hours open at a minute's turn. Every chat must be assigned, and its
 * assignment.created on the chatbot's stream (one subscriber per chatbot), within 2 s of the
 * opening on SQLite and within 5 s on PostgreSQL with two instances (Redis between them; the
 * streams split over both). Nobody may be over maxChats. The agents have no push devices, so
 * no push is sent: the push bench measures delivery.
 *
 * Needs PostgreSQL (BENCH_POSTGRES_URL) and Redis (BENCH_REDIS_URL) for the second part. Then
 * a working day measures the estimated wait against the real one (queue-day.ts), and the offer
 * storm (offer-storm.ts) how fast 10,000 lapsed offers move on.
 */
const CHATBOTS = Number(process.env.BENCH_QUEUE_CHATBOTS ?? 100);
const AGENTS_PER_CHATBOT = 20;
const MAX_CHATS = 5;
const CHATS_PER_CHATBOT = AGENTS_PER_CHATBOT * MAX_CHATS;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGETS = { sqlite: 2, postgres: 5 };

/**
 * Hours closed now: 23:58 to 23:59 every day. The agents went online yesterday at 23:58:30,
 * inside these hours and inside the hours the bench then opens (from the next minute to 24:00),
 * as a team that worked yesterday: a choice made outside the hours would override them.
 */
const CLOSED_NOW = (() => {
  const opening = [{ from: '23:58', to: '23:59' }];
  const today = new Date();
  return {
    hours: { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, opening])) },
    openYesterday: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 23, 58, 30),
  };
})();

interface Team {
  chatbotId: string;
  /** May edit the chatbot (its hours), list its agents (the stream) and assign. */
  key: string;
  agentKeys: string[];
}

/** The chatbots, their agents (alive, maxChats 5, outside their hours: closed every day), and the waiting chats. */
async function seed(databaseUrl: string): Promise<Team[]> {
  const database = await openDatabase(databaseUrl);
  // The agents went online during yesterday's hours (a choice made outside them would override them today).
  let clock: number | null = CLOSED_NOW.openYesterday;
  const services = createServices(database, loadConfig({ DATABASE_URL: databaseUrl }), () => clock ?? Date.now());
  const teams: Team[] = [];
  for (let c = 0; c < CHATBOTS; c++) {
    const chatbot = await services.tenancy.createChatbot(CLI, { name: `Queue ${c}` });
    await services.tenancy.updateChatbot(CLI, chatbot.id, { workingHours: CLOSED_NOW.hours });
    const key = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.edit', 'chatbots.inbox.agents.list', 'chatbots.inbox.assignments.*'] }))
      .key;
    const team: Team = { chatbotId: chatbot.id, key, agentKeys: [] };
    for (let i = 0; i < AGENTS_PER_CHATBOT; i++) {
      const agent = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${c}.${i}` });
      const agentKey = await services.keys.createAgentKey(CLI, { agentId: agent.id, name: 'browser' });
      team.agentKeys.push(agentKey.key);
      await services.presence.setOwnStatus(chatbot.id, agent.id, agentKey.id, { online: true, clientTimestamp: clock! });
      await services.availabilityInputs.setCapacity(chatbot.id, agent.id, { maxChats: MAX_CHATS, clientTimestamp: String(clock) });
    }
    teams.push(team);
  }
  clock = null;
  // The chats of every chatbot arrive together (units of work take them in batches).
  await Promise.all(
    teams.map(async (team) => {
      for (let i = 0; i < CHATS_PER_CHATBOT; i++) {
        const result = await services.assignments.assign(CLI, team.chatbotId, { conversationId: `visitor-${i}`, wait: true });
        if (!('waiting' in result)) throw new Error(`a chat was not put in the queue: ${JSON.stringify(result)}`);
      }
    }),
  );
  await database.close();
  return teams;
}

/** Every agent's client reports activity every 30 s, as an open console does (a sign of life that is no choice of status). */
function keepAlive(urls: string[], teams: Team[]): () => void {
  const agents = teams.flatMap((team, t) => team.agentKeys.map((key) => ({ url: urls[t % urls.length]!, chatbotId: team.chatbotId, key })));
  const report = (agent: (typeof agents)[number]) =>
    void fetch(`${agent.url}/v1/inbox/${agent.chatbotId}/agents/me/activity`, { method: 'POST', headers: { 'x-chatcaptain-key': agent.key } })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
  // Everyone once now; then each agent's client every 30 s on its own schedule, spread over the
  // 30 s as real clients are (not 2,000 reports in the same instant).
  for (const agent of agents) report(agent);
  const TICK_MS = 100;
  const perTick = Math.ceil(agents.length / (30_000 / TICK_MS));
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) report(agents[next++ % agents.length]!);
  }, TICK_MS);
  return () => clearInterval(timer);
}

/** A chatbot's stream, keeping the wall-clock time each assignment.created arrived. */
function watch(url: string, team: Team): Promise<{ created: number[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const created: number[] = [];
    let buffer = '';
    const req = request(`${url}/v1/inbox/${team.chatbotId}/agents/online/stream`, { headers: { accept: 'text/event-stream', 'x-chatcaptain-key': team.key } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const at = Date.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: snapshot')) resolve({ created, close: () => req.destroy() });
          else if (frame.includes('event: assignment.created')) created.push(at);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The next turn of a minute at least `lead` ms away, as the time of day "HH:MM" (UTC). */
function nextOpening(lead: number): { at: number; from: string } {
  let at = Math.ceil((Date.now() + lead) / 60_000) * 60_000;
  // Midnight would open a "00:00"–"24:00" day at once: take the next minute.
  if (new Date(at).getUTCHours() === 0 && new Date(at).getUTCMinutes() === 0) at += 60_000;
  const date = new Date(at);
  return { at, from: `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}` };
}

/** Opens the hours of every chatbot at the next minute's turn and measures until every chat's event arrived. */
async function burst(label: string, servers: Started[], teams: Team[], countAssigned: () => Promise<{ assigned: number; over: number }>, target: number): Promise<boolean> {
  const urls = servers.map((server) => server.url);
  const pids = servers.map((server) => server.child.pid!);
  const streams = await Promise.all(teams.map((team, t) => watch(urls[t % urls.length]!, team)));
  const stop = keepAlive(urls, teams);
  try {
    const opening = nextOpening(20_000);
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const weekly = Object.fromEntries(days.map((day) => [day, [{ from: opening.from, to: '24:00' }]]));
    for (const [t, team] of teams.entries()) {
      const answer = await fetch(`${urls[t % urls.length]}/v1/chatbots/${team.chatbotId}`, {
        method: 'PATCH',
        headers: { 'x-chatcaptain-key': team.key, 'content-type': 'application/json' },
        body: JSON.stringify({ workingHours: { timeZone: 'UTC', weekly } }),
      });
      if (answer.status !== 200) throw new Error(`setting the working hours answered ${answer.status}: ${await answer.text()}`);
    }
    const total = teams.length * CHATS_PER_CHATBOT;
    console.log(`${label}: ${total} chats waiting over ${teams.length} chatbots; the hours open at ${new Date(opening.at).toISOString()}`);
    // The servers' CPU from a second before the opening to the last event (read from /proc).
    while (Date.now() < opening.at - 1000) await new Promise((resolve) => setTimeout(resolve, 50));
    const cpuBefore = cpuOfProcesses(pids);
    const deadline = opening.at + 30_000;
    while (Date.now() < deadline && streams.reduce((sum, stream) => sum + stream.created.length, 0) < total) await new Promise((resolve) => setTimeout(resolve, 50));
    const arrived = streams.flatMap((stream) => stream.created);
    const last = arrived.length === 0 ? Number.NaN : (Math.max(...arrived) - opening.at) / 1000;
    const cpuMsPerChat = ((cpuOfProcesses(pids) - cpuBefore) * 1000) / total;
    const { assigned, over } = await countAssigned();
    const met = arrived.length === total && assigned === total && over === 0 && last <= target;
    console.log(
      `  assigned ${assigned} of ${total}; events on the streams ${arrived.length}; the last ${last.toFixed(2)} s after the opening (target ≤ ${target} s); agents over maxChats ${over}; service CPU ${cpuMsPerChat.toFixed(3)} ms per chat (with the agents' keep-alive reports meanwhile); ${met ? 'met' : 'MISSED'}`,
    );
    return met;
  } finally {
    stop();
    for (const stream of streams) stream.close();
  }
}

export async function runQueueBench(): Promise<boolean> {
  console.log(`inbox-agents opening-burst benchmark — ${machine()}`);
  console.log(`${CHATBOTS} chatbots × ${AGENTS_PER_CHATBOT} agents (maxChats ${MAX_CHATS}), ${CHATS_PER_CHATBOT} chats waiting in each; default settings\n`);
  const started: Started[] = [];
  const start = async (env: Record<string, string>) => {
    // BENCH_CPU_PROF_DIR: each service process writes a CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const server = await startProcess(SERVICE_ENTRY, { PORT: '0', LOG_LEVEL: 'info', ...env }, 'inbox-agents listening', profile);
    started.push(server);
    return server;
  };
  let met = true;
  // BENCH_QUEUE_ONLY=day: the working day alone.
  if (process.env.BENCH_QUEUE_ONLY === 'day') return runQueueDay();
  // BENCH_QUEUE_ONLY=offers: the offer storm alone (offers-sqlite: its SQLite half).
  if (process.env.BENCH_QUEUE_ONLY?.startsWith('offers')) return runOfferStorm();
  try {
    const sqliteUrl = join(mkdtempSync(join(tmpdir(), 'inbox-agents-queue-')), 'bench.db');
    const teams = await seed(sqliteUrl);
    const lite = await start({ DATABASE_URL: sqliteUrl });
    const sqliteCount = async () => {
      const database = await openDatabase(sqliteUrl);
      try {
        const rows = await database.db
          .selectFrom('assignments')
          .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('agent_id')
          .execute();
        return { assigned: rows.reduce((sum, row) => sum + Number(row.n), 0), over: rows.filter((row) => Number(row.n) > MAX_CHATS).length };
      } finally {
        await database.close();
      }
    };
    met = (await burst('SQLite, 1 instance', [lite], teams, sqliteCount, TARGETS.sqlite)) && met;
    await lite.stop();
    started.pop();
  } finally {
    for (const server of started) await server.stop();
  }

  // BENCH_QUEUE_ONLY=sqlite: the first part alone (a profile of it).
  if (process.env.BENCH_QUEUE_ONLY === 'sqlite') return met;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin`select 1`.catch((error: Error) => {
    throw new Error(`the queue bench needs PostgreSQL at ${ADMIN_URL} (set BENCH_POSTGRES_URL): ${error.message}`);
  });
  const name = `inbox_agents_queue_${Date.now().toString(36)}`;
  await admin`CREATE DATABASE ${admin(name)}`;
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${name}`;
  try {
    const teams = await seed(pgUrl.toString());
    const env = { DATABASE_URL: pgUrl.toString(), REDIS_URL };
    const first = await start(env);
    const second = await start(env);
    const db = postgres(pgUrl.toString(), { max: 1 });
    const pgCount = async () => {
      const rows = await db<Array<{ n: string }>>`select count(*) as n from assignments group by agent_id`;
      return { assigned: rows.reduce((sum, row) => sum + Number(row.n), 0), over: rows.filter((row) => Number(row.n) > MAX_CHATS).length };
    };
    met = (await burst('PostgreSQL, 2 instances', [first, second], teams, pgCount, TARGETS.postgres)) && met;
    await db.end();
  } finally {
    for (const server of started) await server.stop();
    await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.catch(() => undefined);
    await admin.end();
  }
  met = (await runQueueDay()) && met;
  return (await runOfferStorm()) && met;
}
