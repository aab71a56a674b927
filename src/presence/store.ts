import { sql, type Kysely } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import { prepareQuery, type PreparedRunner } from '../db/prepared.js';
import type { Database, PresenceTable } from '../db/schema.js';

export interface MemberPresenceRow {
  agent_id: string;
  name: string;
  online: number | null;
  updated_at: number | null;
  last_seen_at: number | null;
  /** Last time a stream of the agent opened or closed. */
  stream_seen_at: number | null;
  /** When the grace after the agent's last stream closing ends. */
  grace_until: number | null;
  /** Instances holding an open stream of the agent (more than 0: connected). */
  holders: number;
  /** What was last announced on the stream (null: nothing yet). */
  announced_online: number | null;
  announced_connected: number | null;
}

type Executor = Kysely<Database>;

/** A key space of PostgreSQL advisory locks for the service, apart from single-key locks. */
const CHATBOT_LOCK_SPACE = 4242;

/** Members of the chatbot (all, or the given agents) with presence, stream liveness and what was last announced, by name then id. */
function membersQuery(x: Executor, chatbotId: string, agentIds?: readonly string[]) {
  let query = x
    .selectFrom('memberships as m')
    .innerJoin('agents as a', 'a.id', 'm.agent_id')
    .leftJoin('presence as p', (join) => join.onRef('p.chatbot_id', '=', 'm.chatbot_id').onRef('p.agent_id', '=', 'm.agent_id'))
    .leftJoin('stream_liveness as s', (join) => join.onRef('s.chatbot_id', '=', 'm.chatbot_id').onRef('s.agent_id', '=', 'm.agent_id'))
    .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'm.chatbot_id').onRef('pa.agent_id', '=', 'm.agent_id'))
    .select((eb) => [
      'a.id as agent_id',
      'a.name',
      'p.online',
      'p.updated_at',
      'p.last_seen_at',
      's.seen_at as stream_seen_at',
      's.grace_until',
      'pa.online as announced_online',
      'pa.connected as announced_connected',
      eb
        .selectFrom('stream_holders as h')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('h.chatbot_id', '=', 'm.chatbot_id')
        .whereRef('h.agent_id', '=', 'm.agent_id')
        .as('holders'),
    ])
    .where('m.chatbot_id', '=', chatbotId);
  if (agentIds) query = query.where('m.agent_id', 'in', agentIds.length > 0 ? agentIds : ['']);
  return query.orderBy(sql`lower(a.name)`).orderBy('a.name').orderBy('a.id');
}

