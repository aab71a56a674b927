import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig({}), {
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: './data/inbox-agents.db',
      databaseMustExist: false,
      databasePoolSize: 10,
      publicUrl: null,
      redisUrl: null,
      instanceLeaseSeconds: 10,
      presenceTtlSeconds: 150,
      presenceGraceSeconds: 20,
      presenceEventsKept: 1000,
      historyDays: 400,
      maxClockAheadSeconds: 300,
      corsOrigins: [],
      vapidPublicKey: null,
      vapidPrivateKey: null,
      vapidSubject: null,
      fcmServiceAccountFile: null,
      fcmServiceAccountJson: null,
      fcmEndpoint: 'https://fcm.googleapis.com',
      fcmTokenUrl: 'https://oauth2.googleapis.com/token',
      pushAllowHttp: false,
      pushAllowedHosts: [],
      pushWorker: true,
      pushConcurrency: 64,
      trustProxy: false,
      rateLimitReads: { max: 6000, seconds: 10 },
      rateLimitStatus: { max: 3000, seconds: 10 },
      rateLimitSettings: { max: 300, seconds: 10 },
      rateLimitNotify: { max: 1000, seconds: 10 },
      rateLimitTestPush: { max: 5, seconds: 60 },
      rateLimitTickets: { max: 600, seconds: 10 },
      rateLimitAdmin: { max: 1000, seconds: 10 },
      rateLimitAssignments: { max: 3000, seconds: 10 },
      rateLimitUnauthenticated: { max: 120, seconds: 60 },
      metrics: true,
      metricsPort: null,
      metricsHost: '127.0.0.1',
      metricsToken: null,
      logLevel: 'info',
    });
  });

  it('takes rate-limit budgets as count/seconds or off, proxies, and a metrics token of 16 characters or more', () => {
    const config = loadConfig({
      RATE_LIMIT_READS: '100/1s',
      RATE_LIMIT_NOTIFY: 'off',
      TRUST_PROXY: '10.0.0.0/8,192.168.1.1',
      METRICS_TOKEN: 'a-long-enough-token',
      METRICS_PORT: '9464',
    });
    assert.deepEqual(config.rateLimitReads, { max: 100, seconds: 1 });
    assert.equal(config.rateLimitNotify, null);
    assert.deepEqual(config.trustProxy, ['10.0.0.0/8', '192.168.1.1']);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(config.metricsPort, 9464);
    assert.throws(
      () => loadConfig({ RATE_LIMIT_STATUS: '3000 per 10 s', RATE_LIMIT_TICKETS: '0/10s', METRICS_TOKEN: 'short', TRUST_PROXY: 'the-balancer' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4);
        assert.match(error.message, /RATE_LIMIT_STATUS must be a budget such as 3000\/10s/);
        assert.match(error.message, /RATE_LIMIT_TICKETS must be a budget/);
        assert.match(error.message, /METRICS_TOKEN must be at least 16 visible characters/);
        assert.match(error.message, /TRUST_PROXY must be true, false, a hop count, or proxy addresses/);
        return true;
      },
    );
  });

  it('refuses a TTL shorter than the grace (a heartbeat would end a life sooner than a closed stream), but not 0', () => {
    assert.throws(
      () => loadConfig({ PRESENCE_TTL_SECONDS: '10', PRESENCE_GRACE_SECONDS: '20' }),
      /PRESENCE_TTL_SECONDS \(10\) must be at least PRESENCE_GRACE_SECONDS \(20\), or 0/,
    );
    assert.throws(() => loadConfig({ PRESENCE_TTL_SECONDS: '19' }), /must be at least PRESENCE_GRACE_SECONDS \(20\)/, 'against the default grace');
    assert.equal(loadConfig({ PRESENCE_TTL_SECONDS: '20' }).presenceTtlSeconds, 20);
    assert.equal(loadConfig({ PRESENCE_TTL_SECONDS: '0' }).presenceTtlSeconds, 0, '0 turns auto-offline off');
  });

  it('lists every bad variable at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', PRESENCE_TTL_SECONDS: '-1', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4);
        assert.match(error.message, /PORT must be a whole number/);
        assert.match(error.message, /PRESENCE_TTL_SECONDS must be a whole number/);
        assert.match(error.message, /LOG_LEVEL must be one of/);
        assert.match(error.message, /DATABASE_URL must be a postgres:\/\/ \(or postgresql:\/\/\) URL or a SQLite file path/);
        return true;
      },
    );
  });

  it('takes a PostgreSQL URL as such, and refuses other URLs rather than misreading them as file names', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://db.internal/inbox' }).databaseUrl, 'postgresql://db.internal/inbox');
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://localhost/db' }), /must be a postgres:\/\/ \(or postgresql:\/\/\) URL or a SQLite file path/);
  });

  it('takes REDIS_URL only beside PostgreSQL, and only as a redis:// URL', () => {
    const cluster = loadConfig({ DATABASE_URL: 'postgres://db.internal/inbox', REDIS_URL: 'redis://cache.internal:6379/0', INSTANCE_LEASE_SECONDS: '5' });
    assert.equal(cluster.redisUrl, 'redis://cache.internal:6379/0');
    assert.equal(cluster.instanceLeaseSeconds, 5);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://cache.internal' }), /REDIS_URL is for several instances sharing one PostgreSQL database/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://db/x', REDIS_URL: 'cache.internal:6379' }), /REDIS_URL must be a redis:\/\/ \(or rediss:\/\/\) URL/);
    assert.throws(() => loadConfig({ INSTANCE_LEASE_SECONDS: '0' }), /INSTANCE_LEASE_SECONDS must be between 1 and 3600/);
  });
});
