import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { createTestContext, meOnlinePath, onlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';
import { RedisServer } from './helpers/redis.js';

const randomKey = () => `cck_${randomBytes(32).toString('base64url')}`;

async function member(ctx: TestContext) {
  const chatbotId = await ctx.chatbot();
  const agentId = await ctx.agent(chatbotId);
  return { chatbotId, agentId, key: (await ctx.agentKey(agentId)).key };
}

describe('rate limits', () => {
  const contexts: TestContext[] = [];
  after(async () => {
    for (const ctx of contexts) await ctx.close();
  });
  const context = async (env: Record<string, string> = {}) => {
    const ctx = await createTestContext({ env });
    contexts.push(ctx);
    return ctx;
  };

  it('the defaults let a client at one request per second never see a 429, and stop a runaway key within 20,000 requests', async () => {
    const config = loadConfig({});
    for (const name of ['rateLimitReads', 'rateLimitStatus', 'rateLimitSettings', 'rateLimitNotify', 'rateLimitTickets'] as const) {
      const budget = config[name]!;
      assert.ok(budget.max >= budget.seconds, `${name}: ${budget.max} per ${budget.seconds} s allows one a second`);
      assert.ok(budget.max < 20_000, `${name}: a runaway key is stopped within 20,000 requests`);
    }
    // One key looping as fast as it can (50 requests in flight), at the defaults: reads, then status writes.
    const ctx = await context();
    const { chatbotId, key } = await member(ctx);
    const runaway = async (call: (n: number) => Promise<{ statusCode: number }>) => {
      let served = 0;
      for (let sent = 0; sent < 20_000; sent += 50) {
        const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => call(sent + i).then((response) => response.statusCode)));
        served += statuses.filter((status) => status === 200).length;
        if (statuses.includes(429)) return served;
      }
      return Number.POSITIVE_INFINITY;
    };
    const reads = await runaway(() => ctx.call({ method: 'GET', url: onlinePath(chatbotId), key }));
    assert.equal(reads, config.rateLimitReads!.max, 'reads limited once the budget is used');
    const writes = await runaway((n) => ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: n % 2 === 0, clientTimestamp: ctx.clock.now() + n } }));
    assert.equal(writes, config.rateLimitStatus!.max, 'status writes have their own budget, untouched by the reads');
  });

  it('over the limit: 429 rate_limited with Retry-After and the RateLimit headers, and nothing changes', async () => {
    const ctx = await context({ RATE_LIMIT_STATUS: '4/60s' });
    const { chatbotId, key } = await member(ctx);
    const post = (n: number) => ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key, payload: { online: n % 2 === 0, clientTimestamp: ctx.clock.now() + n } });
    // The RateLimit fields appear once half the budget is used.
    const first = await post(0);
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['ratelimit-limit'], undefined);
    for (let n = 1; n < 4; n++) {
      const ok = await post(n);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['ratelimit-limit'], '4');
      assert.equal(ok.headers['ratelimit-remaining'], String(3 - n));
    }
    const before = await snapshotState(ctx.database);
    const refused = await post(4);
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(Object.keys(refused.json()).sort(), ['code', 'error']);
    assert.equal(refused.json().code, 'rate_limited');
    assert.match(refused.json().error, /4 per 60 s/);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers['ratelimit-limit'], '4');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.equal(refused.headers['ratelimit-reset'], String(retryAfter));
    assert.equal(await snapshotState(ctx.database), before, 'the refused update changed nothing');
    // Other keys, and other classes of the same key, have budgets of their own.
    assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key })).statusCode, 200);
    const other = (await ctx.agentKey((await ctx.services.tenancy.allAgents(chatbotId))[0]!.id)).key;
    assert.equal((await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: other, payload: { online: true, clientTimestamp: ctx.clock.now() + 10 } })).statusCode, 200);
  });

  it('missing and unknown keys are limited per address before any database lookup; a key seen lately is still served, and health checks never', async () => {
    const ctx = await context({ RATE_LIMIT_UNAUTHENTICATED: '20/60s' });
    const { chatbotId, key } = await member(ctx);
    assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key })).statusCode, 200);
    for (let i = 0; i < 20; i++) {
      const response = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: i % 4 === 0 ? undefined : randomKey() });
      assert.equal(response.statusCode, 401);
    }
    const lookups = ctx.services.auth.stats.keyLookups;
    for (let i = 0; i < 200; i++) {
      const response = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: i % 4 === 0 ? undefined : randomKey() });
      assert.equal(response.statusCode, 429);
      assert.equal(response.json().code, 'rate_limited');
      const retryAfter = Number(response.headers['retry-after']);
      assert.ok(retryAfter >= 1);
      // The same fields as a key's 429.
      assert.deepEqual([response.headers['ratelimit-limit'], response.headers['ratelimit-remaining'], response.headers['ratelimit-reset']], ['20', '0', String(retryAfter)]);
    }
    assert.equal(ctx.services.auth.stats.keyLookups, lookups, 'the flood past the budget never reached the database');
    assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key })).statusCode, 200, 'the valid key is still served');
    assert.equal((await ctx.call({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await ctx.call({ method: 'GET', url: '/readyz' })).statusCode, 200);
    // Another address has its own budget.
    const elsewhere = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: randomKey(), remoteAddress: '10.1.2.3' });
    assert.equal(elsewhere.statusCode, 401);
  });

  it('at the default budget (120 failed authentications per 60 s per address): the 121st is 429 with Retry-After and the RateLimit fields', async () => {
    const ctx = await context();
    const { chatbotId } = await member(ctx);
    for (let i = 0; i < 120; i++) assert.equal((await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: randomKey() })).statusCode, 401, `failure ${i + 1}`);
    const refused = await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: randomKey() });
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(
      [refused.headers['ratelimit-limit'], refused.headers['ratelimit-remaining'], refused.headers['ratelimit-reset']],
      ['120', '0', refused.headers['retry-after']],
    );
  });

  it('behind a proxy (TRUST_PROXY), each client address from X-Forwarded-For has its own budget', async () => {
    const ctx = await context({ RATE_LIMIT_UNAUTHENTICATED: '2/60s', TRUST_PROXY: 'true' });
    const { chatbotId } = await member(ctx);
    const from = (address: string) => ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: randomKey(), headers: { 'x-forwarded-for': address } });
    assert.deepEqual([(await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode], [401, 401, 429]);
    assert.equal((await from('203.0.113.2')).statusCode, 401);
  });

  const sharedSkip = TEST_DIALECT === 'postgres' ? false : 'several instances share one PostgreSQL database; this runs in the PostgreSQL half of the suite';
  it('with REDIS_URL, the counts are shared by every instance', { skip: sharedSkip }, async () => {
    const redis = await RedisServer.start();
    const database = await freshDatabase();
    const env = { REDIS_URL: redis.url, RATE_LIMIT_READS: '10/60s' };
    const a = await createTestContext({ env, database });
    const b = await createTestContext({ env, database });
    try {
      const { chatbotId, key } = await member(a);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await (i % 2 === 0 ? a : b).call({ method: 'GET', url: onlinePath(chatbotId), key })).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429], 'ten in all, across both instances');
    } finally {
      await b.close({ keepFiles: true });
      await a.close();
      await redis.stop();
    }
  });
});
