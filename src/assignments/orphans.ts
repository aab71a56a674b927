import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AssignmentService, Orphaned } from './service.js';
import { isAbsent, orphanedAt } from './absence.js';
import { assignmentStore } from './store.js';

/**
 * Watches open assignments for agents who left: once an agent has been offline, away or
 * do-not-disturb for the chatbot's `reassignAfterSeconds`, its open assignments are announced
 * orphaned once across instances, and moved where the chatbot asks (AssignmentService.orphan:
 * the decision, the claim, the moves and the `assignment.orphaned` event on the stream and to
 * the webhooks are one unit of work under the chatbot's lock; what this sweep reads outside it
 * only says which agents to look at). An agent back (available or busy) before then keeps its chats; one
 * back after is watched again.
 */
export function orphanWatch(db: Kysely<Database>, assignments: AssignmentService, now: () => number) {
  const store = assignmentStore(db);
  return {
    /** One pass: what it announced. */
    async sweep(): Promise<Orphaned[]> {
      const back = new Map<string, { chatbotId: string; agentId: string }>();
      for (const row of await store.announcedOrphaned()) {
        if (!isAbsent(row.state)) back.set(`${row.chatbot_id}\n${row.agent_id}`, { chatbotId: row.chatbot_id, agentId: row.agent_id });
      }
      for (const { chatbotId, agentId } of back.values()) await store.watchAgain(chatbotId, agentId);
      const at = now();
      const due = new Map<string, { chatbotId: string; agentId: string; conversations: string[]; autoReassign: boolean }>();
      for (const row of await store.unannounced()) {
        const when = orphanedAt(row.state, row.since === null ? null : Number(row.since), Number(row.assigned_at), Number(row.reassign_after_seconds));
        if (when === null || when > at) continue;
        const key = `${row.chatbot_id}\n${row.agent_id}`;
        const group = due.get(key) ?? { chatbotId: row.chatbot_id, agentId: row.agent_id, conversations: [], autoReassign: Number(row.auto_reassign) === 1 };
        group.conversations.push(row.conversation_id);
        due.set(key, group);
      }
      const announced: Orphaned[] = [];
      for (const { chatbotId, agentId, conversations, autoReassign } of due.values()) {
        const orphaned = await assignments.orphan(chatbotId, agentId, conversations, autoReassign, at);
        if (orphaned) announced.push(orphaned);
      }
      return announced;
    },
  };
}

export type OrphanWatch = ReturnType<typeof orphanWatch>;
