import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { BoundedCache, type ChangeTracker } from '../db/changes.js';
import type { ApiKeyTable, KeyKind, MemberRole } from '../db/schema.js';
import type { TenancyService, TenancyStore } from '../tenancy/index.js';
import { covers, grantProblem, ROLE_GRANTS, type Permission } from './permissions.js';
import { generateSecret, hashesMatch, hashSecret, looksLikeSecret, SECRET_LENGTH, SECRET_PREFIX } from './secrets.js';
import type { KeyStore } from './store.js';

/** Who a request acts as, once its key is known. */
export type Principal =
  | { keyId: string; kind: 'agent'; agentId: string }
  | { keyId: string; kind: 'chatbot'; chatbotId: string; grants: readonly string[] };

/** A key as listings show it: never the secret, only its last characters. */
export interface KeyListing {
  id: string;
  kind: KeyKind;
  agentId: string | null;
  chatbotId: string | null;
  permissions: string[];
  hint: string;
  name: string | null;
  createdAt: string;
  revokedAt: string | null;
}

function toListing(row: ApiKeyTable): KeyListing {
  return {
    id: row.id,
    kind: row.kind,
    agentId: row.agent_id,
    chatbotId: row.chatbot_id,
    permissions: JSON.parse(row.grants) as string[],
    hint: `cck_…${row.secret_hint}`,
    name: row.name,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
  };
}

const CACHE_LIMIT = 50_000;

/** Why the principal may not use `permission` on the chatbot (an agent's `role` there given), or null when it may. */
function judge(principal: Principal, role: MemberRole | undefined, chatbotId: string, permission: Permission, needsAgent: boolean): AppError | null {
  let grants: readonly string[];
  if (principal.kind === 'agent') {
    if (!role) return new AppError('chatbot_forbidden', `this key has no access to chatbot ${chatbotId}`);
    grants = ROLE_GRANTS[role];
  } else {
    if (principal.chatbotId !== chatbotId) return new AppError('chatbot_forbidden', `this key has no access to chatbot ${chatbotId}`);
    if (needsAgent) return new AppError('key_not_bound_to_agent', 'this is a chatbot key, not bound to an agent, so it has no "me"; use an agent key');
    grants = principal.grants;
  }
  if (!grants.some((grant) => covers(grant, permission))) {
    return new AppError('permission_denied', `this key lacks the permission ${permission} on chatbot ${chatbotId}`);
  }
  return null;
}

/** Who a valid, unrevoked key row acts as. */
function principalOf(row: ApiKeyTable): Principal {
  if (row.kind === 'agent' && row.agent_id) return { keyId: row.id, kind: 'agent', agentId: row.agent_id };
  if (row.kind === 'chatbot' && row.chatbot_id) return { keyId: row.id, kind: 'chatbot', chatbotId: row.chatbot_id, grants: JSON.parse(row.grants) as string[] };
  throw new AppError('invalid_key', 'the API key is not valid');
}

/**
 * Key issuance, revocation, and the checks every protected request goes through.
 *
 * Key and membership lookups are cached, but an entry is used only while the change tracker
 * says no key, membership or outside write happened since it was read: a revocation (here or
 * from the CLI in another process) is honoured on the very next request. Unknown keys are
 * never cached, so guessing cannot fill memory.
 */
