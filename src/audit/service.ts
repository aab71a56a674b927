import type { Kysely } from 'kysely';
import type { Database, KeyKind } from '../db/schema.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { orderedId } from '../ids.js';
import type { AuditActor } from './actor.js';
import type { Run } from '../db/prepared.js';
import { auditAppendMany, auditStore, type AuditRow } from './store.js';

/** What was done. Stable names: integrations filter on them. */
export const AUDIT_ACTIONS = [
  'chatbot.created',
  'chatbot.renamed',
  'chatbot.settings_changed',
  'chatbot.deleted',
  'agent.created',
  'agent.updated',
  'agent.deleted',
  'member.added',
  'member.role_changed',
  'member.skills_changed',
  'member.removed',
  'key.created',
  'key.revoked',
  'key.rotated',
  'login_link.created',
  'login_link.used',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'assignment.created',
  'assignment.released',
  'assignment.transferred',
  'assignment.waiting',
  'assignment.cancelled',
  'assignment.expired',
  'assignment.offered',
  'assignment.accepted',
  'assignment.declined',
  'assignment.offer_missed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  actor: { keyId: string | null; kind: KeyKind | 'cli' | 'login_link' | 'service'; name: string | null; agentId: string | null };
  action: AuditAction;
  chatbotId: string | null;
  agentId: string | null;
  keyId: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

/**
 * Who acted, as a person reads it: an agent key (or a sign-in link's) by its agent's name, any
 * other key by its own name. Null for the CLI and the service, and for a key or agent deleted since.
 */
export const actorName = (row: Pick<AuditRow, 'actor_key_name' | 'actor_agent_id' | 'actor_agent_name'>): { name: string | null; agentId: string | null } => ({
  name: row.actor_agent_id !== null ? row.actor_agent_name : row.actor_key_name,
  agentId: row.actor_agent_id,
});

/** Who acted, in a table cell: "Grace Hopper (agent key key_…)", "chatbot key Helpdesk sync (key_…)", "cli". */
export function actorWords(actor: AuditEntry['actor']): string {
  if (actor.keyId === null) return actor.kind;
  if (actor.agentId !== null) return `${actor.name ?? 'a deleted agent'} (agent key ${actor.keyId})`;
  return `${actor.kind} key${actor.name ? ` ${actor.name}` : ''} (${actor.keyId})`;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: isoTime(row.at)!,
  actor: { keyId: row.actor_key_id, kind: row.actor_kind as KeyKind | 'cli' | 'login_link' | 'service', ...actorName(row) },
  action: row.action as AuditAction,
  chatbotId: row.chatbot_id,
  agentId: row.agent_id,
  keyId: row.key_id,
  requestId: row.request_id,
  detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
});

/**
 * The audit log of administrative changes: who (a key and its kind, or `cli`), what, on which
 * chatbot, agent or key, from which request. An entry is written in the same transaction as the
 * change it records, so there is no change without its entry. Details name what changed (a name,
 * a role, grants), never a secret.
 */
export function auditService(db: Kysely<Database>, now: () => number) {
  const appendMany = auditAppendMany(db);
  const rowOf = (actor: AuditActor, action: AuditAction, on: { chatbotId?: string | null; agentId?: string | null; keyId?: string | null; detail?: Record<string, unknown> }) => {
    const at = now();
    return {
      id: orderedId('aud', at),
      at,
      actor_key_id: actor.kind === 'key' ? actor.principal.keyId : null,
      actor_kind: actor.kind === 'key' ? actor.principal.kind : actor.kind,
      action,
      chatbot_id: on.chatbotId ?? null,
      agent_id: on.agentId ?? null,
      key_id: on.keyId ?? null,
      request_id: actor.kind === 'cli' || actor.kind === 'service' ? null : actor.requestId,
      detail: on.detail ? JSON.stringify(on.detail) : null,
    };
  };
  return {
    /** Appends an entry, with `x` the transaction that makes the change. */
    async record(
      x: Kysely<Database>,
      actor: AuditActor,
      action: AuditAction,
      on: { chatbotId?: string | null; agentId?: string | null; keyId?: string | null; detail?: Record<string, unknown> },
    ): Promise<void> {
      await auditStore(x).append(rowOf(actor, action, on));
    },

    /** Appends an entry inside a unit of work (presence.reconcile's write), through its `run`. */
    async recordIn(
      run: Run,
      actor: AuditActor,
      action: AuditAction,
      on: { chatbotId?: string | null; agentId?: string | null; keyId?: string | null; detail?: Record<string, unknown> },
    ): Promise<void> {
      // Nothing in the unit reads the log: its entries are written together, in one statement
      // before the unit's next read or its end (Run.append).
      run.append(appendMany, rowOf(actor, action, on));
    },

    /** Inside a unit of work: one entry per item, in one statement (its rows are not wanted: it goes with the next statement). */
    async recordManyIn(
      run: Run,
      actor: AuditActor,
      action: AuditAction,
      items: ReadonlyArray<{ chatbotId?: string | null; agentId?: string | null; keyId?: string | null; detail?: Record<string, unknown> }>,
    ): Promise<void> {
      if (items.length > 0)
        await run.write(
          appendMany,
          items.map((on) => rowOf(actor, action, on)),
        );
    },

    /** Entries newest first: of one chatbot, or all. */
    async list(filter: { chatbotId?: string }, page: Page) {
      const rows = await auditStore(db).list(filter, page);
      return pageAnswer(rows, page, (row) => ({ at: Number(row.at), id: row.id }), toEntry);
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
