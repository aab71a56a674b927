import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { RateBudget } from '../config.js';
import { AppError } from '../errors.js';

/**
 * What a route counts against: each class has its own budget per key, so a client polling the
 * list hard never eats into its status updates.
 */
export const RATE_CLASSES = ['reads', 'status', 'settings', 'notify', 'test_push', 'tickets', 'admin', 'assignments'] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

/** null: that limit is off. */
export type RateLimitSettings = Record<RateClass | 'unauthenticated', RateBudget | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate-limit class this key-protected route counts against. */
    rateClass?: RateClass;
  }
}

/** Counters kept per store: an in-memory LRU per instance, or Redis shared by every instance. */
interface Store {
  incr(key: string, callback: (error: Error | null, result: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
  read(key: string, callback: (error: Error | null, result: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
}

/** Keys per class the in-memory store remembers; a window's counts must outlive a burst of many keys. */
const LOCAL_KEYS = 50_000;

type Count = { current: number; ttl: number } | null;

/**
 * Runs a store call and hands back its result synchronously when the store answered at once
 * (the in-memory store always does), or a promise (Redis). A store that fails counts nothing:
 * the limit protects the service and must not become an outage of its own.
 */
function count(store: Store, method: 'incr' | 'read', key: string, budget: RateBudget): Count | Promise<Count> {
  let settled = false;
  let result: Count = null;
  let resolve: ((value: Count) => void) | null = null;
  store[method](
    key,
    (error, value) => {
      const outcome = error ? null : value;
      if (resolve) resolve(outcome);
      else {
        settled = true;
        result = outcome;
      }
    },
    budget.seconds * 1000,
    budget.max,
  );
  if (settled) return result;
  return new Promise<Count>((done) => {
    resolve = done;
  });
}

export interface RateLimits {
  /**
   * Counts the request against its key's budget for the route's class and sets the RateLimit
   * headers; throws 429 when over. Synchronous with the in-memory store, a promise with Redis.
   */
  checkKey(reply: FastifyReply, keyId: string, rateClass: RateClass): void | Promise<void>;
  /**
   * For the list's fast lane: counts the request and answers true when the key's in-memory
   * count is below half its budget (so the answer needs no RateLimit fields); otherwise counts
   * nothing and answers false, and the request takes the full path (which counts it).
   */
  countIfRelaxed(keyId: string, rateClass: RateClass): boolean;
  /** Throws 429 when this address has failed authentication too often lately (no database work follows). */
  checkAddress(request: FastifyRequest, reply: FastifyReply): void | Promise<void>;
  /** Counts a failed authentication (missing, malformed, unknown or revoked key) against the address. */
  failedFromAddress(request: FastifyRequest): void | Promise<void>;
}

/**
 * An onRequest hook for a route whose secret is in its body (no key): the caller's address is
 * checked against its budget for failed authentication before the body is read, as a key is.
 */
export function addressChecked(limits: Pick<RateLimits, 'checkAddress'>) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    try {
      const checked = limits.checkAddress(request, reply);
      if (checked instanceof Promise) checked.then(() => done(), done);
      else done();
    } catch (error) {
      done(error as Error);
    }
  };
}

/**
 * Rate limits kept in @fastify/rate-limit's stores (its fixed-window counters: in memory per
 * instance, or its Redis script shared by every instance). They are called from the one auth
 * hook, after the key is known, rather than from a hook per route: the common case (a key seen
 * lately, the in-memory store) then costs no promise at all.
 */
export function rateLimits(settings: RateLimitSettings, options: { redis: Redis | null; onLimited(rateClass: RateClass | 'unauthenticated'): void }): RateLimits {
  const storeFor = (name: string): Store => (options.redis ? new RedisStore(false, false, options.redis, `inbox-agents:rate:${name}:`) : new LocalStore(false, false, LOCAL_KEYS));
  const stores = Object.fromEntries(RATE_CLASSES.map((name) => [name, storeFor(name)])) as Record<RateClass, Store>;
  const addresses = storeFor('unauthenticated');

  /** The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers) for a count in its window. */
  const fields = (reply: FastifyReply, budget: RateBudget, current: number, ttl: number): void => {
    reply
      .header('ratelimit-limit', budget.max)
      .header('ratelimit-remaining', Math.max(0, budget.max - current))
      .header('ratelimit-reset', Math.max(0, Math.ceil(ttl / 1000)));
  };

  /** A 429, per key or per address alike: Retry-After and the RateLimit fields. */
  const refuse = (reply: FastifyReply, rateClass: RateClass | 'unauthenticated', budget: RateBudget, counted: { current: number; ttl: number }, what: string): never => {
    const retryAfter = Math.max(1, Math.ceil(counted.ttl / 1000));
    fields(reply, budget, counted.current, counted.ttl);
    reply.header('retry-after', retryAfter);
    options.onLimited(rateClass);
    throw new AppError('rate_limited', `${what}: ${budget.max} per ${budget.seconds} s are allowed; retry in ${retryAfter} s`);
  };

  const judgeKey = (reply: FastifyReply, rateClass: RateClass, budget: RateBudget, counted: Count): void => {
    if (!counted) return;
    // The fields appear once a key has used half its budget in the window: a client can slow
    // down before it is refused, and the far more common answer, to a client nowhere near its
    // limit, stays as small as it can be.
    if (counted.current * 2 < budget.max) return;
    if (counted.current > budget.max) refuse(reply, rateClass, budget, counted, `too many ${rateClass === 'reads' ? 'reads' : `${rateClass} requests`} with this key`);
    fields(reply, budget, counted.current, counted.ttl);
  };

  const judgeAddress = (reply: FastifyReply, budget: RateBudget, counted: Count): void => {
    if (counted && counted.current >= budget.max) refuse(reply, 'unauthenticated', budget, counted, 'too many requests without a valid key from this address');
  };

  return {
    checkKey(reply, keyId, rateClass) {
      const budget = settings[rateClass];
      if (!budget) return;
      const counted = count(stores[rateClass], 'incr', keyId, budget);
      if (counted instanceof Promise) return counted.then((value) => judgeKey(reply, rateClass, budget, value));
      judgeKey(reply, rateClass, budget, counted);
    },

    countIfRelaxed(keyId, rateClass) {
      const budget = settings[rateClass];
      if (!budget) return true;
      const store = stores[rateClass];
      if (!(store instanceof LocalStore)) return false;
      const seen = count(store, 'read', keyId, budget) as Count;
      if (seen && (seen.current + 1) * 2 >= budget.max) return false;
      // The in-memory store counts at once (checked above): nothing to wait for.
      void count(store, 'incr', keyId, budget);
      return true;
    },

    checkAddress(request, reply) {
      const budget = settings.unauthenticated;
      if (!budget) return;
      const counted = count(addresses, 'read', request.ip, budget);
      if (counted instanceof Promise) return counted.then((value) => judgeAddress(reply, budget, value));
      judgeAddress(reply, budget, counted);
    },

    failedFromAddress(request) {
      const budget = settings.unauthenticated;
      if (!budget) return;
      const counted = count(addresses, 'incr', request.ip, budget);
      if (counted instanceof Promise) return counted.then(() => undefined);
    },
  };
}
