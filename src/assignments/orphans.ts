import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AssignmentService, ServiceActor } from './service.js';
import { assignmentStore } from './store.js';

/** The states in which an agent is gone for its chats: not busy (still at work), not available. */
const ABSENT = new Set(['offline', 'away', 'dnd']);

/**
 * When an open assignment becomes orphaned: its agent's announced state (`visible`, the JSON
 * `[state, reason, text, until]`; null: never announced, offline) is offline, away or
 * do-not-disturb, and has been since `since` (or since the assignment, if later) for
 * `reassignAfterSeconds`. Null while the agent is available or busy. Pure.
 */
export function orphanedAt(visible: string | null, since: number | null, assignedAt: number, reassignAfterSeconds: number): number | null {
  const state = visible === null ? 'offline' : (JSON.parse(visible) as [string])[0];
  if (!ABSENT.has(state)) return null;
  return Math.max(since ?? assignedAt, assignedAt) + reassignAfterSeconds * 1000;
}

/** What one sweep announced: per agent gone, its conversations, and where those that moved went. */
export interface Orphaned {
  chatbotId: string;
  agentId: string;
  conversations: string[];
  moved: Array<{ conversationId: string; agentId: string }>;
}

/** The webhook message of an agent's orphaned conversations (sent to every webhook of its chatbot). */
export interface OrphanAnnouncer {
  queueEvent(chatbotId: string, agentId: string, payload: string, at: number): Promise<void>;
}

/**
 * Watches open assignments for agents who left: once an agent has been offline, away or
 * do-not-disturb for the chatbot's `reassignAfterSeconds`, its open assignments are announced
 * orphaned once across instances (a conditional write claims them) as a signed
 * `assignment.orphaned` webhook, and, where the chatbot has `autoReassign`, each is moved to an
 * eligible agent by the same rules (one that nobody can take stays, announced). An agent back
 * (available or busy) before then keeps its chats, and is watched again once back.
 */
export function orphanWatch(db: Kysely<Database>, assignments: AssignmentService, announcer: OrphanAnnouncer, now: () => number) {
  const store = assignmentStore(db);
  const actor: ServiceActor = { kind: 'service' };
  return {
    /** One pass: what it announced. */
    async sweep(): Promise<Orphaned[]> {
      await store.returned();
      const at = now();
      const due = new Map<string, { chatbotId: string; agentId: string; conversations: string[]; autoReassign: boolean }>();
      for (const row of await store.unannounced()) {
        const when = orphanedAt(row.visible ?? null, row.since === null ? null : Number(row.since), Number(row.assigned_at), Number(row.reassign_after_seconds));
        if (when === null || when > at) continue;
        const key = `${row.chatbot_id}\n${row.agent_id}`;
        const group = due.get(key) ?? { chatbotId: row.chatbot_id, agentId: row.agent_id, conversations: [], autoReassign: Number(row.auto_reassign) === 1 };
        group.conversations.push(row.conversation_id);
        due.set(key, group);
      }
      const announced: Orphaned[] = [];
      for (const { chatbotId, agentId, conversations, autoReassign } of due.values()) {
        const claimed = await store.claimOrphaned(chatbotId, agentId, conversations, at);
        if (claimed.length === 0) continue;
        const moved: Orphaned['moved'] = [];
        if (autoReassign) {
          for (const conversationId of claimed) {
            const result = await assignments.transfer(actor, chatbotId, conversationId, {}).catch(() => undefined);
            if (result && 'moved' in result) moved.push({ conversationId, agentId: result.moved.agentId });
          }
        }
        const payload = JSON.stringify({
          type: 'assignment.orphaned',
          timestamp: new Date(at).toISOString(),
          data: { chatbotId, agentId, conversations: claimed, moved },
        });
        await announcer.queueEvent(chatbotId, agentId, payload, at);
        announced.push({ chatbotId, agentId, conversations: claimed, moved });
      }
      return announced;
    },
  };
}

export type OrphanWatch = ReturnType<typeof orphanWatch>;