/** SQL for presence: the chosen status (intent) and the last sign of life, per (chatbot, agent). */
export function presenceStore(db: Kysely<Database>, changes: ChangeTracker, dialect: 'sqlite' | 'postgres', runPrepared?: PreparedRunner) {
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
    runPrepared,
  );

  const memberState = prepareQuery<MemberPresenceRow, { chatbot_id: string; agent_id: string }>(
    db,
    ['chatbot_id', 'agent_id'],
    ({ chatbot_id, agent_id }) => membersQuery(db, chatbot_id, [agent_id]),
    runPrepared,
  );

  /** Sets the grace of the given agents to at least `graceUntil` (a later one stands). */
  const extendGrace = async (x: Executor, rows: ReadonlyArray<{ chatbot_id: string; agent_id: string }>, graceUntil: number) => {
    const byChatbot = new Map<string, string[]>();
    for (const row of rows) byChatbot.set(row.chatbot_id, [...(byChatbot.get(row.chatbot_id) ?? []), row.agent_id]);
    for (const [chatbotId, agentIds] of byChatbot) {
      await x
        .updateTable('stream_liveness')
        .set({ grace_until: graceUntil })
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', 'in', agentIds)
        .where((eb) => eb.or([eb('grace_until', 'is', null), eb('grace_until', '<', graceUntil)]))
        .execute();
    }
  };

  return {
    /**
     * Members of the chatbot (all, or the given agents) with presence, stream liveness and what
     * was last announced, by name then id.
     */
    listMembers: (chatbotId: string, agentIds?: readonly string[], x: Executor = db): Promise<MemberPresenceRow[]> =>
      membersQuery(x, chatbotId, agentIds).execute() as Promise<MemberPresenceRow[]>,

    /** One member's row as listMembers reads it (the status update's hot path, prepared once). */
    memberState: async (chatbotId: string, agentId: string): Promise<MemberPresenceRow | undefined> =>
      (await memberState({ chatbot_id: chatbotId, agent_id: agentId }))[0],

    /**
     * Runs `work` in a transaction that holds the chatbot's presence lock, so announcements of
     * one chatbot are decided one at a time across every instance. PostgreSQL: a transaction
     * advisory lock; SQLite: the transaction itself (one connection, one process).
     */
    inChatbotLock: <T>(chatbotId: string, work: (x: Executor) => Promise<T>): Promise<T> =>
      db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHATBOT_LOCK_SPACE}, hashtext(${chatbotId}))`.execute(trx);
        return work(trx);
      }),

    /** This instance now holds an open stream of the agent. */
    holdStream: async (x: Executor, chatbotId: string, agentId: string, instanceId: string, at: number) => {
      await x
        .insertInto('stream_holders')
        .values({ chatbot_id: chatbotId, agent_id: agentId, instance_id: instanceId, opened_at: at })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await x
        .insertInto('stream_liveness')
        .values({ chatbot_id: chatbotId, agent_id: agentId, seen_at: at, grace_until: null })
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ seen_at: at }))
        .execute();
    },

    /** This instance's last stream of the agent closed: the grace period starts. */
    releaseStream: async (x: Executor, chatbotId: string, agentId: string, instanceId: string, at: number, graceUntil: number) => {
      await x.deleteFrom('stream_holders').where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId).where('instance_id', '=', instanceId).execute();
      await x
        .insertInto('stream_liveness')
        .values({ chatbot_id: chatbotId, agent_id: agentId, seen_at: at, grace_until: graceUntil })
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ seen_at: at, grace_until: graceUntil }))
        .execute();
    },

    registerInstance: async (id: string, at: number, leaseUntil: number) => {
      await db
        .insertInto('instances')
        .values({ id, started_at: at, renewed_at: at, lease_until: leaseUntil })
        .onConflict((oc) => oc.column('id').doUpdateSet({ renewed_at: at, lease_until: leaseUntil }))
        .execute();
    },

    /** Extends the instance's lease; false when survivors already declared it dead. */
    renewInstance: async (id: string, at: number, leaseUntil: number): Promise<boolean> => {
      const result = await db.updateTable('instances').set({ renewed_at: at, lease_until: leaseUntil }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Instances whose lease ran out before `at`. */
    lapsedInstances: (at: number) => db.selectFrom('instances').select(['id', 'renewed_at']).where('lease_until', '<', at).execute(),

    /**
     * Releases every stream an instance holds, each agent getting the grace from `graceFrom`,
     * and removes the instance. For a lapsed lease (`lapsedBefore` set), only if it is still
     * lapsed: of several survivors, exactly one claims a dead instance. Returns the agents
     * whose streams were released.
     */
    releaseInstance: (id: string, graceMillis: number, graceFrom: number | 'last renewal', lapsedBefore?: number) =>
      db.transaction().execute(async (trx) => {
        let query = trx.deleteFrom('instances').where('id', '=', id);
        if (lapsedBefore !== undefined) query = query.where('lease_until', '<', lapsedBefore);
        const gone = await query.returning('renewed_at').executeTakeFirst();
        if (!gone && lapsedBefore !== undefined) return [];
        const released = await trx.deleteFrom('stream_holders').where('instance_id', '=', id).returning(['chatbot_id', 'agent_id']).execute();
        const from = graceFrom === 'last renewal' ? Number(gone?.renewed_at ?? 0) : graceFrom;
        await extendGrace(trx, released, from + graceMillis);
        return released;
      }),

    /** Chatbots where some agent was last announced online or connected (their expiry must be watched). */
    chatbotsWithLiveAnnouncements: async (): Promise<string[]> => {
      const rows = await db
        .selectFrom('presence_announced')
        .select('chatbot_id')
        .distinct()
        .where((eb) => eb.or([eb('online', '=', 1), eb('connected', '=', 1)]))
        .execute();
      return rows.map((row) => row.chatbot_id);
    },

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
