import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface Announcement {
  chatbotId: string;
  agentId: string;
  online: boolean;
  connected: boolean;
  /** The entry to announce (JSON); for a removal, the entry with removed: true. */
  entry: string;
  removed: boolean;
}

/** SQL for what was announced and the per-chatbot event log. */
export function eventStore(db: Kysely<Database>) {
  return {
    /**
     * Announces a change at most once: the announced row is claimed with one conditional write
     * (only if it differs), and only the claimant allocates the chatbot's next version and logs
     * the event. `trx` is the caller's transaction (which holds the chatbot's presence lock).
     * Returns the version, or null when it was not news.
     */
    announce: async (trx: Kysely<Database>, item: Announcement, at: number): Promise<number | null> => {
      let claimed: boolean;
      if (item.removed) {
        const gone = await trx
          .deleteFrom('presence_announced')
          .where('chatbot_id', '=', item.chatbotId)
          .where('agent_id', '=', item.agentId)
          .executeTakeFirst();
        claimed = Number(gone.numDeletedRows) > 0;
      } else {
        const online = item.online ? 1 : 0;
        const connected = item.connected ? 1 : 0;
        const row = await trx
          .insertInto('presence_announced')
          .values({ chatbot_id: item.chatbotId, agent_id: item.agentId, online, connected, entry: item.entry })
          .onConflict((oc) =>
            oc
              .columns(['chatbot_id', 'agent_id'])
              .doUpdateSet({ online, connected, entry: item.entry })
              .where((eb) => eb.or([eb('presence_announced.online', '!=', online), eb('presence_announced.connected', '!=', connected)])),
          )
          .returning('agent_id')
          .executeTakeFirst();
        claimed = row !== undefined;
      }
      if (!claimed) return null;
      const { presence_version: version } = await trx
        .updateTable('chatbots')
        .set({ presence_version: sql`presence_version + 1` })
        .where('id', '=', item.chatbotId)
        .returning('presence_version')
        .executeTakeFirstOrThrow();
      await trx.insertInto('presence_events').values({ chatbot_id: item.chatbotId, version, data: item.entry, created_at: at }).execute();
      return Number(version);
    },

    /** Agents announced in the chatbot (all, or among `agentIds`) who are no longer members: their removal is news. */
    announcedFormerMembers: (chatbotId: string, agentIds?: readonly string[], x: Kysely<Database> = db) => {
      let query = x
        .selectFrom('presence_announced as pa')
        .leftJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'pa.chatbot_id').onRef('m.agent_id', '=', 'pa.agent_id'))
        .select(['pa.agent_id', 'pa.entry'])
        .where('pa.chatbot_id', '=', chatbotId)
        .where('m.agent_id', 'is', null);
      if (agentIds) query = query.where('pa.agent_id', 'in', agentIds.length > 0 ? agentIds : ['']);
      return query.execute();
    },

    currentVersion: async (chatbotId: string): Promise<number> => {
      const row = await db.selectFrom('chatbots').select('presence_version').where('id', '=', chatbotId).executeTakeFirst();
      return Number(row?.presence_version ?? 0);
    },

    /** The oldest version still kept in the log, or null when the log is empty. */
    oldestKeptVersion: async (chatbotId: string): Promise<number | null> => {
      const row = await db.selectFrom('presence_events').select((eb) => eb.fn.min('version').as('oldest')).where('chatbot_id', '=', chatbotId).executeTakeFirst();
      return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
    },

    eventsAfter: (chatbotId: string, version: number, limit: number) =>
      db
        .selectFrom('presence_events')
        .select(['version', 'data'])
        .where('chatbot_id', '=', chatbotId)
        .where('version', '>', version)
        .orderBy('version')
        .limit(limit)
        .execute(),

    /** The announced entries and the version they stand at, read together in one transaction. */
    snapshot: (chatbotId: string) =>
      db.transaction().execute(async (trx) => {
        const version = await trx.selectFrom('chatbots').select('presence_version').where('id', '=', chatbotId).executeTakeFirst();
        const rows = await trx
          .selectFrom('presence_announced as pa')
          .innerJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'pa.chatbot_id').onRef('m.agent_id', '=', 'pa.agent_id'))
          .innerJoin('agents as a', 'a.id', 'pa.agent_id')
          .select('pa.entry')
          .where('pa.chatbot_id', '=', chatbotId)
          .orderBy(sql`lower(a.name)`)
          .orderBy('a.name')
          .orderBy('a.id')
          .execute();
        return { version: Number(version?.presence_version ?? 0), entries: rows.map((row) => row.entry) };
      }),

    /** Keeps the newest `keep` events of the chatbot; older resumes get a snapshot instead. */
    prune: (chatbotId: string, belowVersion: number) =>
      db.deleteFrom('presence_events').where('chatbot_id', '=', chatbotId).where('version', '<', belowVersion).execute(),
  };
}

export type EventStore = ReturnType<typeof eventStore>;
