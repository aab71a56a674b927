import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createTestContext, type TestContext } from './helpers/context.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';
import { startServer, type ServerProcess } from './helpers/processes.js';
import { CuttableProxy, throughProxy } from './helpers/proxy.js';
import { RedisServer } from './helpers/redis.js';
import { presenceData, SseClient, type SseEvent } from './helpers/sse.js';

/**
 * Several instances of the service on one PostgreSQL database with Redis between them: the
 * test process runs instance A itself (so it can revoke a key "on A" and read its database),
 * and starts B and C as server processes. Redis is a server of the test's own, so it can be
 * stopped and started again.
 */
const skip = TEST_DIALECT === 'sqlite' ? 'several instances share one PostgreSQL database; this file runs in the PostgreSQL half of npm test' : false;

interface Cluster {
  a: TestContext;
  aUrl: string;
  redis: RedisServer;
  env: Record<string, string>;
  chatbotId: string;
  alice: { id: string; key: string };
  observerKey: string;
  servers: ServerProcess[];
  start(env?: Record<string, string>): Promise<ServerProcess>;
  close(): Promise<void>;
}

async function cluster(settings: { ttl?: number; grace?: number; lease?: number } = {}): Promise<Cluster> {
  const database = await freshDatabase();
  const redis = await RedisServer.start();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    PRESENCE_TTL_SECONDS: String(settings.ttl ?? 150),
    PRESENCE_GRACE_SECONDS: String(settings.grace ?? 20),
    INSTANCE_LEASE_SECONDS: String(settings.lease ?? 10),
  };
  const a = await createTestContext({ env, database, clock: 'real' });
  await a.app.listen({ port: 0, host: '127.0.0.1' });
  const aUrl = `http://127.0.0.1:${(a.app.server.address() as AddressInfo).port}`;
  const chatbotId = await a.chatbot('Support');
  const aliceId = await a.agent(chatbotId, { name: 'Alice' });
  const alice = { id: aliceId, key: (await a.agentKey(aliceId)).key };
  const observerKey = (await a.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
  const servers: ServerProcess[] = [];
  return {
    a,
    aUrl,
    redis,
    env,
    chatbotId,
    alice,
    observerKey,
    servers,
    async start(overrides: Record<string, string> = {}) {
      const server = await startServer({ ...env, ...overrides });
      servers.push(server);
      return server;
    },
    async close() {
      for (const server of servers) await server.kill();
      await a.close();
      await redis.stop();
    },
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function postStatus(base: string, chatbotId: string, key: string, online: boolean, clientTimestamp: number) {
  return fetch(`${base}/v1/inbox/${chatbotId}/agents/me/online`, {
    method: 'POST',
    headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ online, clientTimestamp: String(clientTimestamp) }),
  });
}

async function listed(base: string, c: Cluster) {
  const response = await fetch(`${base}/v1/inbox/${c.chatbotId}/agents/online`, { headers: { 'x-chatcaptain-key': c.observerKey } });
  assert.equal(response.status, 200);
  return ((await response.json()) as { agents: Array<{ agentId: string; online: boolean; connected: boolean }> }).agents.find((agent) => agent.agentId === c.alice.id);
}

const streamUrl = (base: string, c: Cluster) => `${base}/v1/inbox/${c.chatbotId}/agents/online/stream`;
const aliceEvent = (c: Cluster, online?: boolean) => (event: SseEvent) =>
  event.event === 'presence' && presenceData(event).agentId === c.alice.id && (online === undefined || presenceData(event).online === online);

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await wait(25);
  }
}

