import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { cpuOfProcesses, SERVICE_ENTRY, startProcess, type Started } from './harness.js';

/**
 * The offer storm (part of npm run bench -- queue; BENCH_QUEUE_ONLY=offers for it alone), the
 * service at its defaults in its own processes: 10,000 chats offered over 100 chatbots (20
 * agents each, maxChats 5, offerTimeoutSeconds 30, awayAfterMissedOffers the default 1), all
 * lapsing within the same second, nobody answering. A few seconds before the deadline 5 more
 * agents per chatbot come online (maxChats 5), so each chatbot's 100 missed chats are partly
 * offered to them (25) and partly returned to the queue (75), and all 2,000 agents who missed
 * are set away. Every chat must move on (its assignment.offer_missed, then its
 * assignment.offered or assignment.waiting on the chatbot's stream, one subscriber per chatbot)
 * within 1 s of its deadline on SQLite and within 2 s on PostgreSQL with two instances.
 *
 * The bare baseline, in the same run: one chatbot whose single offer lapses alone 10 s before
 * the storm, measured the same way; the storm's lag over it is the price of 10,000 at once.
 */
const CHATBOTS = Number(process.env.BENCH_QUEUE_CHATBOTS ?? 100);
const AGENTS = 20;
const SPARE = 5;
const MAX_CHATS = 5;
const CHATS = AGENTS * MAX_CHATS;
const TIMEOUT_SECONDS = 30;
const TARGETS = { sqlite: 1, postgres: 2 };
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Team {
  chatbotId: string;
  key: string;
  /** The spare agents' keys: they come online before the deadline. */
  spareKeys: string[];
  /** Each chat's deadline. */
  deadlines: Map<string, number>;
}

/**
 * The chatbots, their agents and the offers, made in this process on a clock set ahead to `at`
 * (so every offer's deadline, `at` + 30 s, comes after the services started); the baseline
 * chatbot's one offer 10 s earlier.
 */
async function seed(databaseUrl: string, at: number): Promise<{ teams: Team[]; baseline: Team }> {
  const database = await openDatabase(databaseUrl);
  let clock = at;
  const services = createServices(database, loadConfig({ DATABASE_URL: databaseUrl }), () => clock);
  const make = async (name: string, agents: number, spare: number, chats: number, offeredAt: number): Promise<Team> => {
    clock = offeredAt;
    const chatbot = await services.tenancy.createChatbot(CLI, { name });
    await services.tenancy.updateChatbot(CLI, chatbot.id, { offerTimeoutSeconds: TIMEOUT_SECONDS });
    const key = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list', 'chatbots.inbox.assignments.*'] })).key;
    const team: Team = { chatbotId: chatbot.id, key, spareKeys: [], deadlines: new Map() };
    for (let i = 0; i < agents + spare; i++) {
      const agent = await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: `Agent ${name}.${i}` });
      const agentKey = await services.keys.createAgentKey(CLI, { agentId: agent.id, name: 'browser' });
      await services.availabilityInputs.setCapacity(chatbot.id, agent.id, { maxChats: MAX_CHATS, clientTimestamp: String(clock) });
      if (i >= agents) team.spareKeys.push(agentKey.key);
      else await services.presence.setOwnStatus(chatbot.id, agent.id, agentKey.id, { online: true, clientTimestamp: clock });
    }
    for (let i = 0; i < chats; i++) {
      const result = await services.assignments.assign(CLI, chatbot.id, { conversationId: `visitor-${i}` });
      if (!('created' in result) || result.created.offerExpiresAt === null) throw new Error(`a chat was not offered: ${JSON.stringify(result)}`);
      team.deadlines.set(`visitor-${i}`, Date.parse(result.created.offerExpiresAt));
    }
    return team;
  };
  const baseline = await make('Baseline', 1, 0, 1, at - 10_000);
  const teams: Team[] = [];
  for (let c = 0; c < CHATBOTS; c++) teams.push(await make(`Storm ${c}`, AGENTS, SPARE, CHATS, at));
  await services.assignments.tellsSettled();
  await database.close();
  return { teams, baseline };
}

