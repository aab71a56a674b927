import { type Kysely } from 'kysely';
import { orderedId } from '../ids.js';
import { prepareQuery } from '../db/prepared.js';
import type { Database, PresenceHistoryTable } from '../db/schema.js';
import { afterCursor, type Page } from '../http/paging.js';

/** One change of state to keep: the interval it opens. */
export interface HistoryEntry {
  state: string;
  reason: string;
  statusText: string | null;
  /** When the new state began (the previous interval ends then). */
  from: number;
  setBy: string | null;
}

/**
 * SQL for the availability history: statements run inside the unit of work that announces a
 * change (prepared once, as every statement under the chatbot's lock), and the reads of the
 * history and report routes.
 */
export function historyStatements(db: Kysely<Database>) {
  type Key = { chatbot_id: string; agent_id: string };
  return {
    /** Ends the agent's open interval at `to_at` (never before it began). */
    close: prepareQuery<never, Key & { to_at: number }>(db, ['chatbot_id', 'agent_id', 'to_at'], (v) =>
      db
        .updateTable('presence_history')
        .set((eb) => ({ to_at: eb.case().when('from_at', '>', v.to_at).then(eb.ref('from_at')).else(v.to_at).end() }))
        .where('chatbot_id', '=', v.chatbot_id)
        .where('agent_id', '=', v.agent_id)
        .where('to_at', 'is', null),
    ),
    open: prepareQuery<never, Omit<PresenceHistoryTable, 'to_at'>>(db, ['id', 'chatbot_id', 'agent_id', 'state', 'reason', 'status_text', 'from_at', 'set_by'], (v) =>
      db.insertInto('presence_history').values(v),
    ),
  };
}
export type HistoryStatements = ReturnType<typeof historyStatements>;

/** The values of an interval that opens, with an id that keeps the order of changes within a millisecond. */
export const openingOf = (chatbotId: string, agentId: string, entry: HistoryEntry): Omit<PresenceHistoryTable, 'to_at'> => ({
  id: orderedId('his', entry.from),
  chatbot_id: chatbotId,
  agent_id: agentId,
  state: entry.state,
  reason: entry.reason,
  status_text: entry.statusText,
  from_at: entry.from,
  set_by: entry.setBy,
});

/** Reads of the history: an agent's intervals page by page, a chatbot's intervals overlapping a range, pruning. */
export function historyStore(db: Kysely<Database>) {
  return {
    /** One agent's intervals on a chatbot, newest first. */
    page: (chatbotId: string, agentId: string, page: Page) =>
      afterCursor(db.selectFrom('presence_history').selectAll().where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId), page, 'from_at', 'id').execute(),

    /** Every interval of the chatbot's agents that overlaps [from, to). */
    overlapping: (chatbotId: string, from: number, to: number) =>
      db
        .selectFrom('presence_history')
        .select(['agent_id', 'state', 'from_at', 'to_at'])
        .where('chatbot_id', '=', chatbotId)
        .where('from_at', '<', to)
        .where((eb) => eb.or([eb('to_at', 'is', null), eb('to_at', '>', from)]))
        .orderBy('agent_id')
        .orderBy('from_at')
        .execute(),

    /** Deletes intervals that ended before `before`; how many. */
    prune: async (before: number): Promise<number> => {
      const result = await db.deleteFrom('presence_history').where('to_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
export type HistoryStore = ReturnType<typeof historyStore>;
