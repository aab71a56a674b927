import type { Kysely } from 'kysely';
import type { Actor } from './actor.js';
import type { AuditService } from '../audit/service.js';
import type { ChangeTracker } from '../db/changes.js';
import type { Database, KeyKind } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { newId } from '../ids.js';
import type { TenancyReads } from './tenancy-reads.js';
import { agentKeyRefusal, chatbotKeyRefusal, operatorKeyRefusal } from './escalation.js';
import { grantProblem } from './permissions.js';
import { generateSecret, hashSecret } from './secrets.js';
import { keyEndsAt, type AuthService } from './service.js';
import { keyStore, type KeyRow, type KeyStore } from './store.js';

/** A key as listings show it: never the secret, only its last characters. */
export interface KeyListing {
  id: string;
  kind: KeyKind;
  name: string | null;
  agentId: string | null;
  chatbotId: string | null;
  /** The grants of a chatbot or operator key; an agent key's come from its agent's roles. */
  permissions: string[];
  /** The secret's last four characters. */
  hint: string;
  createdAt: string;
  /** When the key was last used, to the minute. */
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** After a rotation: until when the previous secret is still accepted. */
  previousSecretValidUntil: string | null;
  /** A browser's key (made by a sign-in link): when it ends unless used before. */
  expiresAt: string | null;
}

export const toListing = (row: KeyRow): KeyListing => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  agentId: row.agent_id,
  chatbotId: row.chatbot_id,
  permissions: JSON.parse(row.grants) as string[],
  hint: `cck_…${row.secret_hint}`,
  createdAt: isoTime(row.created_at)!,
  lastUsedAt: isoTime(row.last_used_at),
  revokedAt: isoTime(row.revoked_at),
  previousSecretValidUntil: row.previous_valid_until !== null && row.revoked_at === null ? isoTime(row.previous_valid_until) : null,
  expiresAt: isoTime(keyEndsAt(row)),
});

/** The longest a rotated-out secret may stay valid: a day to roll the new one out. */
export const MAX_OVERLAP_SECONDS = 86_400;

const NAME_RULE = 'name must be 1 to 200 characters';
function keyName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw new AppError('invalid_request', NAME_RULE);
  return trimmed;
}

function checkGrants(permissions: readonly string[], scope: 'chatbot' | 'any'): string[] {
  if (permissions.length === 0) throw new AppError('invalid_request', 'a key needs at least one permission');
  for (const permission of permissions) {
    const problem = grantProblem(permission, scope);
    if (problem) throw new AppError('invalid_request', problem);
  }
  return [...new Set(permissions)];
}

/**
 * Issuing, listing, revoking and rotating keys, for the CLI and the provisioning API. Every key a
 * key makes (or revokes, or rotates) is judged by the escalation rules first: no key ever makes
 * one with more power than itself. Each change is made with its audit entry, in one transaction.
 */
