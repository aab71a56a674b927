import { sql, type Kysely, type OnConflictBuilder } from 'kysely';
import { prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { agentKey } from './rounds.js';

/** What a claim writes: the entry to announce and what decides whether it is news. */
export interface Claim {
  chatbot_id: string;
  agent_id: string;
  online: number;
  connected: number;
  devices: number;
  entry: string;
  visible: string;
  since: number;
  next_change_at: number | null;
  /** The history interval the announced state opened. */
  history_id: string | null;
}

type ChatbotAgent = { chatbot_id: string; agent_id: string };

const CLAIM_COLUMNS = ['chatbot_id', 'agent_id', 'online', 'connected', 'devices', 'entry', 'visible', 'since', 'next_change_at', 'history_id'] as const;

/** A claim writes over what was announced only when it differs: a change is news exactly once. */
const claimConflict = (oc: OnConflictBuilder<Database, 'presence_announced'>) =>
  oc
    .columns(['chatbot_id', 'agent_id'])
    .doUpdateSet((eb) => ({
      online: eb.ref('excluded.online'),
      connected: eb.ref('excluded.connected'),
      devices: eb.ref('excluded.devices'),
      entry: eb.ref('excluded.entry'),
      visible: eb.ref('excluded.visible'),
      since: eb.ref('excluded.since'),
      next_change_at: eb.ref('excluded.next_change_at'),
      history_id: eb.ref('excluded.history_id'),
    }))
    .where((eb) =>
      eb.or([
        eb('presence_announced.online', '!=', eb.ref('excluded.online')),
        eb('presence_announced.connected', '!=', eb.ref('excluded.connected')),
        eb('presence_announced.devices', '!=', eb.ref('excluded.devices')),
        eb(eb.fn.coalesce('presence_announced.visible', sql.lit('')), '!=', eb.ref('excluded.visible')),
      ]),
    );

/**
 * SQL of what was announced: the claim that makes a change news exactly once (whichever
 * instance notices it first), the chatbots' event versions, removals, and the next change kept
 * for a restart to watch. Each statement covers a whole list
 * (see prepareRows): a unit of work's cost in statements does not grow with its changes.
 */
export function announcementStore(db: Kysely<Database>) {
  const q = {
    claimRows: prepareRows<ChatbotAgent, Claim>(
      db,
      {
        chatbot_id: 'text',
        agent_id: 'text',
        online: 'integer',
        connected: 'integer',
        devices: 'integer',
        entry: 'text',
        visible: 'text',
        since: 'bigint',
        next_change_at: 'bigint',
        history_id: 'text',
      },
      (rows) =>
        db
          .insertInto('presence_announced')
          .columns(CLAIM_COLUMNS)
          .expression(selectRows(db, rows, CLAIM_COLUMNS))
          .onConflict(claimConflict)
          .returning(['chatbot_id', 'agent_id']),
    ),
    // Each chatbot's version moves on by its count of events: the statement answers the last.
    takeVersions: prepareRows<{ id: string; presence_version: number }, { id: string; events: number }>(db, { id: 'text', events: 'bigint' }, (rows) => {
      const update = sql<{ id: string; presence_version: number }>`update chatbots
        set presence_version = chatbots.presence_version + counts.events
        from ${rows} as counts
        where chatbots.id = counts.id
        returning chatbots.id, chatbots.presence_version`;
      return { compile: () => update.compile(db) };
    }),
    // The next change of agents whose announcement stands (see reschedule).
    rescheduleRows: prepareRows<never, ChatbotAgent & { next_change_at: number | null }>(db, { chatbot_id: 'text', agent_id: 'text', next_change_at: 'bigint' }, (rows) => {
      const update = sql<never>`update presence_announced set next_change_at = due.next_change_at
        from ${rows} as due
        where presence_announced.chatbot_id = due.chatbot_id and presence_announced.agent_id = due.agent_id`;
      return { compile: () => update.compile(db) };
    }),
    deleteAnnounced: prepareQuery<{ history_id: string | null }, ChatbotAgent>(db, ['chatbot_id', 'agent_id'], (v) =>
      db.deleteFrom('presence_announced').where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id).returning(['history_id']),
    ),
    formerMembers: prepareQuery<{ agent_id: string }, { chatbot_id: string }>(db, ['chatbot_id'], (v) =>
      db
        .selectFrom('presence_announced as pa')
        .leftJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'pa.chatbot_id').onRef('m.agent_id', '=', 'pa.agent_id'))
        .select('pa.agent_id')
        .where('pa.chatbot_id', '=', v.chatbot_id)
        .where('m.agent_id', 'is', null),
    ),
  };

  return {
    /** Claims the announcements (distinct agents): those that were news, as `chatbot\nagent`. */
    claim: async (run: Run, claims: readonly Claim[]): Promise<Set<string>> => new Set((await run(q.claimRows, claims)).map((row) => agentKey(row.chatbot_id, row.agent_id))),

    /** Removes what was announced of an agent no longer a member: whether it was there (news), and the interval it had open. */
    unclaim: async (run: Run, chatbotId: string, agentId: string): Promise<{ history_id: string | null } | undefined> =>
      (await run(q.deleteAnnounced, { chatbot_id: chatbotId, agent_id: agentId }))[0],

    /** The next version of each chatbot for its count of events: the first of each chatbot's run. */
    takeVersions: async (run: Run, counts: ReadonlyMap<string, number>): Promise<Map<string, number>> => {
      const rows = await run(
        q.takeVersions,
        [...counts].map(([id, events]) => ({ id, events })),
      );
      return new Map(rows.map((row) => [row.id, Number(row.presence_version) - counts.get(row.id)! + 1]));
    },

    /** Stores the next change of agents whose announcement still stands. */
    reschedule: async (run: Run, rows: ReadonlyArray<ChatbotAgent & { next_change_at: number | null }>): Promise<void> => {
      await run(q.rescheduleRows, rows);
    },

    /** Agents announced in the chatbot who are no longer members. */
    formerMembers: async (run: Run, chatbotId: string): Promise<string[]> => (await run(q.formerMembers, { chatbot_id: chatbotId })).map((row) => row.agent_id),

    /**
     * Chatbots where an entry changes by the clock alone, so their deadlines must be watched
     * (at a start, and when another instance's are taken over): someone announced online or
     * connected, or an announcement with a next change (an opening, a lapse) pending.
     */
    chatbotsWithDeadlines: async (): Promise<string[]> =>
      (
        await db
          .selectFrom('presence_announced')
          .select('chatbot_id')
          .distinct()
          .where((eb) => eb.or([eb('online', '=', 1), eb('connected', '=', 1), eb('next_change_at', 'is not', null)]))
          .execute()
      ).map((row) => row.chatbot_id),
  };
}

export type AnnouncementStore = ReturnType<typeof announcementStore>;
