import { type RawBuilder, sql, type Kysely } from 'kysely';
import { jsonRows, prepareQuery, prepareRows } from '../db/prepared.js';
import type { Database, PresenceHistoryTable } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';
import type { AnnouncedChange, ChangeRecorder, StateChange } from './changes.js';

/**
 * The availability history as a recorder of announced changes (see changes.ts): each change of
 * state, reason or text ends the interval the last one opened (by its id, which the
 * announcement keeps) and opens the next, and a removal ends it, in the unit of work that
 * announces it, so history and stream never disagree. Statements are prepared once, as every
 * statement under a chatbot's lock.
 */
export function historyRecorder(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): ChangeRecorder {
  type Opening = Omit<PresenceHistoryTable, 'to_at'>;
  const columns = ['id', 'chatbot_id', 'agent_id', 'state', 'reason', 'status_text', 'from_at', 'set_by'] as const;
  const types = { id: 'text', chatbot_id: 'text', agent_id: 'text', state: 'text', reason: 'text', status_text: 'text', from_at: 'bigint', set_by: 'text' } as const;
  type Ending = { id: string; to_at: number };
  const endingTypes = { id: 'text', to_at: 'bigint' } as const;
  /** Ends intervals, each at its `to_at` (never before it began): an update joined to the list by id. */
  const closing = (ends: RawBuilder<Ending>) => sql<never>`update presence_history
      set to_at = case when presence_history.from_at > ends.to_at then presence_history.from_at else ends.to_at end
      from ${ends} as ends
      where presence_history.id = ends.id and presence_history.to_at is null`;
  if (dialect === 'postgres') {
    // Each statement is a round trip: the closes and the openings in one, the closes as a
    // data-modifying WITH (they end intervals that existed before it; the openings are new).
    // Planned at every run (PlanOptions): the history only grows, and a plan kept from its first
    // rows scans all of it.
    const closeAndOpen = prepareQuery<never, { ends: string; opens: string }>(
      db,
      ['ends', 'opens'],
      (v) => {
        const statement = sql<never>`with closed as (${closing(jsonRows<Ending>(v.ends, endingTypes))} returning 1)
      insert into presence_history (${sql.join(columns.map((column) => sql.ref(column)))})
      select ${sql.join(columns.map((column) => sql.ref(`o.${column}`)))} from ${jsonRows<Opening>(v.opens, types)} as o`;
        return { compile: () => statement.compile(db) };
      },
      undefined,
      { planEachTime: true },
    );
    return {
      async record(run, changes, at) {
        const { endings, openings } = intervalsOf(changes, at);
        // Its rows are not wanted: it goes with the next statement (Run.write).
        if (endings.length + openings.length > 0) await run.write(closeAndOpen, { ends: JSON.stringify(endings), opens: JSON.stringify(openings, columns as never) });
        return false;
      },
    };
  }
  // SQLite: the closes in one statement, then each opening alone (measured, a multi-row insert
  // into this table costs more there than as many single ones).
  const closeRows = prepareRows<never, Ending>(db, endingTypes, (rows) => ({ compile: () => closing(rows).compile(db) }));
  const openOne = prepareQuery<never, Opening>(db, columns, (v) => db.insertInto('presence_history').values(v));
  return {
    async record(run, changes, at) {
      const { endings, openings } = intervalsOf(changes, at);
      await run(closeRows, endings);
      for (const opening of openings) await run(openOne, opening);
      return false;
    },
  };
}

/** The intervals the changes end (each at the new state's start, or now for a removal) and those they open. */
function intervalsOf(changes: readonly AnnouncedChange[], at: number) {
  return {
    endings: changes.filter((change) => change.closes !== null && (change.removed || change.state)).map((change) => ({ id: change.closes!, to_at: change.state?.from ?? at })),
    openings: changes.filter((change) => change.state !== null && !change.removed).map((change) => openingOf(change.chatbotId, change.agentId, change.state!)),
  };
}

/** The values of an interval that opens. */
const openingOf = (chatbotId: string, agentId: string, change: StateChange): Omit<PresenceHistoryTable, 'to_at'> => ({
  id: change.id,
  chatbot_id: chatbotId,
  agent_id: agentId,
  state: change.state,
  reason: change.reason,
  status_text: change.statusText,
  from_at: change.from,
  set_by: change.setBy,
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
        .selectFrom('presence_history as h')
        // The agent's name for the report (null once the agent is deleted and only its history is left).
        .leftJoin('agents as a', 'a.id', 'h.agent_id')
        .select(['h.agent_id', 'h.state', 'h.from_at', 'h.to_at', 'a.name as agent_name'])
        .where('h.chatbot_id', '=', chatbotId)
        .where('h.from_at', '<', to)
        .where((eb) => eb.or([eb('h.to_at', 'is', null), eb('h.to_at', '>', from)]))
        .orderBy('h.agent_id')
        .orderBy('h.from_at')
        .execute(),

    /** Deletes intervals that ended before `before`; how many. */
    prune: async (before: number): Promise<number> => {
      const result = await db.deleteFrom('presence_history').where('to_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
export type HistoryStore = ReturnType<typeof historyStore>;
