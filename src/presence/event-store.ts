import type { Kysely } from 'kysely';
import type { ChangeRecorder } from '../availability/changes.js';
import { prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';

/** One event of a chatbot's log: its version, its data (an entry's JSON), and its type when it is not a change of an entry (`assignment.orphaned`). */
export interface LoggedEvent {
  version: number;
  data: string;
  /** Absent (or null): a `presence` event, the change of an agent's entry. */
  type?: string | null;
}

/**
 * The per-chatbot event log: a recorder of announced changes (one event per change, under the
 * version the unit of work gave it, keeping the newest `kept` of each chatbot), and what streams
 * read to deliver events (prepared, as every open stream's delivery runs them) and the version a
 * snapshot (the list, stream-routes.ts) stands at.
 */
export function eventLog(db: Kysely<Database>, { kept }: { kept: number }) {
  // Pruned in the unit of work that logs, each time a chatbot's versions pass a tenth of what
  // is kept: no transaction (and on SQLite no commit) of its own. Each prune deletes only the
  // versions the one before it left (and one window more, to spare): on PostgreSQL an open
  // range from the oldest version walks every index entry of the rows deleted before it until
  // a vacuum removes them, so it grew slower with every event logged. What a range misses (a
  // lower PRESENCE_EVENTS_KEPT since the last start) goes in the hourly sweep (pruneAll).
  const pruneEvery = Math.max(1, Math.ceil(kept / 10));
  const columns = ['chatbot_id', 'version', 'data', 'type', 'created_at'] as const;
  const append = prepareRows<never, { chatbot_id: string; version: number; data: string; type: string | null; created_at: number }>(
    db,
    { chatbot_id: 'text', version: 'bigint', data: 'text', type: 'text', created_at: 'bigint' },
    (rows) =>
      db
        .insertInto('presence_events')
        .columns(columns)
        .expression(selectRows(db, rows, columns)),
  );
  const eventsAfter = prepareQuery<LoggedEvent, { chatbot_id: string; version: number; limit: number }>(db, ['chatbot_id', 'version', 'limit'], (v) =>
    db.selectFrom('presence_events').select(['version', 'data', 'type']).where('chatbot_id', '=', v.chatbot_id).where('version', '>', v.version).orderBy('version').limit(v.limit),
  );
  // Planned at every run: the log grows with the chatbots, and a plan from its first rows scans all of it.
  const prune = prepareQuery<never, { chatbot_id: string; from: number; to: number }>(
    db,
    ['chatbot_id', 'from', 'to'],
    (v) => db.deleteFrom('presence_events').where('chatbot_id', '=', v.chatbot_id).where('version', '>=', v.from).where('version', '<', v.to),
    undefined,
    { planEachTime: true },
  );
  const version = prepareQuery<{ presence_version: number }, { id: string }>(db, ['id'], (v) => db.selectFrom('chatbots').select('presence_version').where('id', '=', v.id));
  const logged = async (run: Run, rows: ReadonlyArray<{ chatbot_id: string; version: number; data: string; type: string | null; created_at: number }>) => {
    // Their rows are not wanted: both go with the next statement (Run.write).
    await run.write(append, rows);
    const first = new Map<string, number>();
    const newest = new Map<string, number>();
    for (const row of rows) {
      if (!first.has(row.chatbot_id)) first.set(row.chatbot_id, row.version);
      if (row.version % pruneEvery === 0 || newest.has(row.chatbot_id)) newest.set(row.chatbot_id, row.version);
    }
    // The prune before passed a multiple of pruneEvery within the pruneEvery versions before
    // this unit's first, so it kept nothing older than first - pruneEvery - kept (one window
    // more, to spare).
    for (const [chatbotId, version] of newest) {
      await run.write(prune, { chatbot_id: chatbotId, from: first.get(chatbotId)! - kept - 2 * pruneEvery, to: version - kept + 1 });
    }
    return false;
  };
  const recorder: ChangeRecorder = {
    record: (run, changes, at) =>
      logged(
        run,
        changes.map((change) => ({ chatbot_id: change.chatbotId, version: change.version, data: change.entry, type: null, created_at: at })),
      ),
    recordEvents: (run, events, at) =>
      logged(
        run,
        events.map((event) => ({ chatbot_id: event.chatbotId, version: event.version, data: event.data, type: event.type, created_at: at })),
      ),
  };
  return {
    recorder,

    currentVersion: async (chatbotId: string): Promise<number> => {
      const [row] = await version({ id: chatbotId });
      return Number(row?.presence_version ?? 0);
    },

    /** The oldest version still kept in the log, or null when the log is empty. */
    oldestKeptVersion: async (chatbotId: string): Promise<number | null> => {
      const row = await db
        .selectFrom('presence_events')
        .select((eb) => eb.fn.min('version').as('oldest'))
        .where('chatbot_id', '=', chatbotId)
        .executeTakeFirst();
      return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
    },

    /**
     * Deletes every chatbot's events older than its newest `kept` (the hourly sweep: what the
     * units' ranges missed); how many.
     */
    pruneAll: async (): Promise<number> => {
      const result = await db
        .deleteFrom('presence_events')
        .where(({ eb, selectFrom }) =>
          eb('version', '<=', eb(selectFrom('chatbots').select('presence_version').whereRef('chatbots.id', '=', 'presence_events.chatbot_id'), '-', kept)),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    eventsAfter: (chatbotId: string, after: number, limit: number) => eventsAfter({ chatbot_id: chatbotId, version: after, limit }),
  };
}

export type EventLog = ReturnType<typeof eventLog>;
