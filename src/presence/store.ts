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
    /** Every member of the chatbot with its presence row if any, ordered by name then id. */
    listMembers: (chatbotId: string): Promise<MemberPresenceRow[]> =>
      db
        .selectFrom('memberships as m')
        .innerJoin('agents as a', 'a.id', 'm.agent_id')
        .leftJoin('presence as p', (join) => join.onRef('p.chatbot_id', '=', 'm.chatbot_id').onRef('p.agent_id', '=', 'm.agent_id'))
        .select(['a.id as agent_id', 'a.name', 'p.online', 'p.updated_at', 'p.last_seen_at'])
        .where('m.chatbot_id', '=', chatbotId)
        .orderBy(sql`lower(a.name)`)
        .orderBy('a.name')
        .orderBy('a.id')
        .execute(),

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
