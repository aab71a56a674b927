import { sql, type Kysely } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import { prepareQuery } from '../db/prepared.js';
import type { Database, PresenceTable } from '../db/schema.js';

export interface MemberPresenceRow {
  agent_id: string;
  name: string;
  online: number | null;
  updated_at: number | null;
  last_seen_at: number | null;
  /** Last time a stream of the agent opened or closed. */
  stream_seen_at: number | null;
  /** Null while a stream is (or was, at a crash) open; else when the stream grace ends. */
  grace_until: number | null;
}

/** SQL for presence: the chosen status (intent) and the last sign of life, per (chatbot, agent). */
export function presenceStore(db: Kysely<Database>, changes: ChangeTracker) {
  // The hot write path, compiled once (see prepareQuery).
  const upsertStatus = prepareQuery<Pick<PresenceTable, 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'>, PresenceTable>(
    db,
    ['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'last_seen_at'],
    (update) =>
      db
        .insertInto('presence')
        .values(update)
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
            const newer = eb(eb.ref('excluded.client_ts'), '>=', eb.ref('presence.client_ts'));
            const pick = <C extends 'online' | 'client_ts' | 'updated_at'>(column: C) =>
              eb.case().when(newer).then(eb.ref(`excluded.${column}`)).else(eb.ref(`presence.${column}`)).end();
            return {
              online: pick('online'),
              client_ts: pick('client_ts'),
              updated_at: pick('updated_at'),
              last_seen_at: eb
                .case()
                .when(eb(eb.ref('excluded.last_seen_at'), '>', eb.ref('presence.last_seen_at')))
                .then(eb.ref('excluded.last_seen_at'))
                .else(eb.ref('presence.last_seen_at'))
                .end(),
            };
          }),
        )
        .returning(['online', 'client_ts', 'updated_at', 'last_seen_at']),
  );

  return {
    /** Members of the chatbot (all, or the given agents) with presence and stream liveness, by name then id. */
    listMembers: (chatbotId: string, agentIds?: readonly string[]): Promise<MemberPresenceRow[]> => {
      let query = db
        .selectFrom('memberships as m')
        .innerJoin('agents as a', 'a.id', 'm.agent_id')
        .leftJoin('presence as p', (join) => join.onRef('p.chatbot_id', '=', 'm.chatbot_id').onRef('p.agent_id', '=', 'm.agent_id'))
        .leftJoin('stream_liveness as s', (join) => join.onRef('s.chatbot_id', '=', 'm.chatbot_id').onRef('s.agent_id', '=', 'm.agent_id'))
        .select(['a.id as agent_id', 'a.name', 'p.online', 'p.updated_at', 'p.last_seen_at', 's.seen_at as stream_seen_at', 's.grace_until'])
        .where('m.chatbot_id', '=', chatbotId);
      if (agentIds) query = query.where('m.agent_id', 'in', agentIds.length > 0 ? agentIds : ['']);
      return query.orderBy(sql`lower(a.name)`).orderBy('a.name').orderBy('a.id').execute();
    },

    /** Records a stream opening (graceUntil null) or the last one closing (graceUntil set). */
    recordStreamLiveness: async (chatbotId: string, agentId: string, seenAt: number, graceUntil: number | null) => {
      await db
        .insertInto('stream_liveness')
        .values({ chatbot_id: chatbotId, agent_id: agentId, seen_at: seenAt, grace_until: graceUntil })
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ seen_at: seenAt, grace_until: graceUntil }))
        .execute();
      changes.chatbotChanged(chatbotId);
    },

    /**
     * At start-up: streams still marked open belonged to a process that is gone (a crash, or
     * this one before a restart). Their agents get the grace period to reconnect from now.
     */
    adoptOrphanedStreams: (graceUntil: number) =>
      db.updateTable('stream_liveness').set({ grace_until: graceUntil }).where('grace_until', 'is', null).execute(),

    /** Agents whose stream grace is still running, to schedule their expiry after a start. */
    pendingGraces: (after: number) =>
      db.selectFrom('stream_liveness').select(['chatbot_id', 'agent_id', 'grace_until']).where('grace_until', '>', after).execute(),

    /**
     * Last writer wins, settled by the database in one statement: the status changes only when
     * the incoming clientTimestamp is at least the stored one (ties go to the later arrival),
     * while the sign of life is recorded either way. Returns the row as it stands afterwards.
     */
    applyStatusUpdate: async (update: PresenceTable) => {
      const [standing] = await upsertStatus(update);
      if (!standing) throw new Error('status upsert returned no row');
      changes.chatbotChanged(update.chatbot_id);
      return standing;
    },
  };
}

export type PresenceStore = ReturnType<typeof presenceStore>;