describe('several instances on PostgreSQL and Redis', { skip }, () => {
  it('a subscriber on instance B receives an update posted to instance A, and a key revoked on A is refused by B within 1 s', async () => {
    const c = await cluster();
    try {
      const b = await c.start();
      const observer = await SseClient.open(streamUrl(b.url, c), { 'x-chatcaptain-key': c.observerKey });
      await observer.next((event) => event.event === 'snapshot');
      assert.equal((await postStatus(c.aUrl, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      const event = await observer.next(aliceEvent(c, true), 3000);
      assert.equal(presenceData(event).connected, false);
      assert.equal((await listed(b.url, c))?.online, true, "B's list shows A's write");

      // B has the key cached (it answered with it); the revocation is made through A.
      const keyOnB = () => fetch(`${b.url}/v1/inbox/${c.chatbotId}/agents/online`, { headers: { 'x-chatcaptain-key': c.observerKey } });
      assert.equal((await keyOnB()).status, 200);
      const [observerKeyRow] = (await c.a.services.keys.listKeys({ chatbotId: c.chatbotId }, { limit: 50, after: null })).items.filter((key) => key.kind === 'chatbot');
      await c.a.services.keys.revokeKey(CLI, observerKeyRow!.id, 'any');
      const took = await eventually('B refuses the revoked key', async () => (await keyOnB()).status === 401, 1000);
      assert.ok(took <= 1000, `refused after ${took} ms`);
      observer.close();
    } finally {
      await c.close();
    }
  });

  it('concurrent updates for one agent spread over three instances settle on the newest clientTimestamp, in the list and on the stream', async () => {
    const c = await cluster();
    try {
      const bases = [c.aUrl, (await c.start()).url, (await c.start()).url];
      const observer = await SseClient.open(streamUrl(bases[1]!, c), { 'x-chatcaptain-key': c.observerKey });
      const first = JSON.parse((await observer.next((event) => event.event === 'snapshot')).data) as { agents: Array<{ agentId: string; online: boolean }> };
      // Where Alice stands on the stream: the snapshot, then each of her events.
      let aliceOnline = first.agents.find((agent) => agent.agentId === c.alice.id)?.online;
      // A second agent whose change marks a moment: versions are ordered, so once the observer sees
      // it, every event of Alice's before it has arrived.
      const markerId = await c.a.agent(c.chatbotId, { name: 'Marker' });
      const marker = { id: markerId, key: (await c.a.agentKey(markerId)).key };
      const base = Date.now() - 60_000;
      for (let round = 0; round < 5; round++) {
        // Distinct timestamps in random order: on a tie the later arrival wins, which the test
        // cannot know, so a tie for the newest would make "the newest" ambiguous.
        const offsets = shuffled(Array.from({ length: 30 }, (_, i) => i * 30 + Math.floor(Math.random() * 30)));
        const updates = offsets.map((offset) => ({ online: Math.random() < 0.5, ts: base + round * 1000 + offset }));
        const newest = updates.reduce((best, update) => (update.ts > best.ts ? update : best));
        const answers = await Promise.all(updates.map((update, i) => postStatus(bases[i % 3]!, c.chatbotId, c.alice.key, update.online, update.ts)));
        assert.deepEqual(
          answers.map((answer) => answer.status),
          updates.map(() => 200),
        );
        // The instance that took the last write lists it at once; the others' cached lists catch
        // up when the invalidation arrives through Redis (milliseconds), well within 1 s.
        for (const instance of bases) {
          await eventually(`round ${round}: ${instance} lists the newest`, async () => (await listed(instance, c))?.online === newest.online, 1000);
        }
        // What the stream announced last is what the list shows: no change was left unannounced.
        const markerOnline = round % 2 === 0;
        assert.equal((await postStatus(bases[round % 3]!, c.chatbotId, marker.key, markerOnline, Date.now())).status, 200);
        const seenMarker = await observer.next((event) => event.event === 'presence' && presenceData(event).agentId === marker.id && presenceData(event).online === markerOnline);
        for (const event of observer.events) {
          if (Number(event.id) > Number(seenMarker.id)) break;
          if (aliceEvent(c)(event)) aliceOnline = presenceData(event).online;
        }
        const snapshotClient = await SseClient.open(streamUrl(bases[2]!, c), { 'x-chatcaptain-key': c.observerKey });
        const snapshot = JSON.parse((await snapshotClient.next((event) => event.event === 'snapshot')).data) as { agents: Array<{ agentId: string; online: boolean }> };
        snapshotClient.close();
        const inSnapshot = snapshot.agents.find((agent) => agent.agentId === c.alice.id)?.online;
        assert.equal(inSnapshot, newest.online, `round ${round}: the snapshot on another instance agrees`);
        assert.equal(aliceOnline, newest.online, `round ${round}: the last event (or the snapshot, when nothing changed) agrees`);
      }
      const ids = observer.events.filter((event) => event.event === 'presence').map((event) => Number(event.id));
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
        'versions strictly increase across instances',
      );
      assert.equal(new Set(ids).size, ids.length);
      observer.close();
    } finally {
      await c.close();
    }
  });

  it('300 assignments at once over two instances fill exactly the capacity there is: 10 agents × 3 chats, nobody over 3, no chat twice', async () => {
    const c = await cluster();
    try {
      const b = await c.start();
      const integration = (await c.a.chatbotKey(c.chatbotId, ['chatbots.inbox.assignments.edit'])).key;
      const agents: string[] = [];
      for (let i = 0; i < 10; i++) {
        const id = await c.a.agent(c.chatbotId, { name: `Agent ${i}` });
        agents.push(id);
        const key = (await c.a.agentKey(id)).key;
        assert.equal((await postStatus(c.aUrl, c.chatbotId, key, true, Date.now())).status, 200);
        await c.a.services.availabilityInputs.setCapacity(c.chatbotId, id, { maxChats: 3, clientTimestamp: String(Date.now()) });
      }
      // Alice, of the fixture, is offline: she takes nothing. Each conversation is asked for twice, once on each instance.
      const ask = (base: string, conversationId: string) =>
        fetch(`${base}/v1/inbox/${c.chatbotId}/assignments`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': integration, 'content-type': 'application/json' },
          body: JSON.stringify({ conversationId }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as { agentId?: string; code?: string } }));
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => ask(i % 2 === 0 ? c.aUrl : b.url, `race-${Math.floor(i / 2)}`)));
      const rows = await c.a.database.db.selectFrom('assignments').select(['agent_id', 'conversation_id']).where('chatbot_id', '=', c.chatbotId).execute();
      assert.equal(rows.length, 30, 'exactly the capacity: 10 × 3');
      assert.equal(new Set(rows.map((row) => row.conversation_id)).size, 30, 'no conversation twice');
      const loads = new Map<string, number>();
      for (const row of rows) loads.set(row.agent_id, (loads.get(row.agent_id) ?? 0) + 1);
      assert.deepEqual([...loads.values()].sort(), Array(10).fill(3), 'every agent at 3, none over');
      assert.ok(
        answers.every((answer) => [200, 201, 409].includes(answer.status)),
        `only 201, 200 (asked again) or 409: ${[...new Set(answers.map((answer) => answer.status))]}`,
      );
      const assignedConversations = new Set(rows.map((row) => row.conversation_id));
      for (const [i, answer] of answers.entries()) {
        const conversationId = `race-${Math.floor(i / 2)}`;
        if (answer.status === 409) assert.equal(answer.body.code, 'no_agent_available');
        else assert.ok(assignedConversations.has(conversationId), `${conversationId} answered ${answer.status} and is assigned`);
      }
      assert.equal(answers.filter((answer) => answer.status === 201).length, 30, 'each assignment made once');
    } finally {
      await c.close();
    }
  });

  it('kill -9 of one of two instances while the waiting queue drains: no chat lost, none assigned twice, each assignment announced once', async () => {
    const c = await cluster();
    try {
      const b = await c.start();
      const integration = (await c.a.chatbotKey(c.chatbotId, ['chatbots.inbox.assignments.*'])).key;
      const agents: Array<{ id: string; key: string }> = [];
      for (let i = 0; i < 10; i++) {
        const id = await c.a.agent(c.chatbotId, { name: `Agent ${i}` });
        agents.push({ id, key: (await c.a.agentKey(id)).key });
        await c.a.services.availabilityInputs.setCapacity(c.chatbotId, id, { maxChats: 3, clientTimestamp: String(Date.now()) });
      }
      // Nobody is online: 60 chats wait for 30 slots.
      for (let i = 0; i < 60; i++) {
        const answer = await fetch(`${c.aUrl}/v1/inbox/${c.chatbotId}/assignments`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': integration, 'content-type': 'application/json' },
          body: JSON.stringify({ conversationId: `wait-${i}`, wait: true }),
        });
        assert.equal(answer.status, 202);
      }
      // The agents come online through B, which drains the queue in their units: three first
      // (their chats are theirs once answered), then the rest at once, and B dies in the middle.
      for (const agent of agents.slice(0, 3)) assert.equal((await postStatus(b.url, c.chatbotId, agent.key, true, Date.now())).status, 200);
      const db = c.a.database.db;
      const drainedByB = await db.selectFrom('assignments').select('conversation_id').where('chatbot_id', '=', c.chatbotId).execute();
      assert.equal(drainedByB.length, 9, 'B drained 3 agents × 3 chats before it died');
      const posts = agents.slice(3).map((agent) => postStatus(b.url, c.chatbotId, agent.key, true, Date.now()).catch(() => null));
      await wait(5);
      await b.kill();
      await Promise.all(posts);
      // Their browsers try again on the instance that is left.
      for (const agent of agents) assert.equal((await postStatus(c.aUrl, c.chatbotId, agent.key, true, Date.now())).status, 200);
      await eventually(
        'the queue drained into every slot',
        async () => (await db.selectFrom('assignments').select('conversation_id').where('chatbot_id', '=', c.chatbotId).execute()).length === 30,
        10_000,
      );
      const open = await db.selectFrom('assignments').select(['conversation_id', 'agent_id']).where('chatbot_id', '=', c.chatbotId).execute();
      const waiting = await db.selectFrom('waiting_chats').select('conversation_id').where('chatbot_id', '=', c.chatbotId).execute();
      const every = [...open.map((row) => row.conversation_id), ...waiting.map((row) => row.conversation_id)].sort();
      assert.deepEqual(every, Array.from({ length: 60 }, (_, i) => `wait-${i}`).sort(), 'every chat is assigned or still waiting, once');
      const loads = new Map<string, number>();
      for (const row of open) loads.set(row.agent_id, (loads.get(row.agent_id) ?? 0) + 1);
      assert.deepEqual([...loads.values()].sort(), Array(10).fill(3), 'every agent at 3, none over');
      // The queue order held: the 30 oldest were taken.
      assert.deepEqual(
        open.map((row) => Number(row.conversation_id.slice(5))).sort((x, y) => x - y),
        Array.from({ length: 30 }, (_, i) => i),
      );
      const created = (await db.selectFrom('presence_events').select('data').where('chatbot_id', '=', c.chatbotId).where('type', '=', 'assignment.created').execute()).map(
        (row) => (JSON.parse(row.data) as { conversationId: string }).conversationId,
      );
      assert.deepEqual(created.sort(), open.map((row) => row.conversation_id).sort(), 'each assignment announced once, and only those that were made');
    } finally {
      await c.close();
    }
  });

  it('a chosen status lapsing is announced exactly once across three instances that all watch it, within 1 s, and kept once in history', async () => {
    const c = await cluster();
    try {
      const [b, d] = [await c.start(), await c.start()];
      const send = (base: string, path: string, body?: object) =>
        fetch(`${base}/v1/inbox/${c.chatbotId}/agents/me/${path}`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': c.alice.key, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      assert.equal((await postStatus(b.url, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      const observers = await Promise.all([c.aUrl, d.url].map((url) => SseClient.open(streamUrl(url, c), { 'x-chatcaptain-key': c.observerKey })));
      for (const observer of observers) await observer.next((event) => event.event === 'snapshot');
      const until = Date.now() + 2500;
      assert.equal((await send(b.url, 'status', { status: 'dnd', text: 'Focus', until: new Date(until).toISOString(), clientTimestamp: String(Date.now()) })).status, 200);
      // Each instance comes to watch the lapse: B set it, D took an activity report, A a heartbeat.
      assert.equal((await send(d.url, 'activity')).status, 200);
      assert.equal((await postStatus(c.aUrl, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      const isLapse = (event: SseEvent) => aliceEvent(c)(event) && JSON.parse(event.data).state === 'available';
      const lapses = await Promise.all(observers.map((observer) => observer.next(isLapse, 5000)));
      const late = Date.now() - until;
      assert.ok(late >= 0 && late < 1000, `announced ${late} ms after the lapse`);
      assert.equal(lapses[0]!.id, lapses[1]!.id, 'the same event on both');
      for (const observer of observers) assert.deepEqual((await observer.drain(1500)).filter(isLapse), [], 'announced once');
      const history = await c.a.database.db
        .selectFrom('presence_history')
        .select(['state', 'reason'])
        .where('agent_id', '=', c.alice.id)
        .where('from_at', '>=', until - 2500)
        .orderBy('from_at')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        history.map((row) => `${row.state}/${row.reason}`),
        ['dnd/chosen', 'available/ready'],
        'history keeps the status and its lapse, once each',
      );
      for (const observer of observers) observer.close();
    } finally {
      await c.close();
    }
  });

  it('orphaned chats are announced once across three instances that all sweep (reassignAfterSeconds 10): the same event on every stream, and the chat moved once', async () => {
    const c = await cluster();
    try {
      const [b, d] = [await c.start(), await c.start()];
      const grace = await c.a.agent(c.chatbotId, { name: 'Grace' });
      const graceKey = (await c.a.agentKey(grace)).key;
      const edit = (await c.a.chatbotKey(c.chatbotId, ['chatbots.edit'])).key;
      const integration = (await c.a.chatbotKey(c.chatbotId, ['chatbots.inbox.assignments.*'])).key;
      const call = (base: string, method: string, path: string, key: string, body: object) =>
        fetch(`${base}${path}`, { method, headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await call(b.url, 'PATCH', `/v1/chatbots/${c.chatbotId}`, edit, { reassignAfterSeconds: 10, autoReassign: true })).status, 200);
      assert.equal((await postStatus(b.url, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      const given = await call(d.url, 'POST', `/v1/inbox/${c.chatbotId}/assignments`, integration, { conversationId: 'visit-1', preferredAgentId: c.alice.id });
      assert.equal(given.status, 201, await given.clone().text());
      assert.equal((await postStatus(c.aUrl, c.chatbotId, graceKey, true, Date.now())).status, 200);
      const observers = await Promise.all([c.aUrl, b.url, d.url].map((url) => SseClient.open(`${streamUrl(url, c)}?batch=true`, { 'x-chatcaptain-key': c.observerKey })));
      for (const observer of observers) await observer.next((event) => event.event === 'snapshot');
      assert.equal((await postStatus(d.url, c.chatbotId, c.alice.key, false, Date.now())).status, 200);
      const isOrphaned = (event: SseEvent) => event.event === 'assignment.orphaned';
      // 10 s gone, then the next sweep of any instance (each sweeps every 5 s).
      const seen = await Promise.all(observers.map((observer) => observer.next(isOrphaned, 20_000)));
      assert.deepEqual(JSON.parse(seen[0]!.data), {
        chatbotId: c.chatbotId,
        agentId: c.alice.id,
        conversations: ['visit-1'],
        moved: [{ conversationId: 'visit-1', agentId: grace }],
      });
      for (const event of seen) assert.deepEqual([event.id, event.data], [seen[0]!.id, seen[0]!.data], 'the same event on every instance');
      // Every instance sweeps again within 5 s: nothing more.
      for (const observer of observers) assert.deepEqual((await observer.drain(6000)).filter(isOrphaned), [], 'announced once');
      const moves = await c.a.database.db.selectFrom('audit_log').select('id').where('action', '=', 'assignment.transferred').where('chatbot_id', '=', c.chatbotId).execute();
      assert.equal(moves.length, 1, 'moved once');
      for (const observer of observers) observer.close();
    } finally {
      await c.close();
    }
  });

  it('an idle timeout and the end of a shift are each announced exactly once across three instances that all watch them, within 1 s, and kept once in history', async () => {
    const c = await cluster();
    try {
      const [b, d] = [await c.start(), await c.start()];
      const bases = [c.aUrl, b.url, d.url];
      const bobId = await c.a.agent(c.chatbotId, { name: 'Bob' });
      const bob = { id: bobId, key: (await c.a.agentKey(bobId)).key };
      const admin = (await c.a.chatbotKey(c.chatbotId, ['chatbots.edit', 'chatbots.inbox.agents.status.edit'])).key;
      const patched = await fetch(`${b.url}/v1/chatbots/${c.chatbotId}`, {
        method: 'PATCH',
        headers: { 'x-chatcaptain-key': admin, 'content-type': 'application/json' },
        body: JSON.stringify({ idleAfterSeconds: 30 }),
      });
      assert.equal(patched.status, 200, await patched.text());
      for (const agent of [c.alice, bob]) assert.equal((await postStatus(d.url, c.chatbotId, agent.key, true, Date.now())).status, 200);

      // Bob's shift ends at the next whole minute at least 8 s away (schedules are by the
      // minute, so this test waits up to 68 s); Alice goes idle 2 s before it. Her last
      // activity is set in the past, straight in the database (reported now, she would go idle
      // only 30 s from now).
      const closing = Math.ceil((Date.now() + 8000) / 60_000) * 60_000;
      const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(closing - 1).getUTCDay()]!;
      const end = new Date(closing).toISOString().slice(11, 16);
      const hours = { timeZone: 'UTC', weekly: { [day]: [{ from: '00:00', to: end === '00:00' ? '24:00' : end }] } };
      const own = await fetch(`${c.aUrl}/v1/inbox/${c.chatbotId}/agents/me/working-hours`, {
        method: 'PUT',
        headers: { 'x-chatcaptain-key': bob.key, 'content-type': 'application/json' },
        body: JSON.stringify({ workingHours: hours }),
      });
      assert.equal(own.status, 200, await own.text());
      const idleAt = closing - 2000;
      await c.a.database.db
        .updateTable('presence')
        .set({ last_active_at: idleAt - 30_000 })
        .where('chatbot_id', '=', c.chatbotId)
        .where('agent_id', '=', c.alice.id)
        .execute();
      // Each instance comes to watch both deadlines: a heartbeat of each agent on each.
      for (const base of bases) for (const agent of [c.alice, bob]) assert.equal((await postStatus(base, c.chatbotId, agent.key, true, Date.now())).status, 200);

      const observers = await Promise.all([c.aUrl, d.url].map((url) => SseClient.open(streamUrl(url, c), { 'x-chatcaptain-key': c.observerKey })));
      for (const observer of observers) await observer.next((event) => event.event === 'snapshot');
      const of = (agentId: string, state: string, reason: string) => (event: SseEvent) => {
        if (event.event !== 'presence') return false;
        const data = JSON.parse(event.data) as { agentId: string; state: string; reason: string };
        return data.agentId === agentId && data.state === state && data.reason === reason;
      };
      const isIdle = of(c.alice.id, 'away', 'idle');
      const isClosed = of(bob.id, 'offline', 'outside_working_hours');
      const idle = await Promise.all(observers.map((observer) => observer.next(isIdle, closing - Date.now() + 5000)));
      const idleLate = Date.now() - idleAt;
      assert.ok(idleLate >= 0 && idleLate < 1000, `idle announced ${idleLate} ms after the moment`);
      const closed = await Promise.all(observers.map((observer) => observer.next(isClosed, 5000)));
      const closedLate = Date.now() - closing;
      assert.ok(closedLate >= 0 && closedLate < 1000, `the end of the shift announced ${closedLate} ms after it`);
      assert.equal(idle[0]!.id, idle[1]!.id, 'the same idle event on both');
      assert.equal(closed[0]!.id, closed[1]!.id, 'the same closing event on both');
      for (const observer of observers) {
        const rest = await observer.drain(1500);
        assert.deepEqual(
          rest.filter((event) => isIdle(event) || isClosed(event)),
          [],
          'each announced once',
        );
        observer.close();
      }
      const history = await c.a.database.db
        .selectFrom('presence_history')
        .select(['agent_id', 'state', 'reason', 'from_at'])
        .where('chatbot_id', '=', c.chatbotId)
        .where('from_at', '>=', idleAt)
        .orderBy('from_at')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        history.map((row) => [row.agent_id, `${row.state}/${row.reason}`, Number(row.from_at)]),
        [
          [c.alice.id, 'away/idle', idleAt],
          [bob.id, 'offline/outside_working_hours', closing],
        ],
        'history keeps each once, from its moment',
      );
    } finally {
      await c.close();
    }
  });

  it('kill -9 of the instance holding an agent’s stream turns the agent offline after the grace, announced once', async () => {
    const grace = 3;
    const c = await cluster({ ttl: grace, grace, lease: 1 });
    try {
      const b = await c.start();
      const cProcess = await c.start();
      assert.equal((await postStatus(b.url, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      const tab = await SseClient.open(streamUrl(b.url, c), { 'x-chatcaptain-key': c.alice.key });
      await tab.next((event) => event.event === 'snapshot');
      const observers = await Promise.all([c.aUrl, cProcess.url].map((url) => SseClient.open(streamUrl(url, c), { 'x-chatcaptain-key': c.observerKey })));
      for (const observer of observers) await observer.next((event) => event.event === 'snapshot');
      await wait(1300); // past the TTL: only the stream on B keeps Alice online
      assert.deepEqual(await listed(c.aUrl, c), { ...(await listed(c.aUrl, c)), online: true, connected: true });

      await b.kill();
      const killedAt = Date.now();
      const offline = await Promise.all(observers.map((observer) => observer.next(aliceEvent(c, false), (grace + 4) * 1000)));
      const after = Date.now() - killedAt;
      // The grace counts from B's last lease renewal, at most a quarter lease before the kill.
      assert.ok(after >= grace * 1000 - 400 && after <= grace * 1000 + 2500, `offline ${after} ms after the kill (grace ${grace} s, lease 1 s)`);
      assert.equal(offline[0]!.id, offline[1]!.id, 'both survivors deliver the same event');
      for (const observer of observers) {
        const more = (await observer.drain(1500)).filter(aliceEvent(c, false));
        assert.deepEqual(more, [], 'announced once');
      }
      const logged = await c.a.database.db.selectFrom('presence_events').select(['version', 'data']).where('chatbot_id', '=', c.chatbotId).orderBy('version').execute();
      const aliceEntries = logged.map((row) => JSON.parse(row.data) as { agentId: string; online: boolean; connected: boolean }).filter((entry) => entry.agentId === c.alice.id);
      let lastConnected = aliceEntries.length - 1;
      while (lastConnected >= 0 && !(aliceEntries[lastConnected]!.online && aliceEntries[lastConnected]!.connected)) lastConnected--;
      const sinceOnline = aliceEntries.slice(lastConnected + 1);
      assert.deepEqual(
        sinceOnline.map((entry) => ({ online: entry.online, connected: entry.connected })),
        [
          { online: true, connected: false },
          { online: false, connected: false },
        ],
        'in the log: the stream gone (once), then offline after the grace (once)',
      );
      assert.equal((await c.a.database.db.selectFrom('stream_holders').selectAll().execute()).length, 0, "B's stream was released");
      for (const observer of observers) observer.close();
    } finally {
      await c.close();
    }
  });

  it("one device across instances (default TTL and grace): a key's stream on B and its posts on C are one device, offline at the stream's close + the grace", async () => {
    const c = await cluster();
    const grace = Number(c.env.PRESENCE_GRACE_SECONDS);
    try {
      const [b, cProcess] = [await c.start(), await c.start()];
      const observer = await SseClient.open(streamUrl(c.aUrl, c), { 'x-chatcaptain-key': c.observerKey });
      await observer.next((event) => event.event === 'snapshot');
      const tab = await SseClient.open(streamUrl(b.url, c), { 'x-chatcaptain-key': c.alice.key });
      await tab.next((event) => event.event === 'snapshot');
      // While the stream is open on B, the same browser posts its status and activity to C.
      const post = (path: string, body?: object) =>
        fetch(`${cProcess.url}/v1/inbox/${c.chatbotId}/agents/me/${path}`, {
          method: 'POST',
          headers: { 'x-chatcaptain-key': c.alice.key, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      assert.equal((await post('status', { status: 'available', clientTimestamp: String(Date.now()) })).status, 200);
      assert.equal((await post('activity')).status, 200);
      const entry = await listed(c.aUrl, c);
      assert.deepEqual([entry?.online, entry?.connected, (entry as unknown as { devices: number }).devices], [true, true, 1], 'one device, not two');
      await observer.next(aliceEvent(c, true));

      const closedAt = Date.now();
      tab.close();
      await observer.next(aliceEvent(c, false), (grace + 5) * 1000);
      const after = Date.now() - closedAt;
      assert.ok(after >= grace * 1000 - 500 && after <= grace * 1000 + 2000, `offline ${after} ms after the close (grace ${grace} s), not at the posts' TTL`);
    } finally {
      await c.close();
    }
  });

  it('a hand-over watches the change the dead instance was watching: a status text lapsing for an agent announced offline', async () => {
    const c = await cluster({ lease: 1 });
    try {
      const b = await c.start();
      const observer = await SseClient.open(streamUrl(c.aUrl, c), { 'x-chatcaptain-key': c.observerKey });
      await observer.next((event) => event.event === 'snapshot');
      assert.equal((await postStatus(b.url, c.chatbotId, c.alice.key, false, Date.now())).status, 200);
      // Offline, with a text that lapses in 6 s: only B judged it, so only B watches the lapse.
      const until = Date.now() + 6000;
      const chosen = await fetch(`${b.url}/v1/inbox/${c.chatbotId}/agents/me/status`, {
        method: 'POST',
        headers: { 'x-chatcaptain-key': c.alice.key, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'dnd', text: 'On leave', until: new Date(until).toISOString(), clientTimestamp: String(Date.now()) }),
      });
      assert.equal(chosen.status, 200, await chosen.text());
      await observer.next((event) => aliceEvent(c, false)(event) && JSON.parse(event.data).statusText === 'On leave');
      await b.kill();
      const lapsed = await observer.next((event) => aliceEvent(c, false)(event) && JSON.parse(event.data).statusText === null, 10_000);
      const late = Date.now() - until;
      assert.ok(late <= 1500, `the lapse was announced ${late} ms after its moment, by the instance that took B's over`);
      assert.equal(JSON.parse(lapsed.data).reason, 'chosen_offline');
    } finally {
      await c.close();
    }
  });

  it('Redis restarted mid-run: /readyz says so, streams stay open and keep delivering, and everything recovers on its own', async () => {
    const c = await cluster();
    try {
      const b = await c.start();
      const observer = await SseClient.open(streamUrl(b.url, c), { 'x-chatcaptain-key': c.observerKey });
      await observer.next((event) => event.event === 'snapshot');
      const ready = async (url: string) => (await fetch(`${url}/readyz`)).status;
      assert.equal(await ready(b.url), 200);

      await c.redis.stop();
      await eventually('B reports Redis unreachable', async () => (await ready(b.url)) === 503);
      const body = (await (await fetch(`${b.url}/readyz`)).json()) as { error: string; code: string };
      assert.deepEqual(body, { error: 'Redis is not reachable', code: 'service_unavailable' });
      // Without Redis, changes still travel through PostgreSQL, and caches are bypassed.
      assert.equal((await postStatus(c.aUrl, c.chatbotId, c.alice.key, true, Date.now())).status, 200);
      await observer.next(aliceEvent(c, true), 3000);
      assert.equal((await listed(b.url, c))?.online, true);

      await c.redis.restart();
      await eventually('both instances ready again', async () => (await ready(b.url)) === 200 && (await ready(c.aUrl)) === 200, 10_000);
      assert.equal(observer.isEnded, false, 'the stream stayed open throughout');
      assert.equal((await postStatus(c.aUrl, c.chatbotId, c.alice.key, false, Date.now())).status, 200);
      await observer.next(aliceEvent(c, false), 3000);
      assert.equal((await listed(b.url, c))?.online, false);
      observer.close();
    } finally {
      await c.close();
    }
  });

  it('PostgreSQL unreachable from one instance: its /readyz and writes answer 503, its streams stay open, the others go on, and it catches up on its own', async () => {
    const c = await cluster();
    const target = new URL(c.env.DATABASE_URL!);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    try {
      const b = await c.start({ DATABASE_URL: throughProxy(c.env.DATABASE_URL!, proxy) });
      const observer = await SseClient.open(streamUrl(b.url, c), { 'x-chatcaptain-key': c.observerKey });
      await observer.next((event) => event.event === 'snapshot');

      await proxy.cut();
      await eventually('B reports the database unreachable', async () => (await fetch(`${b.url}/readyz`)).status === 503);
      assert.equal((await fetch(`${c.aUrl}/readyz`)).status, 200, 'A is not affected');
      const onB = await postStatus(b.url, c.chatbotId, c.alice.key, false, Date.now());
      assert.equal(onB.status, 503);
      assert.equal(((await onB.json()) as { code: string }).code, 'database_unavailable');
      const acknowledged = Date.now();
      assert.equal((await postStatus(c.aUrl, c.chatbotId, c.alice.key, true, acknowledged)).status, 200, 'A acknowledges the update');

      await proxy.start();
      await eventually('B ready again', async () => (await fetch(`${b.url}/readyz`)).status === 200, 10_000);
      const event = await observer.next(aliceEvent(c, true), 5000);
      assert.equal(presenceData(event).online, true, 'B delivers what happened during its outage');
      assert.equal(observer.isEnded, false, 'the stream stayed open throughout');
      assert.equal((await listed(b.url, c))?.online, true, 'the acknowledged update was not lost');
      observer.close();
    } finally {
      await c.close();
      await proxy.cut();
    }
  });
});
