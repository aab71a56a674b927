import { type Kysely, type OnConflictBuilder, type RawBuilder, sql } from 'kysely';
import { jsonRows, prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { agentKey } from './agent-key.js';

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
export function announcementStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const claimTypes = {
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
  } as const;
  const claimFrom = (rows: RawBuilder<Claim>) =>
    db
      .insertInto('presence_announced')
      .columns(CLAIM_COLUMNS)
      .expression(selectRows(db, rows, CLAIM_COLUMNS))
      .onConflict(claimConflict)
      .returning(['chatbot_id', 'agent_id']);
  const q = {
    claimRows: prepareRows<ChatbotAgent, Claim>(db, claimTypes, claimFrom),
    // PostgreSQL: the claim and the versions in one statement (one round trip): each chatbot's
    // version moves on by the claims that were news plus its other events. It answers the claimed
    // agents, then each chatbot's last version (agent_id null).
    claimCounting: prepareQuery<ChatbotAgent & { presence_version: number | null }, { claims: string; others: string }>(db, ['claims', 'others'], (v) => {
      const statement = sql<ChatbotAgent & { presence_version: number | null }>`with claimed as (${claimFrom(jsonRows<Claim>(v.claims, claimTypes))}),
        counts as (
          select others.id, others.events + (select count(*) from claimed where claimed.chatbot_id = others.id) as events
          from ${jsonRows<{ id: string; events: number }>(v.others, { id: 'text', events: 'bigint' })} as others),
        taken as (
          update chatbots set presence_version = chatbots.presence_version + counts.events
          from counts
          where chatbots.id = counts.id and counts.events > 0
          returning chatbots.id, chatbots.presence_version)
        select chatbot_id, agent_id, cast(null as bigint) as presence_version from claimed
        union all
        select id, cast(null as text), presence_version from taken`;
      return { compile: () => statement.compile(db) };
    }),
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

  /** The first of each chatbot's next versions, from its last taken and its count. */
  const firstVersions = (rows: ReadonlyArray<{ id: string; presence_version: number }>, counts: ReadonlyMap<string, number>) =>
    new Map(rows.map((row) => [row.id, Number(row.presence_version) - counts.get(row.id)! + 1]));

  return {
    /**
     * Claims the announcements (distinct agents) and takes the chatbots' next versions, for the
     * claims that were news and `others` more events per chatbot: which were news (as
     * `chatbot\nagent`), and the first version of each chatbot with any. One statement on
     * PostgreSQL; two on SQLite, which has no data-modifying WITH.
     */
    claim: async (run: Run, claims: readonly Claim[], others: ReadonlyMap<string, number>): Promise<{ claimed: Set<string>; next: Map<string, number> }> => {
      const counts = new Map(others);
      const claimed = new Set<string>();
      const count = (row: ChatbotAgent) => {
        claimed.add(agentKey(row.chatbot_id, row.agent_id));
        counts.set(row.chatbot_id, (counts.get(row.chatbot_id) ?? 0) + 1);
      };
      if (dialect === 'postgres') {
        if (claims.length === 0 && others.size === 0) return { claimed, next: new Map() };
        const chatbots = new Set([...claims.map((claim) => claim.chatbot_id), ...others.keys()]);
        const rows = await run(q.claimCounting, {
          claims: JSON.stringify(claims, CLAIM_COLUMNS as never),
          others: JSON.stringify([...chatbots].map((id) => ({ id, events: others.get(id) ?? 0 }))),
        });
        const taken: Array<{ id: string; presence_version: number }> = [];
        for (const row of rows) {
          if (row.agent_id === null) taken.push({ id: row.chatbot_id, presence_version: row.presence_version! });
          else count(row);
        }
        return { claimed, next: firstVersions(taken, counts) };
      }
      for (const row of await run(q.claimRows, claims)) count(row);
      const positive = [...counts].filter(([, events]) => events > 0);
      if (positive.length === 0) return { claimed, next: new Map() };
      const taken = await run(
        q.takeVersions,
        positive.map(([id, events]) => ({ id, events })),
      );
      return { claimed, next: firstVersions(taken, counts) };
    },

    /** Removes what was announced of an agent no longer a member: whether it was there (news), and the interval it had open. */
    unclaim: async (run: Run, chatbotId: string, agentId: string): Promise<{ history_id: string | null } | undefined> =>
      (await run(q.deleteAnnounced, { chatbot_id: chatbotId, agent_id: agentId }))[0],

    /** Stores the next change of agents whose announcement still stands. */
    reschedule: async (run: Run, rows: ReadonlyArray<ChatbotAgent & { next_change_at: number | null }>): Promise<void> => {
      await run.write(q.rescheduleRows, rows);
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