/** A chatbot's stream: when each chat's offer was announced missed, and when it moved on (offered again, or waiting). */
function watch(url: string, team: Team): Promise<{ missed: Map<string, number>; movedOn: Map<string, number>; serverLag: number[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const missed = new Map<string, number>();
    const movedOn = new Map<string, number>();
    const serverLag: number[] = [];
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
          const type = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (type === 'snapshot') resolve({ missed, movedOn, serverLag, close: () => req.destroy() });
          if (!data || !type?.startsWith('assignment.')) continue;
          const event = JSON.parse(data) as { conversationId: string; missedAt?: string };
          if (type === 'assignment.offer_missed') {
            missed.set(event.conversationId, at);
            serverLag.push(Date.parse(event.missedAt!) - team.deadlines.get(event.conversationId)!);
          } else if ((type === 'assignment.offered' || type === 'assignment.waiting') && missed.has(event.conversationId)) movedOn.set(event.conversationId, at);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Waits for the storm's deadline and measures every chat's move, from outside the services. */
async function storm(label: string, servers: Started[], teams: Team[], baseline: Team, target: number, counts: () => Promise<{ offered: number; waiting: number; away: number }>) {
  const urls = servers.map((server) => server.url);
  const pids = servers.map((server) => server.child.pid!);
  const all = [baseline, ...teams];
  const streams = await Promise.all(all.map((team, t) => watch(urls[t % urls.length]!, team)));
  try {
    const deadline = Math.max(...teams.flatMap((team) => [...team.deadlines.values()]));
    const first = Math.min(...teams.flatMap((team) => [...team.deadlines.values()]));
    console.log(`${label}: ${teams.length * CHATS} offers lapse between ${new Date(first).toISOString()} and ${new Date(deadline).toISOString()}`);
    // The spare agents come online, 10 s before the storm (their devices stay alive for the TTL).
    while (Date.now() < first - 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(
      teams.flatMap((team, t) =>
        team.spareKeys.map(async (key) => {
          const answer = await fetch(`${urls[t % urls.length]}/v1/inbox/${team.chatbotId}/agents/me/online`, {
            method: 'POST',
            headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
            body: JSON.stringify({ online: true, clientTimestamp: Date.now() }),
          });
          if (answer.status !== 200) throw new Error(`a spare agent's online answered ${answer.status}`);
        }),
      ),
    );
    while (Date.now() < first - 1000) await new Promise((resolve) => setTimeout(resolve, 50));
    const cpuBefore = cpuOfProcesses(pids);
    const total = teams.length * CHATS;
    const done = () => streams.slice(1).reduce((sum, stream) => sum + stream.movedOn.size, 0);
    while (Date.now() < deadline + 30_000 && done() < total) await new Promise((resolve) => setTimeout(resolve, 50));
    const cpuMs = (cpuOfProcesses(pids) - cpuBefore) * 1000;
    const lags = teams.flatMap((team, t) => [...streams[t + 1]!.movedOn].map(([conversationId, at]) => at - team.deadlines.get(conversationId)!));
    const baseLag = [...streams[0]!.movedOn].map(([conversationId, at]) => at - baseline.deadlines.get(conversationId)!)[0] ?? Number.NaN;
    const serverLags = streams.slice(1).flatMap((stream) => stream.serverLag);
    const { offered, waiting, away } = await counts();
    const worst = Math.max(...lags) / 1000;
    const met = lags.length === total && worst <= target && offered + waiting === total;
    console.log(
      `  moved on ${lags.length} of ${total} (offered again ${offered}, back in the queue ${waiting}; agents set away ${away}); after its deadline on the streams: p50 ${(percentile(lags, 50) / 1000).toFixed(2)} s, p99 ${(percentile(lags, 99) / 1000).toFixed(2)} s, the last ${worst.toFixed(2)} s (target ≤ ${target} s); decided (missedAt) p50 ${(percentile(serverLags, 50) / 1000).toFixed(2)} s, max ${(Math.max(...serverLags) / 1000).toFixed(2)} s; baseline, one offer alone: ${(baseLag / 1000).toFixed(2)} s (the storm's last ${(worst / (baseLag / 1000)).toFixed(1)}× it); service CPU ${(cpuMs / total).toFixed(3)} ms per offer; ${met ? 'met' : 'MISSED'}`,
    );
    return met;
  } finally {
    for (const stream of streams) stream.close();
  }
}

export async function runOfferStorm(): Promise<boolean> {
  console.log(
    `\noffer storm: ${CHATBOTS} chatbots × ${AGENTS} agents (maxChats ${MAX_CHATS}) + ${SPARE} coming online, ${CHATS} offers each, offerTimeoutSeconds ${TIMEOUT_SECONDS}; default settings\n`,
  );
  const started: Started[] = [];
  const start = async (env: Record<string, string>) => {
    // BENCH_CPU_PROF_DIR: each service process writes a CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const server = await startProcess(SERVICE_ENTRY, { PORT: '0', LOG_LEVEL: 'info', ...env }, 'inbox-agents listening', profile);
    started.push(server);
    return server;
  };
  let met = true;
  // The seed takes a while: the offers are made on a clock far enough ahead that they lapse after the services started.
  const AHEAD_MS = Number(process.env.BENCH_OFFER_AHEAD_MS ?? 90_000);
  try {
    const sqliteUrl = join(mkdtempSync(join(tmpdir(), 'inbox-agents-offers-')), 'bench.db');
    const { teams, baseline } = await seed(sqliteUrl, Date.now() + AHEAD_MS);
    if (Math.min(...teams.flatMap((team) => [...team.deadlines.values()])) - 15_000 < Date.now())
      throw new Error('the seed took longer than BENCH_OFFER_AHEAD_MS allows: raise it');
    const lite = await start({ DATABASE_URL: sqliteUrl });
    const counts = async () => {
      const database = await openDatabase(sqliteUrl);
      try {
        const offered = await database.db
          .selectFrom('assignments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('offer_expires_at', 'is not', null)
          .executeTakeFirstOrThrow();
        const waiting = await database.db
          .selectFrom('waiting_chats')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const away = await database.db
          .selectFrom('presence')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status_set_by', '=', 'service:missed_offer')
          .executeTakeFirstOrThrow();
        // The baseline's one chat is among them: counted apart.
        return { offered: Number(offered.n), waiting: Number(waiting.n) - 1, away: Number(away.n) - 1 };
      } finally {
        await database.close();
      }
    };
    met = (await storm('SQLite, 1 instance', [lite], teams, baseline, TARGETS.sqlite, counts)) && met;
    await lite.stop();
    started.pop();
  } finally {
    for (const server of started) await server.stop();
  }
  if (process.env.BENCH_QUEUE_ONLY === 'offers-sqlite') return met;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin`select 1`.catch((error: Error) => {
    throw new Error(`the offer storm needs PostgreSQL at ${ADMIN_URL} (set BENCH_POSTGRES_URL): ${error.message}`);
  });
  const name = `inbox_agents_offers_${Date.now().toString(36)}`;
  await admin`CREATE DATABASE ${admin(name)}`;
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${name}`;
  try {
    const { teams, baseline } = await seed(pgUrl.toString(), Date.now() + AHEAD_MS * 4);
    if (Math.min(...teams.flatMap((team) => [...team.deadlines.values()])) - 15_000 < Date.now())
      throw new Error('the seed took longer than BENCH_OFFER_AHEAD_MS allows: raise it');
    const env = { DATABASE_URL: pgUrl.toString(), REDIS_URL };
    const servers = [await start(env), await start(env)];
    const db = postgres(pgUrl.toString(), { max: 1 });
    const counts = async () => {
      const [offered] = await db<Array<{ n: string }>>`select count(*) as n from assignments where offer_expires_at is not null`;
      const [waiting] = await db<Array<{ n: string }>>`select count(*) as n from waiting_chats`;
      const [away] = await db<Array<{ n: string }>>`select count(*) as n from presence where status_set_by = 'service:missed_offer'`;
      return { offered: Number(offered!.n), waiting: Number(waiting!.n) - 1, away: Number(away!.n) - 1 };
    };
    met = (await storm('PostgreSQL, 2 instances', servers, teams, baseline, TARGETS.postgres, counts)) && met;
    await db.end();
  } finally {
    for (const server of started) await server.stop();
    await admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.catch(() => undefined);
    await admin.end();
  }
  return met;
}