export function keyService(db: Kysely<Database>, keys: KeyStore, tenancy: TenancyReads, auth: AuthService, audit: AuditService, changes: ChangeTracker, now: () => number) {
  /** Whether the actor holds, where the key acts, at least what the key would act with. */
  async function refusalFor(actor: Actor, key: { kind: KeyKind; agentId: string | null; chatbotId: string | null; grants: readonly string[] }): Promise<string | null> {
    if (actor.kind === 'cli') return null;
    if (key.kind === 'operator') return operatorKeyRefusal(await auth.holdings(actor.principal, []), key.grants);
    if (key.kind === 'chatbot') return chatbotKeyRefusal(await auth.holdings(actor.principal, [key.chatbotId!]), key.chatbotId!, key.grants);
    const memberships = (await tenancy.membershipsOf(key.agentId!)).map((m) => ({ chatbotId: m.chatbot_id, role: m.role }));
    return agentKeyRefusal(
      await auth.holdings(
        actor.principal,
        memberships.map((m) => m.chatbotId),
      ),
      memberships,
    );
  }

  /** Makes the key; `via` is the chatbot whose administration made it (its audit log shows it). */
  async function issue(
    actor: Actor,
    fields: { kind: KeyKind; agentId: string | null; chatbotId: string | null; grants: string[]; name: string | null },
    via: string | null = fields.chatbotId,
  ) {
    const refusal = await refusalFor(actor, fields);
    if (refusal) throw new AppError('permission_denied', refusal);
    const secret = generateSecret();
    const row = {
      id: newId('key'),
      kind: fields.kind,
      agent_id: fields.agentId,
      chatbot_id: fields.chatbotId,
      grants: JSON.stringify(fields.grants),
      secret_hash: hashSecret(secret),
      secret_hint: secret.slice(-4),
      name: fields.name,
      created_at: now(),
      revoked_at: null,
    };
    await db.transaction().execute(async (x) => {
      await keyStore(x, changes).insertKey(row);
      await audit.record(x, actor, 'key.created', {
        chatbotId: via,
        agentId: fields.agentId,
        keyId: row.id,
        detail: { kind: fields.kind, name: fields.name, permissions: fields.grants },
      });
    });
    changes.tenancyChanged();
    const stored = (await keys.findKey(row.id))!;
    return { ...toListing(stored), key: secret };
  }

  /** The key with this id, if the chatbot's administration reaches it: a key of the chatbot, or of one of its members. */
  async function keyInChatbot(keyId: string, chatbotId: string | null): Promise<KeyRow> {
    const row = await keys.findKey(keyId);
    const reachable =
      row !== undefined &&
      (chatbotId === null ? row.kind === 'operator' : row.chatbot_id === chatbotId || (row.agent_id !== null && (await tenancy.findRole(chatbotId, row.agent_id)) !== undefined));
    if (!reachable) throw new AppError('not_found', chatbotId === null ? `no operator key ${keyId}` : `no key ${keyId} in chatbot ${chatbotId}`);
    return row!;
  }

  /** The chatbot whose administration acts, if any (for the audit log). */
  const via = (chatbotId: string | null | 'any') => (chatbotId === 'any' ? null : chatbotId);
  const describe = (row: KeyRow) => ({ kind: row.kind, agentId: row.agent_id, chatbotId: row.chatbot_id, grants: JSON.parse(row.grants) as string[] });

  return {
    /** Why the actor may not make a key acting as the agent (see agentKeyRefusal), or null. */
    agentKeyRefusal: (actor: Actor, agentId: string) => refusalFor(actor, { kind: 'agent', agentId, chatbotId: null, grants: [] }),

    /** A key that acts as the agent, with its role's permissions in each of its chatbots. */
    async createAgentKey(actor: Actor, input: { agentId: string; name?: string | null; chatbotId?: string }) {
      // Through a chatbot, an agent that is not its member is answered as one that does not exist.
      if (input.chatbotId !== undefined && (await tenancy.findRole(input.chatbotId, input.agentId)) === undefined) {
        throw new AppError('not_found', `agent ${input.agentId} is not a member of chatbot ${input.chatbotId}`);
      }
      const agent = await tenancy.findAgent(input.agentId);
      if (!agent) throw new AppError('not_found', `agent ${input.agentId} does not exist`);
      return issue(actor, { kind: 'agent', agentId: input.agentId, chatbotId: null, grants: [], name: keyName(input.name) }, input.chatbotId ?? null);
    },

    /** An integration's key with explicit grants on one chatbot. */
    async createChatbotKey(actor: Actor, input: { chatbotId: string; permissions: string[]; name?: string | null }) {
      const grants = checkGrants(input.permissions, 'chatbot');
      if (!(await tenancy.findChatbot(input.chatbotId))) throw new AppError('not_found', `chatbot ${input.chatbotId} does not exist`);
      return issue(actor, { kind: 'chatbot', agentId: null, chatbotId: input.chatbotId, grants, name: keyName(input.name) });
    },

    /** An install-wide key: the CLI makes the first; after that only operator keys, with grants they hold. */
    async createOperatorKey(actor: Actor, input: { permissions: string[]; name?: string | null }) {
      return issue(actor, { kind: 'operator', agentId: null, chatbotId: null, grants: checkGrants(input.permissions, 'any'), name: keyName(input.name) });
    },

    /**
     * Revokes a key (within `chatbotId`'s reach, or an operator key when null; the CLI reaches
     * every key); every later request with it is refused. A key may revoke only keys it could
     * have made, or itself. Revoking twice is harmless.
     */
    async revokeKey(actor: Actor, keyId: string, chatbotId: string | null | 'any') {
      const row = chatbotId === 'any' ? await keys.findKey(keyId) : await keyInChatbot(keyId, chatbotId);
      if (!row) throw new AppError('not_found', `key ${keyId} does not exist`);
      const self = actor.kind === 'key' && actor.principal.keyId === keyId;
      const refusal = self ? null : await refusalFor(actor, describe(row));
      if (refusal) throw new AppError('permission_denied', refusal.replace('make', 'revoke'));
      if (row.revoked_at === null) {
        await db.transaction().execute(async (x) => {
          await keyStore(x, changes).revokeKey(keyId, now());
          await audit.record(x, actor, 'key.revoked', { chatbotId: row.chatbot_id ?? via(chatbotId), agentId: row.agent_id, keyId });
        });
        changes.tenancyChanged();
      }
      return { id: keyId, revoked: true as const };
    },

    /**
     * A new secret for the key (shown once); the previous one stays valid for `overlapSeconds`
     * (0 to 86,400) so clients can switch without an outage, then is refused.
     */
    async rotateKey(actor: Actor, keyId: string, chatbotId: string | null | 'any', overlapSeconds: number) {
      if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_OVERLAP_SECONDS) {
        throw new AppError('invalid_request', `overlapSeconds must be a whole number from 0 to ${MAX_OVERLAP_SECONDS}`);
      }
      const row = chatbotId === 'any' ? await keys.findKey(keyId) : await keyInChatbot(keyId, chatbotId);
      if (!row) throw new AppError('not_found', `key ${keyId} does not exist`);
      if (row.revoked_at !== null) throw new AppError('key_revoked', `key ${keyId} is revoked; make a new key instead`);
      const refusal = await refusalFor(actor, describe(row));
      if (refusal) throw new AppError('permission_denied', refusal.replace('make', 'rotate'));
      const secret = generateSecret();
      const validUntil = now() + overlapSeconds * 1000;
      await db.transaction().execute(async (x) => {
        await keyStore(x, changes).rotateKey(keyId, hashSecret(secret), secret.slice(-4), validUntil);
        await audit.record(x, actor, 'key.rotated', { chatbotId: row.chatbot_id ?? via(chatbotId), agentId: row.agent_id, keyId, detail: { overlapSeconds } });
      });
      changes.tenancyChanged();
      return { ...toListing((await keys.findKey(keyId))!), key: secret };
    },

    /** Keys without secrets: a chatbot's (its chatbot keys and its members' agent keys), one agent's, or the operator keys. */
    async listKeys(filter: { chatbotId?: string; agentId?: string; kind?: KeyKind }, page: Page) {
      return pageAnswer(await keys.listKeys(filter, page), page, (row) => ({ at: Number(row.created_at), id: row.id }), toListing);
    },
  };
}

export type KeyService = ReturnType<typeof keyService>;
