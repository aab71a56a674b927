import { sql, type Kysely } from 'kysely';
import { later } from '../db/later.js';
import { prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { Database, PresenceTable } from '../db/schema.js';
import { agentKey } from './agent-key.js';

/** An agent's own status update: the seed's fields, and (for a new row) when the flag turned on. */
export type StatusUpdate = Pick<PresenceTable, 'chatbot_id' | 'agent_id' | 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'> & { online_changed_at: number | null };

/** The status that stands after an update (last writer wins), for the update's answer. */
export type Standing = Pick<PresenceTable, 'chatbot_id' | 'agent_id' | 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'>;

type ChatbotAgent = { chatbot_id: string; agent_id: string };

const STATUS_COLUMNS = ['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'last_seen_at', 'online_changed_at'] as const;
const STATUS_TYPES = {
  chatbot_id: 'text',
  agent_id: 'text',
  online: 'integer',
  client_ts: 'bigint',
  updated_at: 'bigint',
  last_seen_at: 'bigint',
  online_changed_at: 'bigint',
} as const;

/**
 * SQL of the inputs of an agent's entry: the seed's online flag and the chosen status (each
 * last writer wins by its own clientTimestamp, settled in one conditional statement), activity,
 * capacity and working hours; each device's liveness is device-store.ts's. Every statement is
 * prepared once; a unit of work runs them through its `run` (see unit-of-work.ts).
 */
export function presenceStore(db: Kysely<Database>) {
  const q = {
    // Last writer wins for many agents at once (distinct agents: a unit of work's round).
    upsertStatusRows: prepareRows<Standing, StatusUpdate>(db, STATUS_TYPES, (rows) =>
      db
        .insertInto('presence')
        .columns(STATUS_COLUMNS)
        .expression(selectRows(db, rows, STATUS_COLUMNS))
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
            const newer = eb(eb.ref('excluded.client_ts'), '>=', eb.ref('presence.client_ts'));
            const pick = <C extends 'online' | 'client_ts' | 'updated_at'>(column: C) =>
              eb
                .case()
                .when(newer)
                .then(eb.ref(`excluded.${column}`))
                .else(eb.ref(`presence.${column}`))
                .end();
            return {
              online: pick('online'),
              client_ts: pick('client_ts'),
              updated_at: pick('updated_at'),
              // The agent's own update that stands ends a supervisor's override.
              online_set_by: eb.case().when(newer).then(sql.lit(null)).else(eb.ref('presence.online_set_by')).end(),
              // When the flag turned on: a re-post of the same value (a heartbeat) keeps it.
              online_changed_at: eb
                .case()
                .when(eb.and([newer, eb(eb.ref('excluded.online'), '=', sql.lit(1)), eb(eb.ref('presence.online'), '!=', sql.lit(1))]))
                .then(eb.ref('excluded.updated_at'))
                .when(eb.and([newer, eb(eb.ref('excluded.online'), '!=', sql.lit(1))]))
                .then(sql.lit(null))
                .else(eb.ref('presence.online_changed_at'))
                .end(),
              last_seen_at: later(eb, 'presence', 'last_seen_at'),
            };
          }),
        )
        .returning(['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'last_seen_at']),
    ),
    // A chosen status, ordered by its own clientTimestamp (status_ts) apart from the online flag.
    // A first row for the agent says online with client_ts 0, so any me/online outranks it.
    upsertChosenStatus: prepareQuery<
      Pick<PresenceTable, 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at'>,
      Required<Pick<PresenceTable, 'chatbot_id' | 'agent_id' | 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at' | 'status_set_by' | 'last_seen_at'>>
    >(db, ['chatbot_id', 'agent_id', 'status', 'status_text', 'status_until', 'status_ts', 'status_set_at', 'status_set_by', 'last_seen_at'], (v) =>
      db
        .insertInto('presence')
        .values({ ...v, online: sql.lit(1), client_ts: sql.lit(0), updated_at: v.status_set_at! })
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
            const newer = eb(eb.ref('excluded.status_ts'), '>=', eb.fn.coalesce('presence.status_ts', sql.lit(-1)));
            const pick = <C extends 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at' | 'status_set_by'>(column: C) =>
              eb
                .case()
                .when(newer)
                .then(eb.ref(`excluded.${column}`))
                .else(eb.ref(`presence.${column}`))
                .end();
            return {
              status: pick('status'),
              status_text: pick('status_text'),
              status_until: pick('status_until'),
              status_ts: pick('status_ts'),
              status_set_at: pick('status_set_at'),
              status_set_by: pick('status_set_by'),
              last_seen_at: later(eb, 'presence', 'last_seen_at'),
            };
          }),
        )
        .returning(['status', 'status_text', 'status_until', 'status_ts', 'status_set_at']),
    ),
    // A supervisor sets the agent's online flag: ordered with the agent's own updates by
    // clientTimestamp (the server clock here), and no sign of the agent's life.
    upsertOnlineBy: prepareQuery<never, ChatbotAgent & { online: number; client_ts: number; updated_at: number; online_set_by: string }>(
      db,
      ['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'online_set_by'],
      (v) =>
        db
          .insertInto('presence')
          .values({ ...v, last_seen_at: sql.lit(0) })
          .onConflict((oc) =>
            oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
              const newer = eb(eb.ref('excluded.client_ts'), '>=', eb.ref('presence.client_ts'));
              const pick = <C extends 'online' | 'client_ts' | 'updated_at' | 'online_set_by'>(column: C) =>
                eb
                  .case()
                  .when(newer)
                  .then(eb.ref(`excluded.${column}`))
                  .else(eb.ref(`presence.${column}`))
                  .end();
              return { online: pick('online'), client_ts: pick('client_ts'), updated_at: pick('updated_at'), online_set_by: pick('online_set_by') };
            }),
          ),
    ),
    setMemberWorkingHours: prepareQuery<never, ChatbotAgent & { working_hours: string | null }>(db, ['chatbot_id', 'agent_id', 'working_hours'], (v) =>
      db.updateTable('memberships').set({ working_hours: v.working_hours }).where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id),
    ),
    // Capacity, absolute values ordered by their clientTimestamp; a field not sent keeps its value.
    upsertCapacity: prepareQuery<
      { active_chats: number | null; max_chats: number | null; client_ts: number },
      ChatbotAgent & { active_chats: number | null; max_chats: number | null; client_ts: number; updated_at: number; set_active: number; set_max: number }
    >(db, ['chatbot_id', 'agent_id', 'active_chats', 'max_chats', 'client_ts', 'updated_at', 'set_active', 'set_max'], (v) =>
      db
        .insertInto('agent_capacity')
        .values({ chatbot_id: v.chatbot_id, agent_id: v.agent_id, active_chats: v.active_chats, max_chats: v.max_chats, client_ts: v.client_ts, updated_at: v.updated_at })
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
            const newer = eb(eb.ref('excluded.client_ts'), '>=', eb.ref('agent_capacity.client_ts'));
            const field = (column: 'active_chats' | 'max_chats', sent: number) =>
              eb
                .case()
                .when(eb.and([newer, eb(sql.val(sent), '=', sql.lit(1))]))
                .then(eb.ref(`excluded.${column}`))
                .else(eb.ref(`agent_capacity.${column}`))
                .end();
            return {
              active_chats: field('active_chats', v.set_active),
              max_chats: field('max_chats', v.set_max),
              client_ts: eb.case().when(newer).then(eb.ref('excluded.client_ts')).else(eb.ref('agent_capacity.client_ts')).end(),
              updated_at: eb.case().when(newer).then(eb.ref('excluded.updated_at')).else(eb.ref('agent_capacity.updated_at')).end(),
            };
          }),
        )
        .returning(['active_chats', 'max_chats', 'client_ts']),
    ),
    // Reported activity: also a sign of life. The newest report of any device stands.
    recordActivity: prepareQuery<never, ChatbotAgent & { at: number }>(db, ['chatbot_id', 'agent_id', 'at'], (v) =>
      db
        .insertInto('presence')
        .columns(['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'last_seen_at', 'last_active_at'])
        // Only a member's: a report kept in memory may be written after its agent left.
        .expression(
          db
            .selectFrom('memberships as m')
            .select((eb) => [
              'm.chatbot_id',
              'm.agent_id',
              sql.lit(1).as('online'),
              sql.lit(0).as('client_ts'),
              eb.cast<number>(eb.val(v.at), 'bigint').as('updated_at'),
              eb.cast<number>(eb.val(v.at), 'bigint').as('last_seen_at'),
              eb.cast<number>(eb.val(v.at), 'bigint').as('last_active_at'),
            ])
            .where('m.chatbot_id', '=', v.chatbot_id)
            .where('m.agent_id', '=', v.agent_id),
        )
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => ({
            last_active_at: later(eb, 'presence', 'last_active_at'),
            last_seen_at: later(eb, 'presence', 'last_seen_at'),
          })),
        ),
    ),
  };

  return {
    /** Applies status updates of distinct agents (last writer wins); each one's standing, by chatbot and agent. */
    applyStatusUpdates: async (run: Run, updates: readonly StatusUpdate[]): Promise<Map<string, Standing>> =>
      new Map((await run(q.upsertStatusRows, updates)).map((row) => [agentKey(row.chatbot_id, row.agent_id), row])),

    /** Sets the agent's chosen status unless a newer one stands; the chosen status as it stands afterwards. */
    applyChosenStatus: async (run: Run, values: Parameters<typeof q.upsertChosenStatus>[0]) => {
      const [standing] = await run(q.upsertChosenStatus, values);
      if (!standing) throw new Error('chosen status upsert returned no row');
      return standing;
    },

    /** Sets a member's own working hours (JSON, or null for the chatbot's default). */
    setWorkingHours: async (run: Run, chatbotId: string, agentId: string, workingHours: string | null) => {
      await run.write(q.setMemberWorkingHours, { chatbot_id: chatbotId, agent_id: agentId, working_hours: workingHours });
    },

    /** A member's own working hours and the chatbot's default (JSON); undefined when not a member. */
    workingHoursOf: (chatbotId: string, agentId: string) =>
      db
        .selectFrom('memberships as m')
        .innerJoin('chatbots as c', 'c.id', 'm.chatbot_id')
        .select(['m.working_hours as own', 'c.working_hours as chatbot'])
        .where('m.chatbot_id', '=', chatbotId)
        .where('m.agent_id', '=', agentId)
        .executeTakeFirst(),

    /** A supervisor sets the agent's online flag (see upsertOnlineBy). */
    applyOnlineBy: async (run: Run, values: Parameters<typeof q.upsertOnlineBy>[0]) => {
      await run.write(q.upsertOnlineBy, values);
    },

    /** Applies a capacity report unless a newer one stands; the capacity as it stands afterwards. */
    applyCapacity: async (run: Run, values: Parameters<typeof q.upsertCapacity>[0]) => {
      const [standing] = await run(q.upsertCapacity, values);
      if (!standing) throw new Error('capacity upsert returned no row');
      return standing;
    },

    /** Records activity reported by a client of the agent at `at` (the post itself is a device's sign of life). */
    recordActivity: async (run: Run, chatbotId: string, agentId: string, at: number) => {
      await run.write(q.recordActivity, { chatbot_id: chatbotId, agent_id: agentId, at });
    },
  };
}

export type PresenceStore = ReturnType<typeof presenceStore>;