export function authService(keys: KeyStore, tenancyStore: TenancyStore, tenancy: TenancyService, changes: ChangeTracker, now: () => number) {
  const principalsByHash = new BoundedCache<string, { stamp: number; principal: Principal }>(CACHE_LIMIT);
  const rolesByMembership = new BoundedCache<string, { stamp: number; role: MemberRole | undefined }>(CACHE_LIMIT);

  async function roleOf(chatbotId: string, agentId: string): Promise<MemberRole | undefined> {
    const cacheKey = `${chatbotId}\u0000${agentId}`;
    const cached = rolesByMembership.get(cacheKey);
    if (cached && changes.tenancyFresh(cached.stamp)) return cached.role;
    const stamp = changes.stamp();
    const role = await tenancyStore.findRole(chatbotId, agentId);
    rolesByMembership.set(cacheKey, { stamp, role });
    return role;
  }

  async function issue(fields: Pick<ApiKeyTable, 'kind' | 'agent_id' | 'chatbot_id' | 'grants' | 'name'>) {
    const secret = generateSecret();
    const row: ApiKeyTable = {
      ...fields,
      id: newId('key'),
      secret_hash: hashSecret(secret),
      secret_hint: secret.slice(-4),
      created_at: now(),
      revoked_at: null,
    };
    await keys.insertKey(row);
    return { ...toListing(row), key: secret };
  }

  /** Keys looked up in the database because the cache did not know them (metrics, tests). */
  const stats = { keyLookups: 0 };

  return {
    stats,

    /** Issues a key that acts as the agent, with its role's permissions in each of its chatbots. */
    async createAgentKey(input: { agentId: string; name?: string }) {
      await tenancy.requireAgent(input.agentId);
      return issue({ kind: 'agent', agent_id: input.agentId, chatbot_id: null, grants: '[]', name: input.name ?? null });
    },

    /** Issues an integration key with explicit grants on one chatbot. */
    async createChatbotKey(input: { chatbotId: string; permissions: string[]; name?: string }) {
      if (input.permissions.length === 0) {
        throw new AppError('invalid_request', 'a chatbot key needs at least one permission (--permission <name>)');
      }
      for (const permission of input.permissions) {
        const problem = grantProblem(permission);
        if (problem) throw new AppError('invalid_request', problem);
      }
      await tenancy.requireChatbot(input.chatbotId);
      const grants = JSON.stringify([...new Set(input.permissions)]);
      return issue({ kind: 'chatbot', agent_id: null, chatbot_id: input.chatbotId, grants, name: input.name ?? null });
    },

    /** Revokes a key; every later request with it is refused. Revoking twice is harmless. */
    async revokeKey(id: string) {
      const key = await keys.findKey(id);
      if (!key) throw new AppError('not_found', `key ${id} does not exist`);
      await keys.revokeKey(id, now());
      return { id, revoked: true as const };
    },

    async listKeys(filter: { agentId?: string; chatbotId?: string } = {}): Promise<KeyListing[]> {
      return (await keys.listKeys(filter)).map(toListing);
    },

    /** The principal of a key known by id (a stream ticket's), or 401 when it is gone or revoked. */
    async principalForKey(keyId: string): Promise<Principal> {
      const row = await keys.findKey(keyId);
      if (!row) throw new AppError('invalid_key', 'the API key behind this ticket no longer exists');
      if (row.revoked_at !== null) throw new AppError('revoked_key', 'the API key behind this ticket has been revoked');
      return principalOf(row);
    },

    /**
     * The principal of a key seen lately and unchanged since, without any database work; undefined
     * when the key must be looked up (the hook first checks the caller's address budget then).
     */
    cachedPrincipal(secret: string | undefined): Principal | undefined {
      // Only the cheapest shape check: anything malformed misses the cache and is judged by authenticate().
      if (secret === undefined || secret.length !== SECRET_LENGTH || !secret.startsWith(SECRET_PREFIX)) return undefined;
      const cached = principalsByHash.get(hashSecret(secret));
      return cached && changes.tenancyFresh(cached.stamp) ? cached.principal : undefined;
    },

    /** Resolves the `x-chatcaptain-key` header to a principal, or throws 401. */
    async authenticate(secret: string | undefined): Promise<Principal> {
      if (secret === undefined || secret === '') {
        throw new AppError('missing_key', 'an API key is required in the x-chatcaptain-key header');
      }
      if (!looksLikeSecret(secret)) throw new AppError('invalid_key', 'the API key is not valid');
      const hash = hashSecret(secret);
      const cached = principalsByHash.get(hash);
      if (cached && changes.tenancyFresh(cached.stamp)) return cached.principal;
      const stamp = changes.stamp();
      stats.keyLookups++;
      const row = await keys.findKeyByHash(hash);
      // The lookup is by hash, so the secret itself is never compared; the final check is
      // constant-time anyway so no code path compares key material byte by byte.
      if (!row || !hashesMatch(row.secret_hash, hash)) throw new AppError('invalid_key', 'the API key is not valid');
      if (row.revoked_at !== null) throw new AppError('revoked_key', 'the API key has been revoked');
      const principal = principalOf(row);
      principalsByHash.set(hash, { stamp, principal });
      return principal;
    },

    /**
     * Checks that the principal may use `permission` on chatbot `chatbotId`. Tenancy first, so a
     * key learns nothing about chatbots it may not touch (same answer whether they exist or not).
     */
    async authorize(principal: Principal, chatbotId: string, permission: Permission, needsAgent: boolean): Promise<void> {
      const role = principal.kind === 'agent' ? await roleOf(chatbotId, principal.agentId) : undefined;
      const refusal = judge(principal, role, chatbotId, permission, needsAgent);
      if (refusal) throw refusal;
    },

    /**
     * authorize() without any database work: null when allowed, the refusal, or undefined when
     * the agent's membership must be read first (then call authorize).
     */
    authorizeCached(principal: Principal, chatbotId: string, permission: Permission, needsAgent: boolean): AppError | null | undefined {
      if (principal.kind !== 'agent') return judge(principal, undefined, chatbotId, permission, needsAgent);
      const cached = rolesByMembership.get(`${chatbotId}\u0000${principal.agentId}`);
      if (!cached || !changes.tenancyFresh(cached.stamp)) return undefined;
      return judge(principal, cached.role, chatbotId, permission, needsAgent);
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
