import { AppError } from '../errors.js';
import { LRUCache } from 'lru-cache';
import type { ChangeTracker } from '../db/changes.js';
import type { Kysely } from 'kysely';
import type { Database, MemberRole } from '../db/schema.js';
import type { TenancyReads } from './tenancy-reads.js';
import type { Holdings } from './escalation.js';
import { covers, PERMISSION_SCOPES, ROLE_GRANTS, type Permission } from './permissions.js';
import { hashesMatch, hashSecret, looksLikeSecret, SECRET_LENGTH, SECRET_PREFIX } from './secrets.js';
import { type KeyRow, type KeyStore, keyStore } from './store.js';

/** Who a request acts as, once its key is known. */
export type Principal =
  | { keyId: string; kind: 'agent'; agentId: string }
  | { keyId: string; kind: 'chatbot'; chatbotId: string; grants: readonly string[] }
  | { keyId: string; kind: 'operator'; grants: readonly string[] };

const CACHE_LIMIT = 50_000;
/** Keys' last use is recorded to the minute: at most one write per key per minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Why the principal may not use `permission` on `chatbotId` (an agent's `role` there given), or null when it may. */
function judge(principal: Principal, role: MemberRole | undefined, chatbotId: string | null, permission: Permission, needsAgent: boolean): AppError | null {
  const scope = PERMISSION_SCOPES[permission];
  let grants: readonly string[];
  if (scope === 'install' || chatbotId === null) {
    if (principal.kind !== 'operator')
      return new AppError('permission_denied', `${permission} is for operator keys; this is ${principal.kind === 'agent' ? 'an agent' : 'a chatbot'} key`);
    grants = principal.grants;
  } else if (principal.kind === 'agent') {
    if (!role) return new AppError('chatbot_forbidden', `this key has no access to chatbot ${chatbotId}`);
    grants = ROLE_GRANTS[role];
  } else if (principal.kind === 'chatbot') {
    if (principal.chatbotId !== chatbotId) return new AppError('chatbot_forbidden', `this key has no access to chatbot ${chatbotId}`);
    grants = principal.grants;
  } else {
    grants = principal.grants;
  }
  if (needsAgent && principal.kind !== 'agent') {
    return new AppError(
      'key_not_bound_to_agent',
      `this is ${principal.kind === 'operator' ? 'an operator' : 'a chatbot'} key, not bound to an agent, so it has no "me"; use an agent key`,
    );
  }
  if (!grants.some((grant) => covers(grant, permission))) {
    return new AppError('permission_denied', `this key lacks the permission ${permission}${scope === 'chatbot' && chatbotId !== null ? ` on chatbot ${chatbotId}` : ''}`);
  }
  return null;
}

/**
 * When a key made by a sign-in link ends: its expiry after its last use (or its making, if never
 * used), or null for a key that never ends by itself. Last use is known to the minute.
 */
export function keyEndsAt(row: Pick<KeyRow, 'expires_unused_ms' | 'last_used_at' | 'created_at'>): number | null {
  if (row.expires_unused_ms === null) return null;
  return Number(row.last_used_at ?? row.created_at) + Number(row.expires_unused_ms);
}

const EXPIRED_KEY = 'this browser session ended after 30 days unused; sign in again with a new sign-in link';

/** Who a valid key row acts as. */
function principalOf(row: KeyRow): Principal {
  const grants = JSON.parse(row.grants) as string[];
  if (row.kind === 'agent' && row.agent_id) return { keyId: row.id, kind: 'agent', agentId: row.agent_id };
  if (row.kind === 'chatbot' && row.chatbot_id) return { keyId: row.id, kind: 'chatbot', chatbotId: row.chatbot_id, grants };
  if (row.kind === 'operator') return { keyId: row.id, kind: 'operator', grants };
  throw new AppError('invalid_key', 'the API key is not valid');
}

/** Key uses are written in batches this long after the first of them. */
const USES_BATCH_MS = 1000;
/** A batch that failed is tried again after this, doubling each time up to USES_RETRY_MAX_MS. */
const USES_RETRY_FIRST_MS = 1000;
const USES_RETRY_MAX_MS = 60_000;

/** What a revoked, expired or unknown key holds. */
const NO_HOLDINGS: Holdings = { install: [], on: () => [], operator: false };

/** What the principal holds on the install and on each chatbot, an agent's roles read by `roleOf`. */
async function holdingsOf(principal: Principal, chatbotIds: readonly string[], roleOf: (chatbotId: string, agentId: string) => Promise<MemberRole | undefined>): Promise<Holdings> {
  const byChatbot = new Map<string, readonly string[]>();
  for (const chatbotId of new Set(chatbotIds)) {
    if (principal.kind === 'operator') byChatbot.set(chatbotId, principal.grants);
    else if (principal.kind === 'chatbot') byChatbot.set(chatbotId, principal.chatbotId === chatbotId ? principal.grants : []);
    else {
      const role = await roleOf(chatbotId, principal.agentId);
      byChatbot.set(chatbotId, role ? ROLE_GRANTS[role] : []);
    }
  }
  return {
    install: principal.kind === 'operator' ? principal.grants : [],
    on: (chatbotId) => byChatbot.get(chatbotId) ?? [],
    operator: principal.kind === 'operator',
  };
}

