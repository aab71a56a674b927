import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig({}), {
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: './data/inbox-agents.db',
      databasePoolSize: 10,
      redisUrl: null,
      instanceLeaseSeconds: 10,
      presenceTtlSeconds: 150,
      presenceGraceSeconds: 20,
      presenceEventsKept: 1000,
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
      logLevel: 'info',
    });
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
