import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { ChangeLink, ChangeTracker } from './changes.js';

/** The pub/sub channel the instances of one deployment share. */
const CHANNEL = 'inbox-agents:changes';
/** How long a readiness ping may take before Redis counts as unreachable. */
const PING_TIMEOUT_MS = 1000;

export interface RedisLink {
  /** A command connection (never subscribed): rate-limit counts shared by the instances. */
  client: Redis;
  /** Resolves when Redis answers a PING in time; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Carries changes between instances through Redis pub/sub: cache invalidations (a revoked
 * key), "new events in this chatbot's log" and liveness signals. Redis holds no state of the
 * service: the database stays the truth, so a Redis restart loses nothing. While Redis cannot
 * be heard, every cache entry counts as stale (reads go to the database) and this instance
 * publishes through PostgreSQL NOTIFY instead, which every instance also listens to; once
 * Redis is back, caches and streams catch up on their own.
 */
export function connectRedis(url: string, changes: ChangeTracker, log: FastifyBaseLogger): RedisLink {
  const instance = randomBytes(6).toString('hex');
  const options: RedisOptions = {
    // Commands fail at once while disconnected rather than queue: publishing falls back to
    // NOTIFY, a readiness ping answers 503 instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Subscribed again by hand on every connect, so the moment it hears again is known.
    autoResubscribe: false,
  };
  // Every request counts against its key's budget here: the counts of requests handled in one
  // turn of the event loop go to Redis as one write (one system call each way), not one each.
  const publisher = new Redis(url, { ...options, enableAutoPipelining: true });
  const subscriber = new Redis(url, options);
  let epoch = 0;
  let hearing = false;
  let closed = false;
  let reported = false;

  const lost = (error?: Error) => {
    if (hearing || !reported) log.warn({ err: error }, 'Redis is not reachable; caches are bypassed until it is back');
    reported = true;
    hearing = false;
  };
  publisher.on('error', () => undefined);
  subscriber.on('error', (error: Error) => lost(error));
  subscriber.on('close', () => {
    if (!closed) lost();
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(CHANNEL).then(
      () => {
        // Whatever was published while not listening is unknown: a new epoch makes every cache stale.
        epoch++;
        hearing = true;
        if (reported) log.info('Redis reachable again');
        reported = false;
      },
      (error: unknown) => lost(error as Error),
    );
  });
  subscriber.on('message', (_channel: string, message: string) => {
    const space = message.indexOf(' ');
    if (space < 0 || message.slice(0, space) === instance) return;
    changes.remoteChanges(message.slice(space + 1));
  });

  const link: ChangeLink = {
    version: () => (hearing ? epoch : Number.NaN),
    publish: (scopes) => {
      if (closed || publisher.status !== 'ready') return false;
      publisher.publish(CHANNEL, `${instance} ${scopes}`).catch(() => changes.undelivered(link, scopes));
      return true;
    },
  };
  changes.link(link, { preferred: true });

  return {
    client: publisher,
    ping: async () => {
      if (!hearing) throw new Error('not subscribed to Redis');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([publisher.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      changes.flush();
      closed = true;
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