/**
 * Authentication and authorization: the checks every protected request goes through.
 *
 * Key and membership lookups are cached, but an entry is used only while the change tracker
 * says no key, membership or outside write happened since it was read: a revocation (here or
 * from the CLI in another process) is honoured on the very next request. A rotated key's
 * previous secret is cached with the moment it stops being valid. Unknown keys are never
 * cached, so guessing cannot fill memory.
 */
export function authService(keys: KeyStore, tenancyStore: TenancyReads, changes: ChangeTracker, now: () => number, { cacheLimit = CACHE_LIMIT } = {}) {
  // Least recently used first out when full: a busy key is never forgotten for a flood of others,
  // and no moment comes when every key is unseen at once (each then a database read, and unknown
  // keys spend the caller address's budget of failed authentications).
  const principalsByHash = new LRUCache<string, { stamp: number; principal: Principal; validUntil: number }>({ max: cacheLimit });
  const rolesByMembership = new LRUCache<string, { stamp: number; role: MemberRole | undefined }>({ max: cacheLimit });
  /** Keys looked up in the database because the cache did not know them (metrics, tests). */
  const stats = { keyLookups: 0 };

  async function roleOf(chatbotId: string, agentId: string): Promise<MemberRole | undefined> {
    const cacheKey = `${chatbotId}\u0000${agentId}`;
    const cached = rolesByMembership.get(cacheKey);
    if (cached && changes.tenancyFresh(cached.stamp)) return cached.role;
    const stamp = changes.stamp();
    const role = await tenancyStore.findRole(chatbotId, agentId);
    rolesByMembership.set(cacheKey, { stamp, role });
    return role;
  }

  // Last use, to the minute: remembered here, written in batches off the request path. A batch
  // that fails to be written is told (the log), kept, and written again later, backing off.
  const lastRecorded = new LRUCache<string, number>({ max: cacheLimit });
  const pendingUses = new Map<string, number>();
  const usesFailedListeners: Array<(error: unknown, keyIds: readonly string[]) => void> = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let retryMs = USES_RETRY_FIRST_MS;
  let stopped = false;
  const scheduleFlush = (delay: number) => {
    if (flushTimer || stopped) return;
    flushTimer = setTimeout(() => void flushUses(), delay);
    flushTimer.unref();
  };
  /** Writes what is pending, after any write in progress (one at a time, so none overtakes another). */
  const flushUses = (): Promise<void> => {
    flushTimer = null;
    writing = writing.then(async () => {
      const uses = [...pendingUses].map(([id, at]) => ({ id, at }));
      pendingUses.clear();
      if (uses.length === 0) return;
      try {
        await keys.touchKeys(uses);
        retryMs = USES_RETRY_FIRST_MS;
      } catch (error) {
        for (const use of uses) if ((pendingUses.get(use.id) ?? 0) < use.at) pendingUses.set(use.id, use.at);
        for (const listener of usesFailedListeners) {
          try {
            listener(
              error,
              uses.map((use) => use.id),
            );
          } catch {
            // A listener that fails must not stop the writes.
          }
        }
        scheduleFlush(retryMs);
        retryMs = Math.min(retryMs * 2, USES_RETRY_MAX_MS);
      }
    });
    return writing;
  };
  function used(principal: Principal): void {
    const at = now();
    const minute = at - (at % LAST_USED_RESOLUTION_MS);
    if (lastRecorded.get(principal.keyId) === minute) return;
    lastRecorded.set(principal.keyId, minute);
    pendingUses.set(principal.keyId, minute);
    scheduleFlush(USES_BATCH_MS);
  }

  return {
    stats,

    /**
     * Writes the key uses not yet recorded, once any write in progress ended (at shutdown: no
     * retry is left waiting after it).
     */
    flushUses: async () => {
      if (flushTimer) clearTimeout(flushTimer);
      await flushUses();
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
    },

    /** At shutdown, after the last flush: no write is scheduled any more (the database closes). */
    stopUses(): void {
      stopped = true;
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
    },

    /** Tells `listener` of each batch of key uses that could not be written (it is tried again). */
    onUsesFailed(listener: (error: unknown, keyIds: readonly string[]) => void): void {
      usesFailedListeners.push(listener);
    },

    /**
     * The principal of a key seen lately and unchanged since, without any database work; undefined
     * when the key must be looked up (the hook first checks the caller's address budget then).
     */
    cachedPrincipal(secret: string | undefined): Principal | undefined {
      // Only the cheapest shape check: anything malformed misses the cache and is judged by authenticate().
      if (secret === undefined || secret.length !== SECRET_LENGTH || !secret.startsWith(SECRET_PREFIX)) return undefined;
      const cached = principalsByHash.get(hashSecret(secret));
      if (!cached || !changes.tenancyFresh(cached.stamp) || now() >= cached.validUntil) return undefined;
      used(cached.principal);
      return cached.principal;
    },

    /** Resolves the `x-chatcaptain-key` header to a principal, or throws 401. */
    async authenticate(secret: string | undefined): Promise<Principal> {
      if (secret === undefined || secret === '') {
        throw new AppError('missing_key', 'an API key is required in the x-chatcaptain-key header');
      }
      if (!looksLikeSecret(secret)) throw new AppError('invalid_key', 'the API key is not valid');
      const hash = hashSecret(secret);
      const cached = principalsByHash.get(hash);
      if (cached && changes.tenancyFresh(cached.stamp) && now() < cached.validUntil) {
        used(cached.principal);
        return cached.principal;
      }
      const stamp = changes.stamp();
      stats.keyLookups++;
      const row = await keys.findKeyByHash(hash);
      // The lookup is by hash, so the secret itself is never compared; the final check is
      // constant-time anyway so no code path compares key material byte by byte.
      const current = row && hashesMatch(row.secret_hash, hash);
      if (!row || (!current && !(row.previous_secret_hash && hashesMatch(row.previous_secret_hash, hash)))) {
        throw new AppError('invalid_key', 'the API key is not valid');
      }
      if (row.revoked_at !== null) throw new AppError('revoked_key', 'the API key has been revoked');
      const validUntil = current ? Number.POSITIVE_INFINITY : Number(row.previous_valid_until ?? 0);
      if (now() >= validUntil) throw new AppError('rotated_key', 'this secret was replaced when the key was rotated; use the new secret');
      const endsAt = keyEndsAt(row);
      if (endsAt !== null && now() >= endsAt) throw new AppError('expired_key', EXPIRED_KEY);
      const principal = principalOf(row);
      // Cached until its end as read now: a key in use is looked up again then, with its newer last use.
      principalsByHash.set(hash, { stamp, principal, validUntil: Math.min(validUntil, endsAt ?? Number.POSITIVE_INFINITY) });
      used(principal);
      return principal;
    },

    /** The principal of a key known by id (a stream ticket's), or 401 when it is gone or revoked. */
    async principalForKey(keyId: string): Promise<Principal> {
      const row = await keys.findKey(keyId);
      if (!row) throw new AppError('invalid_key', 'the API key behind this ticket no longer exists');
      if (row.revoked_at !== null) throw new AppError('revoked_key', 'the API key behind this ticket has been revoked');
      const endsAt = keyEndsAt(row);
      if (endsAt !== null && now() >= endsAt) throw new AppError('expired_key', EXPIRED_KEY);
      return principalOf(row);
    },

    /**
     * Checks that the principal may use `permission` on chatbot `chatbotId` (null: on the
     * install). Tenancy first, so a key learns nothing about chatbots it may not touch (the same
     * answer whether they exist or not).
     */
    async authorize(principal: Principal, chatbotId: string | null, permission: Permission, needsAgent: boolean): Promise<void> {
      const role = principal.kind === 'agent' && chatbotId !== null ? await roleOf(chatbotId, principal.agentId) : undefined;
      const refusal = judge(principal, role, chatbotId, permission, needsAgent);
      if (refusal) throw refusal;
    },

    /**
     * authorize() without any database work: null when allowed, the refusal, or undefined when
     * the agent's membership must be read first (then call authorize).
     */
    authorizeCached(principal: Principal, chatbotId: string | null, permission: Permission, needsAgent: boolean): AppError | null | undefined {
      if (principal.kind !== 'agent' || chatbotId === null) return judge(principal, undefined, chatbotId, permission, needsAgent);
      const cached = rolesByMembership.get(`${chatbotId}\u0000${principal.agentId}`);
      if (!cached || !changes.tenancyFresh(cached.stamp)) return undefined;
      return judge(principal, cached.role, chatbotId, permission, needsAgent);
    },

    /** What the principal holds on the install and on each chatbot (for the escalation rules), read now. */
    holdings: (principal: Principal, chatbotIds: readonly string[]): Promise<Holdings> => holdingsOf(principal, chatbotIds, roleOf),

    /**
     * What whoever acted with a key holds now on the chatbots, read in `x` (a transaction), for
     * what a key gave earlier and is used later (an invitation opened: it gives no more than its
     * maker holds at that moment). An agent key's maker is its agent: the agent's roles where it
     * is still a member, whatever became of that browser's key (signing out revokes it). A
     * chatbot or operator key is its own maker: nothing once it is revoked.
     */
    async holdingsOfKey(x: Kysely<Database>, keyId: string, chatbotIds: readonly string[]): Promise<Holdings> {
      const store = keyStore(x, changes);
      const row = await store.findKey(keyId);
      if (!row) return NO_HOLDINGS;
      if (row.kind !== 'agent' && row.revoked_at !== null) return NO_HOLDINGS;
      return holdingsOf(principalOf(row), chatbotIds, store.roleIn);
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
