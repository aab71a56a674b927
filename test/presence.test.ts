import assert from 'node:assert/strict';
import { CLI } from '../src/auth/actor.js';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { createTestContext, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';
import { TEST_DIALECT } from './helpers/database.js';

describe('presence', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let alice: { agentId: string; key: string };

  beforeEach(async () => {
    ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '150' } });
    chatbotId = await ctx.chatbot('Support');
    const agentId = await ctx.agent(chatbotId, { name: 'Alice' });
    alice = { agentId, key: (await ctx.agentKey(agentId)).key };
  });
  afterEach(() => ctx.close());

  const setOnline = (key: string, online: boolean, clientTimestamp: string | number, chatbot = chatbotId) =>
    ctx.call({ method: 'POST', url: meOnlinePath(chatbot), key, payload: { online, clientTimestamp } });
  const list = async (key = alice.key, chatbot = chatbotId) => {
    const response = await ctx.call({ method: 'GET', url: onlinePath(chatbot), key });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().agents as Array<{ agentId: string; name: string; online: boolean; connected: boolean; lastSeenAt: string | null; updatedAt: string | null }>;
  };

  it('lists every member in name order (case-insensitive), then id, with nulls for agents never seen', async () => {
    const bob = await ctx.agent(chatbotId, { name: 'bob' });
    const carol = await ctx.agent(chatbotId, { name: 'Carol' });
    const alice2 = await ctx.agent(chatbotId, { name: 'Alice' });
    const outsider = await ctx.agent(await ctx.chatbot(), { name: 'Aaron' });
    const agents = await list();
    const expectedAlices = [alice.agentId, alice2].sort();
    assert.deepEqual(
      agents.map((agent) => agent.agentId),
      [...expectedAlices, bob, carol],
    );
    assert.ok(!agents.some((agent) => agent.agentId === outsider), 'members of other chatbots are not listed');
    for (const agent of agents) {
      assert.deepEqual({ online: agent.online, lastSeenAt: agent.lastSeenAt, updatedAt: agent.updatedAt }, { online: false, lastSeenAt: null, updatedAt: null });
    }
  });

  it('sets the own status and lists it with server times', async () => {
    const ts = ctx.clock.now() - 1000;
    const response = await setOnline(alice.key, true, String(ts));
    assert.equal(response.statusCode, 200, response.body);
    const expectedAt = new Date(ctx.clock.now()).toISOString();
    assert.deepEqual(response.json(), { agentId: alice.agentId, online: true, clientTimestamp: String(ts), updatedAt: expectedAt, applied: true });
    assert.deepEqual(await list(), [
      {
        agentId: alice.agentId,
        name: 'Alice',
        online: true,
        connected: false,
        lastSeenAt: expectedAt,
        updatedAt: expectedAt,
        state: 'available',
        reason: 'ready',
        statusText: null,
        statusUntil: null,
        since: expectedAt,
        lastActiveAt: null,
        activeChats: null,
        maxChats: null,
        setBy: null,
        devices: 1,
      },
    ]);

    ctx.clock.advance(5);
    const off = await setOnline(alice.key, false, String(ts + 5000));
    assert.equal(off.json().online, false);
    assert.equal(off.json().applied, true);
    assert.equal((await list())[0]?.online, false);
  });

  it('an older clientTimestamp does not override a newer one, but still counts as a sign of life', async () => {
    const ts = ctx.clock.now();
    await setOnline(alice.key, true, ts);
    const setAt = new Date(ctx.clock.now()).toISOString();
    ctx.clock.advance(10);
    const stale = await setOnline(alice.key, false, ts - 1);
    assert.equal(stale.statusCode, 200);
    assert.deepEqual(stale.json(), { agentId: alice.agentId, online: true, clientTimestamp: String(ts), updatedAt: setAt, applied: false });
    const [entry] = await list();
    assert.equal(entry?.online, true);
    assert.equal(entry?.updatedAt, setAt, 'updatedAt is when the standing status was set');
    assert.equal(entry?.lastSeenAt, new Date(ctx.clock.now()).toISOString(), 'the stale post refreshed lastSeenAt');
  });

  it('on equal timestamps the later arrival wins', async () => {
    const ts = ctx.clock.now();
    assert.equal((await setOnline(alice.key, true, ts)).json().applied, true);
    const second = await setOnline(alice.key, false, ts);
    assert.equal(second.json().applied, true);
    assert.equal(second.json().online, false);
  });

  it('accepts epoch ms as digits, as a JSON number, and ISO-8601 with a zone, all meaning the same instant', async () => {
    const ts = Date.UTC(2026, 0, 15, 11, 59, 0, 250);
    const forms: Array<string | number> = [String(ts), ts, '2026-01-15T11:59:00.250Z', '2026-01-15T13:59:00.250+02:00', '2026-01-15T06:29:00.250-0530'];
    for (const form of forms) {
      const response = await setOnline(alice.key, true, form);
      assert.equal(response.statusCode, 200, `${form}: ${response.body}`);
      assert.equal(response.json().clientTimestamp, String(ts), `${form} is read as ${ts}`);
      assert.equal(response.json().applied, true, `${form} ties with the stored one and arrives later`);
    }
  });

  it('refuses a clientTimestamp more than 300 s ahead of the server clock and keeps the state', async () => {
    const now = ctx.clock.now();
    assert.equal((await setOnline(alice.key, true, now + 300_000)).statusCode, 200, 'exactly 300 s ahead is accepted');
    const refused = await setOnline(alice.key, false, now + 300_001 + 1000);
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().code, 'client_timestamp_in_future');
    assert.match(refused.json().error, /ahead of the server clock/);
    assert.equal((await list())[0]?.online, true);
  });

  it('the allowed clock lead is configurable', async () => {
    await ctx.close();
    ctx = await createTestContext({ env: { MAX_CLIENT_CLOCK_AHEAD_SECONDS: '5' } });
    const chatbot = await ctx.chatbot();
    const key = (await ctx.agentKey(await ctx.agent(chatbot))).key;
    assert.equal((await setOnline(key, true, ctx.clock.now() + 5000, chatbot)).statusCode, 200);
    assert.equal((await setOnline(key, true, ctx.clock.now() + 6000, chatbot)).statusCode, 400);
  });

  it('lists an agent offline once it shows no sign of life for PRESENCE_TTL_SECONDS', async () => {
    await setOnline(alice.key, true, ctx.clock.now());
    ctx.clock.advance(149);
    assert.equal((await list())[0]?.online, true, 'still within the TTL');
    ctx.clock.advance(1);
    const [entry] = await list();
    assert.equal(entry?.online, false, 'offline at the TTL');
    assert.notEqual(entry?.updatedAt, null, 'the chosen status is kept; only liveness expired');
    // A heartbeat (re-posting the status) brings it back.
    await setOnline(alice.key, true, ctx.clock.now());
    assert.equal((await list())[0]?.online, true);
  });

  it('a stale re-post keeps an agent alive', async () => {
    const ts = ctx.clock.now();
    await setOnline(alice.key, true, ts);
    for (let i = 0; i < 4; i++) {
      ctx.clock.advance(100);
      await setOnline(alice.key, true, ts - 1);
    }
    assert.equal((await list())[0]?.online, true);
  });

  it('PRESENCE_TTL_SECONDS=0 turns auto-offline off', async () => {
    await ctx.close();
    ctx = await createTestContext({ env: { PRESENCE_TTL_SECONDS: '0' } });
    const chatbot = await ctx.chatbot();
    const agentId = await ctx.agent(chatbot);
    const { key } = await ctx.agentKey(agentId);
    await setOnline(key, true, ctx.clock.now(), chatbot);
    ctx.clock.advance(30 * 86_400);
    assert.equal((await list(key, chatbot))[0]?.online, true);
  });

  it('status is per chatbot: an agent in two chatbots has two independent statuses', async () => {
    const other = await ctx.chatbot('Sales');
    await ctx.services.tenancy.setMember(CLI, { agentId: alice.agentId, chatbotId: other });
    await setOnline(alice.key, true, ctx.clock.now());
    await setOnline(alice.key, false, ctx.clock.now(), other);
    assert.equal((await list(alice.key, chatbotId))[0]?.online, true);
    assert.equal((await list(alice.key, other))[0]?.online, false);
  });

  it('all keys of one agent share one status (last writer wins across devices)', async () => {
    const laptop = alice.key;
    const phone = (await ctx.agentKey(alice.agentId)).key;
    const ts = ctx.clock.now();
    await setOnline(laptop, true, ts + 10);
    const fromPhone = await setOnline(phone, false, ts);
    assert.equal(fromPhone.json().applied, false);
    assert.equal(fromPhone.json().online, true);
  });

  it('a member removed from the chatbot disappears from the list and its key loses access', async () => {
    await setOnline(alice.key, true, ctx.clock.now());
    const bob = await ctx.agent(chatbotId, { name: 'Bob' });
    const bobKey = (await ctx.agentKey(bob)).key;
    await ctx.services.tenancy.removeMember(CLI, { agentId: alice.agentId, chatbotId });
    assert.deepEqual(
      (await list(bobKey)).map((a) => a.agentId),
      [bob],
    );
    assert.equal((await setOnline(alice.key, true, ctx.clock.now())).statusCode, 403);
  });

  it('the cached list sees changes made by another process on the same database (SQLite: the next turn; PostgreSQL: within 1 s)', async () => {
    await setOnline(alice.key, true, ctx.clock.now());
    assert.equal((await list()).length, 1, 'list cached with one member');
    // A second connection to the same database stands for the admin CLI in another process.
    const outside = await openDatabase(ctx.databaseUrl);
    /** SQLite sees another connection's commit on the next event-loop turn; PostgreSQL once its NOTIFY arrives. */
    const seen = async <T>(read: () => Promise<T>, expected: T) => {
      const deadline = Date.now() + (TEST_DIALECT === 'sqlite' ? 0 : 1000);
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const value = await read();
        if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() >= deadline) return assert.deepEqual(value, expected);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    try {
      const services = createServices(outside, ctx.config, ctx.clock.now);
      const bob = await services.tenancy.createMemberAgent(CLI, { chatbotId, name: 'Bob' });
      await seen(async () => (await list()).map((a) => a.name), ['Alice', 'Bob']);
      await services.presence.setOwnStatus(chatbotId, bob.id, 'outside', { online: true, clientTimestamp: ctx.clock.now() });
      await seen(async () => (await list()).map((a) => a.online), [true, true]);
    } finally {
      await outside.close();
    }
  });
});
