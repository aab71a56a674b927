import { sql, type Kysely } from 'kysely';
import { orderedId } from '../ids.js';
import { prepareQuery, prepareRows } from '../db/prepared.js';
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
    /**
     * Ends the agents' open intervals, each at its `to_at` (never before it began): one
     * statement for the whole list, an update joined to the list of (chatbot, agent, end).
     */
    closeRows: prepareRows<never, Key & { to_at: number }>(db, ['chatbot_id', 'agent_id', 'to_at'], (rows) => {
      // VALUES columns are named column1, column2, ... in both SQLite and PostgreSQL.
      const list = sql.join(rows.map((row) => sql`(${row.chatbot_id}, ${row.agent_id}, cast(${row.to_at} as bigint))`));
      const update = sql<never>`update presence_history
        set to_at = case when presence_history.from_at > ends.column3 then presence_history.from_at else ends.column3 end
        from (values ${list}) as ends
        where presence_history.chatbot_id = ends.column1 and presence_history.agent_id = ends.column2 and presence_history.to_at is null`;
      return { compile: () => update.compile(db) };
    }),
    /**
     * Opens an interval. One statement per interval: measured on SQLite, a multi-row insert
     * into this table of five indexes costs more than as many single ones.
     */
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
