import { PostgresAdapter, sql, type Kysely, type Selectable } from 'kysely';
import { afterCursor } from '../db/paging.js';
import { prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { AssignmentTable, Database, EndedChatTable, OfferTable, WaitingChatTable } from '../db/schema.js';
import type { OfferSettings } from './offers.js';
import type { Page } from '../http/paging.js';
import { shownFrom } from '../presence/announced.js';

/** The state an agent was last announced in (null: never announced). */
const announcedState = (visible: string | null | undefined) => shownFrom(visible)?.state ?? null;

export type AssignmentRow = Selectable<AssignmentTable>;
/** An assignment as made or moved (not yet orphaned, its agent not yet told). */
export type NewAssignment = Omit<AssignmentRow, 'orphaned_at' | 'told_at'>;
export type WaitingRow = Selectable<WaitingChatTable>;
export type EndedRow = Selectable<EndedChatTable>;

type Key = { chatbot_id: string; conversation_id: string };

/** A conversation's key, as a list of keys is typed (prepareRows). */
const KEY_COLUMNS = { chatbot_id: 'text', conversation_id: 'text' } as const;

/** The columns of a new assignment, as a list of rows is typed (prepareRows). */
const ASSIGNMENT_COLUMNS = {
  chatbot_id: 'text',
  conversation_id: 'text',
  agent_id: 'text',
  strategy: 'text',
  assigned_at: 'bigint',
  assigned_by: 'text',
  considered: 'text',
  title: 'text',
  preview: 'text',
  arrived_at: 'bigint',
  priority: 'integer',
  waited_ms: 'bigint',
  required_skills: 'text',
  offer_expires_at: 'bigint',
  offer_token: 'text',
  offer_exclude: 'text',
} as const;
const ASSIGNMENT_COLUMN_NAMES = Object.keys(ASSIGNMENT_COLUMNS) as Array<keyof typeof ASSIGNMENT_COLUMNS>;

/** The columns of an ended offer. */
const OFFER_COLUMNS = { chatbot_id: 'text', conversation_id: 'text', agent_id: 'text', offered_at: 'bigint', decided_at: 'bigint', outcome: 'text', token: 'text' } as const;
const OFFER_COLUMN_NAMES = Object.keys(OFFER_COLUMNS) as Array<keyof typeof OFFER_COLUMNS>;

/** The columns of a chat that ended, and of a waiting chat, as lists of rows are typed. */
const ENDED_COLUMNS = {
  chatbot_id: 'text',
  conversation_id: 'text',
  state: 'text',
  ended_at: 'bigint',
  priority: 'integer',
  arrived_at: 'bigint',
  agent_id: 'text',
  assigned_at: 'bigint',
  title: 'text',
  preview: 'text',
  waited_ms: 'bigint',
  required_skills: 'text',
} as const;
const ENDED_COLUMN_NAMES = Object.keys(ENDED_COLUMNS) as Array<keyof typeof ENDED_COLUMNS>;
const WAITING_COLUMNS = {
  chatbot_id: 'text',
  conversation_id: 'text',
  priority: 'integer',
  queue_order: 'bigint',
  arrived_at: 'bigint',
  expires_at: 'bigint',
  max_wait_seconds: 'integer',
  strategy: 'text',
  preferred_agent_id: 'text',
  exclude_agent_ids: 'text',
  title: 'text',
  preview: 'text',
  considered: 'text',
  queued_by: 'text',
  required_skills: 'text',
  skill_steps: 'text',
  next_step_at: 'bigint',
} as const;
const WAITING_COLUMN_NAMES = Object.keys(WAITING_COLUMNS) as Array<keyof typeof WAITING_COLUMNS>;

/**
 * A row's key among a unit's gathered writes (Run.append): its table and its conversation, so
 * that two writes of one row keep their order. Chatbot ids hold no spaces.
 */
const rowKey = (table: 'assignments' | 'waiting_chats' | 'ended_chats', row: Key) => `${table} ${row.chatbot_id} ${row.conversation_id}`;

/** The most waiting chats one read of a drain takes, and the most reads: past them a queue drains in later units (the sweep, or the next change). */
export const DRAIN_MOST = 1000;
export const DRAIN_PAGES_MOST = 10;

/** A waiting chat as it ended without an agent. */
const endedOf = (row: WaitingRow, state: 'cancelled' | 'expired', at: number): EndedRow => ({
  chatbot_id: row.chatbot_id,
  conversation_id: row.conversation_id,
  state,
  ended_at: at,
  priority: Number(row.priority),
  arrived_at: Number(row.arrived_at),
  agent_id: null,
  assigned_at: null,
  title: row.title,
  preview: row.preview,
  waited_ms: null,
  required_skills: row.required_skills,
});

/**
 * SQL of assignments. The writes run inside a unit of work (`run`), under the chatbot's lock,
 * so a choice and the load it adds are one: prepared once, as every statement of a unit is.
 */
export function assignmentStore(db: Kysely<Database>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  /** Deletes a list of conversations' rows from a table of chats, in one statement. */
  const deleteByKeys = (table: 'waiting_chats' | 'assignments') =>
    prepareRows<never, Key>(db, KEY_COLUMNS, (rows) =>
      db
        .deleteFrom(table)
        .where((eb) =>
          eb(eb.refTuple('chatbot_id', 'conversation_id'), 'in', eb.selectFrom(rows.as('k') as never).select(['k.chatbot_id', 'k.conversation_id'] as never) as never),
        ),
    );
  const q = {
    find: prepareQuery<AssignmentRow, Key>(db, ['chatbot_id', 'conversation_id'], (v) =>
      db.selectFrom('assignments').selectAll().where('chatbot_id', '=', v.chatbot_id).where('conversation_id', '=', v.conversation_id),
    ),
    // When each member was last given a chat, its skills and the offers it missed in a row; the chatbot's offer settings.
    routing: prepareQuery<
      { agent_id: string; last_assigned_at: number | null; skills: string; missed_offers: number; offer_timeout_seconds: number | null; away_after_missed_offers: number | null },
      { chatbot_id: string }
    >(db, ['chatbot_id'], (v) =>
      db
        .selectFrom('memberships as m')
        .innerJoin('chatbots as c', 'c.id', 'm.chatbot_id')
        .select(['m.agent_id', 'm.last_assigned_at', 'm.skills', 'm.missed_offers', 'c.offer_timeout_seconds', 'c.away_after_missed_offers'])
        .where('m.chatbot_id', '=', v.chatbot_id),
    ),
    // An offer accepted: the chat is its agent's.
    accept: prepareQuery<never, Key>(db, ['chatbot_id', 'conversation_id'], (v) =>
      db
        .updateTable('assignments')
        .set({ offer_expires_at: sql.lit(null), offer_token: sql.lit(null), offer_exclude: sql.lit(null) })
        .where('chatbot_id', '=', v.chatbot_id)
        .where('conversation_id', '=', v.conversation_id),
    ),
    // Offers past their deadline, oldest first.
    offersDue: prepareQuery<AssignmentRow, { chatbot_id: string; at: number }>(db, ['chatbot_id', 'at'], (v) =>
      db.selectFrom('assignments').selectAll().where('chatbot_id', '=', v.chatbot_id).where('offer_expires_at', '<=', v.at).orderBy('offer_expires_at').orderBy('conversation_id'),
    ),
    // How offers ended, for the reports.
    offersEnded: prepareRows<never, Selectable<OfferTable>>(db, OFFER_COLUMNS, (rows) =>
      db
        .insertInto('offers')
        .columns(OFFER_COLUMN_NAMES)
        .expression(selectRows(db, rows, OFFER_COLUMN_NAMES))
        .onConflict((oc) => oc.doNothing()),
    ),
    // Members' missed offers in a row, set to the counts given.
    missedOffers: prepareRows<never, { chatbot_id: string; agent_id: string; missed: number }>(db, { chatbot_id: 'text', agent_id: 'text', missed: 'integer' }, (rows) =>
      db
        .with('r', (qb) => qb.selectFrom(rows.as('x')).selectAll('x'))
        .updateTable('memberships')
        .set((eb) => ({
          missed_offers: eb
            .selectFrom('r')
            .select((r) => r.fn.max('r.missed').as('missed'))
            .whereRef('r.chatbot_id', '=', 'memberships.chatbot_id')
            .whereRef('r.agent_id', '=', 'memberships.agent_id'),
        }))
        .where((eb) => eb(eb.refTuple('chatbot_id', 'agent_id'), 'in', eb.selectFrom('r').select(['r.chatbot_id', 'r.agent_id']).$asTuple('chatbot_id', 'agent_id'))),
    ),
    // Waiting chats whose requirement's next step is due (assignments/skills.ts), and when their next one is.
    stepsDue: prepareQuery<Pick<WaitingRow, 'chatbot_id' | 'conversation_id' | 'arrived_at' | 'skill_steps'>, { chatbot_id: string; at: number }>(db, ['chatbot_id', 'at'], (v) =>
      db
        .selectFrom('waiting_chats')
        .select(['chatbot_id', 'conversation_id', 'arrived_at', 'skill_steps'])
        .where('chatbot_id', '=', v.chatbot_id)
        .where('next_step_at', '<=', v.at),
    ),
    nextSteps: prepareRows<never, Key & { next_step_at: number | null }>(db, { chatbot_id: 'text', conversation_id: 'text', next_step_at: 'bigint' }, (rows) =>
      db
        .with('r', (qb) => qb.selectFrom(rows.as('x')).selectAll('x'))
        .updateTable('waiting_chats')
        .set((eb) => ({
          next_step_at: eb
            .selectFrom('r')
            .select('r.next_step_at')
            .whereRef('r.chatbot_id', '=', 'waiting_chats.chatbot_id')
            .whereRef('r.conversation_id', '=', 'waiting_chats.conversation_id'),
        }))
        .where((eb) =>
          eb(eb.refTuple('chatbot_id', 'conversation_id'), 'in', eb.selectFrom('r').select(['r.chatbot_id', 'r.conversation_id']).$asTuple('chatbot_id', 'conversation_id')),
        ),
    ),
    // A member's skills: read (to say what they were) and set, in a unit of work.
    skillsOf: prepareQuery<{ skills: string }, { chatbot_id: string; agent_id: string }>(db, ['chatbot_id', 'agent_id'], (v) =>
      db.selectFrom('memberships').select('skills').where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id),
    ),
    setSkills: prepareQuery<never, { chatbot_id: string; agent_id: string; skills: string }>(db, ['skills', 'chatbot_id', 'agent_id'], (v) =>
      db.updateTable('memberships').set({ skills: v.skills }).where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id),
    ),
    move: prepareQuery<never, Key & { agent_id: string; strategy: string; assigned_at: number; assigned_by: string | null; considered: string }>(
      db,
      ['agent_id', 'strategy', 'assigned_at', 'assigned_by', 'considered', 'chatbot_id', 'conversation_id'],
      (v) =>
        db
          .updateTable('assignments')
          .set({
            agent_id: v.agent_id,
            strategy: v.strategy,
            assigned_at: v.assigned_at,
            assigned_by: v.assigned_by,
            considered: v.considered,
            orphaned_at: sql.lit(null),
            told_at: sql.lit(null),
            // Moved by whoever decided: no longer an offer.
            offer_expires_at: sql.lit(null),
            offer_token: sql.lit(null),
            offer_exclude: sql.lit(null),
          })
          .where('chatbot_id', '=', v.chatbot_id)
          .where('conversation_id', '=', v.conversation_id),
    ),
    // Each member's latest assignment time among the rows (a member may be named more than once).
    assigned: prepareRows<never, { chatbot_id: string; agent_id: string; at: number }>(db, { chatbot_id: 'text', agent_id: 'text', at: 'bigint' }, (rows) =>
      db
        .with('r', (qb) => qb.selectFrom(rows.as('x')).selectAll('x'))
        .updateTable('memberships')
        .set((eb) => ({
          last_assigned_at: eb
            .selectFrom('r')
            .select((r) => r.fn.max('r.at').as('at'))
            .whereRef('r.chatbot_id', '=', 'memberships.chatbot_id')
            .whereRef('r.agent_id', '=', 'memberships.agent_id'),
        }))
        .where((eb) => eb(eb.refTuple('chatbot_id', 'agent_id'), 'in', eb.selectFrom('r').select(['r.chatbot_id', 'r.agent_id']).$asTuple('chatbot_id', 'agent_id'))),
    ),
    claimOrphaned: prepareQuery<AssignmentRow, Key & { agent_id: string; at: number }>(db, ['at', 'chatbot_id', 'conversation_id', 'agent_id'], (v) =>
      db
        .updateTable('assignments')
        .set({ orphaned_at: v.at })
        .where('chatbot_id', '=', v.chatbot_id)
        .where('conversation_id', '=', v.conversation_id)
        .where('agent_id', '=', v.agent_id)
        .where('orphaned_at', 'is', null)
        .returningAll(),
    ),
    // The agent's state as announced now and the chatbot's wait before its chats are orphaned.
    absence: prepareQuery<{ visible: string | null; since: number | null; reassign_after_seconds: number | null }, { chatbot_id: string; agent_id: string }>(
      db,
      ['agent_id', 'chatbot_id'],
      (v) =>
        db
          .selectFrom('chatbots as c')
          .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'c.id').on('pa.agent_id', '=', v.agent_id))
          .select(['pa.visible', 'pa.since', 'c.reassign_after_seconds'])
          .where('c.id', '=', v.chatbot_id),
    ),
    // Assignments whose agents were told, each as it was made (a chat moved since is not). On
    // PostgreSQL a row a unit of work holds is skipped, not waited for: a unit that releases or
    // moves several chats while this marks several would otherwise each wait on the other (a
    // deadlock, one of them undone after a second). A chat skipped stays untold: if it is still
    // open, the sweep tells it again under the same key, which queues nothing new.
    told: prepareRows<never, Key & { agent_id: string; assigned_at: number; at: number }>(
      db,
      { chatbot_id: 'text', conversation_id: 'text', agent_id: 'text', assigned_at: 'bigint', at: 'bigint' },
      (rows) =>
        db
          .with('marked', (qb) =>
            qb
              .selectFrom(rows.as('t'))
              .innerJoin('assignments as a', (join) =>
                join
                  .onRef('a.chatbot_id', '=', 't.chatbot_id')
                  .onRef('a.conversation_id', '=', 't.conversation_id')
                  .onRef('a.agent_id', '=', 't.agent_id')
                  .onRef('a.assigned_at', '=', 't.assigned_at'),
              )
              .select(['a.chatbot_id', 'a.conversation_id', 't.at'])
              .$if(postgres, (locking) => locking.forUpdate(['a']).skipLocked()),
          )
          .updateTable('assignments')
          // By key from the list (`in`): SQLite would otherwise look the list up for every row of the table.
          .set((eb) => ({
            told_at: eb
              .selectFrom('marked')
              .select('marked.at')
              .whereRef('marked.chatbot_id', '=', 'assignments.chatbot_id')
              .whereRef('marked.conversation_id', '=', 'assignments.conversation_id'),
          }))
          .where((eb) =>
            eb(
              eb.refTuple('chatbot_id', 'conversation_id'),
              'in',
              eb.selectFrom('marked').select(['marked.chatbot_id', 'marked.conversation_id']).$asTuple('chatbot_id', 'conversation_id'),
            ),
          ),
    ),
    // A drain's assignments: the chats out of the queue, their assignments in, in one statement each.
    unqueueMany: deleteByKeys('waiting_chats'),
    // A unit's assignments, releases, cancels and chats queued go as a list statement each (Run.append).
    endOpenMany: deleteByKeys('assignments'),
    endedMany: prepareRows<never, EndedRow>(db, ENDED_COLUMNS, (rows) =>
      db
        .insertInto('ended_chats')
        .columns(ENDED_COLUMN_NAMES)
        .expression(selectRows(db, rows, ENDED_COLUMN_NAMES))
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'conversation_id']).doUpdateSet((eb) => ({
            state: eb.ref('excluded.state'),
            ended_at: eb.ref('excluded.ended_at'),
            priority: eb.ref('excluded.priority'),
            arrived_at: eb.ref('excluded.arrived_at'),
            agent_id: eb.ref('excluded.agent_id'),
            assigned_at: eb.ref('excluded.assigned_at'),
            title: eb.ref('excluded.title'),
            preview: eb.ref('excluded.preview'),
            waited_ms: eb.ref('excluded.waited_ms'),
            required_skills: eb.ref('excluded.required_skills'),
          })),
        ),
    ),
    enqueueMany: prepareRows<never, WaitingRow>(db, WAITING_COLUMNS, (rows) =>
      db
        .insertInto('waiting_chats')
        .columns(WAITING_COLUMN_NAMES)
        .expression(selectRows(db, rows, WAITING_COLUMN_NAMES)),
    ),
    insertMany: prepareRows<never, NewAssignment>(db, ASSIGNMENT_COLUMNS, (rows) =>
      db
        .insertInto('assignments')
        .columns(ASSIGNMENT_COLUMN_NAMES)
        .expression(selectRows(db, rows, ASSIGNMENT_COLUMN_NAMES)),
    ),
    // The open assignments and the waiting chats of a list of conversations (a round reads its works' at once).
    // On PostgreSQL the rows read are locked until the unit ends: a write outside units of work
    // (a member removed, whose chats the cascade deletes) waits for it rather than changing what
    // the unit goes on to release or answer.
    openOf: prepareRows<AssignmentRow, Key>(db, KEY_COLUMNS, (rows) =>
      db
        .selectFrom(rows.as('k'))
        .innerJoin('assignments as a', (join) => join.onRef('a.chatbot_id', '=', 'k.chatbot_id').onRef('a.conversation_id', '=', 'k.conversation_id'))
        .selectAll('a')
        .$if(postgres, (locking) => locking.forUpdate(['a'])),
    ),
    waitingOf: prepareRows<WaitingRow, Key>(db, KEY_COLUMNS, (rows) =>
      db
        .selectFrom(rows.as('k'))
        .innerJoin('waiting_chats as w', (join) => join.onRef('w.chatbot_id', '=', 'k.chatbot_id').onRef('w.conversation_id', '=', 'k.conversation_id'))
        .selectAll('w')
        .$if(postgres, (locking) => locking.forUpdate(['w'])),
    ),
    findWaiting: prepareQuery<WaitingRow, Key>(db, ['chatbot_id', 'conversation_id'], (v) =>
      db.selectFrom('waiting_chats').selectAll().where('chatbot_id', '=', v.chatbot_id).where('conversation_id', '=', v.conversation_id),
    ),
    // The chatbot's queue, in its order, up to a drain's worth.
    // A chat past its expiry is not taken: the expiry (within a second) ends it instead.
    waiting: prepareQuery<WaitingRow, { chatbot_id: string; at: number; limit: number }>(db, ['chatbot_id', 'at', 'limit'], (v) =>
      db
        .selectFrom('waiting_chats')
        .selectAll()
        .where('chatbot_id', '=', v.chatbot_id)
        .where('expires_at', '>', v.at)
        .orderBy('queue_order')
        .orderBy('conversation_id')
        .limit(v.limit),
    ),
    // The page of the queue after a chat (a drain reads on while nothing of a full page could be taken).
    waitingAfter: prepareQuery<WaitingRow, { chatbot_id: string; at: number; queue_order: number; conversation_id: string; limit: number }>(
      db,
      ['chatbot_id', 'at', 'queue_order', 'conversation_id', 'limit'],
      (v) =>
        db
          .selectFrom('waiting_chats')
          .selectAll()
          .where('chatbot_id', '=', v.chatbot_id)
          .where('expires_at', '>', v.at)
          .where((eb) => eb(eb.refTuple('queue_order', 'conversation_id'), '>', eb.tuple(v.queue_order, v.conversation_id)))
          .orderBy('queue_order')
          .orderBy('conversation_id')
          .limit(v.limit),
    ),
    expire: prepareQuery<WaitingRow, { chatbot_id: string; at: number }>(db, ['chatbot_id', 'at'], (v) =>
      db.deleteFrom('waiting_chats').where('chatbot_id', '=', v.chatbot_id).where('expires_at', '<=', v.at).returningAll(),
    ),
  };

  /** Keeps a chat that ended (one list statement for the unit's, Run.append). */
  const keepEnded = (run: Run, row: EndedRow) => run.append(q.endedMany, row, rowKey('ended_chats', row));

  /** Deletes an open assignment and keeps it as released. */
  function endOpen(run: Run, row: AssignmentRow, at: number): void {
    const key = { chatbot_id: row.chatbot_id, conversation_id: row.conversation_id };
    run.append(q.endOpenMany, key, rowKey('assignments', key));
    keepEnded(run, {
      chatbot_id: row.chatbot_id,
      conversation_id: row.conversation_id,
      state: 'released',
      ended_at: at,
      priority: Number(row.priority ?? 0),
      arrived_at: Number(row.arrived_at ?? row.assigned_at),
      agent_id: row.agent_id,
      assigned_at: Number(row.assigned_at),
      title: row.title ?? null,
      preview: row.preview ?? null,
      waited_ms: row.waited_ms === null || row.waited_ms === undefined ? null : Number(row.waited_ms),
      required_skills: row.required_skills,
    });
  }

  return {
    /** The open assignment of a conversation, if any. */
    find: async (run: Run, chatbotId: string, conversationId: string): Promise<AssignmentRow | undefined> =>
      (await run(q.find, { chatbot_id: chatbotId, conversation_id: conversationId }))[0],

    /** Outside a unit: each member's skills as stored (JSON), by agent id. */
    skillsByMember: async (chatbotId: string): Promise<Map<string, string>> => new Map((await q.routing({ chatbot_id: chatbotId })).map((row) => [row.agent_id, row.skills])),

    /** Inside a unit: a member's skills as stored (JSON), undefined when it is not a member. */
    memberSkills: async (run: Run, chatbotId: string, agentId: string): Promise<string | undefined> =>
      (await run(q.skillsOf, { chatbot_id: chatbotId, agent_id: agentId }))[0]?.skills,

    /** Inside a unit: sets a member's skills (JSON). */
    setMemberSkills: (run: Run, chatbotId: string, agentId: string, skills: string): void => run.write(q.setSkills, { chatbot_id: chatbotId, agent_id: agentId, skills }),

    /** When each member of the chatbot was last given a chat, and its skills (as stored: JSON). */
    routing: async (run: Run, chatbotId: string) => {
      const rows = await run(q.routing, { chatbot_id: chatbotId });
      const members = new Map<string, { lastAssignedAt: number | null; skills: string; missedOffers: number }>(
        rows.map((row) => [
          row.agent_id,
          { lastAssignedAt: row.last_assigned_at === null ? null : Number(row.last_assigned_at), skills: row.skills, missedOffers: Number(row.missed_offers ?? 0) },
        ]),
      );
      const settings: OfferSettings = {
        timeoutSeconds: rows[0]?.offer_timeout_seconds == null ? null : Number(rows[0].offer_timeout_seconds),
        awayAfterMissed: rows[0] === undefined || rows[0].away_after_missed_offers === null ? null : Number(rows[0].away_after_missed_offers),
      };
      return { members, settings };
    },

    /** Inside a unit: an offer accepted (the chat is its agent's now), and its agent's missed offers in a row back to 0. */
    accept: async (run: Run, row: Key & { agent_id: string }) => {
      await run.write(q.accept, row);
      run.append(q.missedOffers, { chatbot_id: row.chatbot_id, agent_id: row.agent_id, missed: 0 });
    },

    /** Inside a unit: the chatbot's offers whose deadline passed by `at`. */
    offersDue: async (run: Run, chatbotId: string, at: number): Promise<AssignmentRow[]> => run(q.offersDue, { chatbot_id: chatbotId, at }),

    /** Chatbots with offers whose deadline passed by `at`. */
    chatbotsWithOffersDue: async (at: number): Promise<string[]> => {
      // Read by the deadline's index (a DISTINCT over chatbot ids made SQLite scan every open
      // assignment four times a second), oldest first; the ids once each, in that order.
      const rows = await db.selectFrom('assignments').select('chatbot_id').where('offer_expires_at', '<=', at).orderBy('offer_expires_at').limit(20_000).execute();
      return [...new Set(rows.map((row) => row.chatbot_id))];
    },

    /** Inside a unit: how offers ended (the reports count them), in the unit's list statements. */
    offersEnded: (run: Run, rows: ReadonlyArray<Selectable<OfferTable>>): void => {
      for (const row of rows) run.append(q.offersEnded, row);
    },

    /** Inside a unit: members' missed offers in a row, as counted now. */
    setMissedOffers: (run: Run, rows: ReadonlyArray<{ chatbot_id: string; agent_id: string; missed: number }>): void => {
      for (const row of rows) run.append(q.missedOffers, row);
    },

    /**
     * Inside a unit: offered chats passed on after a decline or a miss, in a few statements
     * however many: their open rows out, then each either offered to another agent (a new open
     * row) or back in the queue.
     */
    passOn: async (run: Run, ended: readonly Key[], offered: readonly NewAssignment[], queued: readonly WaitingRow[], expired: readonly EndedRow[]) => {
      if (ended.length === 0) return;
      await run.write(
        q.endOpenMany,
        ended.map((row) => ({ chatbot_id: row.chatbot_id, conversation_id: row.conversation_id })),
      );
      if (offered.length > 0) await run.write(q.insertMany, offered);
      if (queued.length > 0) await run.write(q.enqueueMany, queued);
      for (const row of expired) keepEnded(run, row);
      const latest = new Map<string, NewAssignment>();
      for (const row of offered) latest.set(row.agent_id, row);
      for (const row of latest.values()) run.append(q.assigned, { chatbot_id: row.chatbot_id, agent_id: row.agent_id, at: row.assigned_at });
    },

    /** How the chatbot's offers ended between `from` and `to` (the offers report). */
    offersBetween: (chatbotId: string, from: number, to: number) =>
      db
        .selectFrom('offers')
        .select(['agent_id', 'offered_at', 'decided_at', 'outcome'])
        .where('chatbot_id', '=', chatbotId)
        .where('decided_at', '>=', from)
        .where('decided_at', '<', to)
        .execute(),

    /**
     * Stores a new assignment and the member's last assignment time: rows of the unit's list
     * statements (Run.append), so a round of assignments costs one insert, not one each.
     */
    insert: (run: Run, row: NewAssignment): void => {
      run.append(q.insertMany, row, rowKey('assignments', row));
      run.append(q.assigned, { chatbot_id: row.chatbot_id, agent_id: row.agent_id, at: row.assigned_at });
    },

    /** Gives an open assignment to another member. */
    move: async (run: Run, row: NewAssignment) => {
      await run.write(q.move, row);
      run.append(q.assigned, { chatbot_id: row.chatbot_id, agent_id: row.agent_id, at: row.assigned_at });
    },

    /**
     * Inside a unit: the open assignments and the waiting chats of these conversations, in two
     * statements however many (on PostgreSQL sent together: one round trip).
     */
    chatsOf: async (run: Run, keys: readonly Key[]): Promise<{ open: AssignmentRow[]; waiting: WaitingRow[] }> => {
      if (keys.length === 0) return { open: [], waiting: [] };
      const [open, waiting] = await Promise.all([run(q.openOf, keys), run(q.waitingOf, keys)]);
      return { open, waiting };
    },

    /** Inside a unit: ends an open assignment the unit read (released), in the unit's list statements. */
    releaseKnown: (run: Run, row: AssignmentRow, at: number): void => endOpen(run, row, at),

    /** Inside a unit: ends a waiting chat the unit read (cancelled), in the unit's list statements. */
    cancelKnown: (run: Run, row: WaitingRow, at: number): void => {
      const key = { chatbot_id: row.chatbot_id, conversation_id: row.conversation_id };
      run.append(q.unqueueMany, key, rowKey('waiting_chats', key));
      keepEnded(run, endedOf(row, 'cancelled', at));
    },

    /**
     * Inside a unit: assignments made from the queue, in a few statements however many: the chats
     * out of the queue, their assignments in, and each agent's last assignment time.
     */
    assignFromQueue: async (run: Run, rows: readonly NewAssignment[]) => {
      if (rows.length === 0) return;
      await run.write(
        q.unqueueMany,
        rows.map((row) => ({ chatbot_id: row.chatbot_id, conversation_id: row.conversation_id })),
      );
      await run.write(q.insertMany, rows);
      const latest = new Map<string, NewAssignment>();
      for (const row of rows) latest.set(row.agent_id, row);
      for (const row of latest.values()) run.append(q.assigned, { chatbot_id: row.chatbot_id, agent_id: row.agent_id, at: row.assigned_at });
    },

    /** Inside a unit: the conversation's waiting chat, if any. */
    findWaiting: async (run: Run, chatbotId: string, conversationId: string): Promise<WaitingRow | undefined> =>
      (await run(q.findWaiting, { chatbot_id: chatbotId, conversation_id: conversationId }))[0],

    /** Inside a unit: the chatbot's waiting chats not due to expire at `at`, in queue order (at most DRAIN_MOST). */
    waiting: async (run: Run, chatbotId: string, at: number, after?: WaitingRow): Promise<WaitingRow[]> =>
      after
        ? await run(q.waitingAfter, { chatbot_id: chatbotId, at, queue_order: Number(after.queue_order), conversation_id: after.conversation_id, limit: DRAIN_MOST })
        : await run(q.waiting, { chatbot_id: chatbotId, at, limit: DRAIN_MOST }),

    /** Inside a unit: puts a chat in the queue (in the unit's list statements). */
    enqueue: (run: Run, row: WaitingRow): void => run.append(q.enqueueMany, row, rowKey('waiting_chats', row)),

    /** Inside a unit: the chatbot's waiting chats due to expire by `at`, kept as expired, oldest in the queue first. */
    expire: async (run: Run, chatbotId: string, at: number): Promise<WaitingRow[]> => {
      const rows = (await run(q.expire, { chatbot_id: chatbotId, at })).sort((a, b) => Number(a.queue_order) - Number(b.queue_order));
      for (const row of rows) keepEnded(run, endedOf(row, 'expired', at));
      return rows;
    },

    /** Chatbots with waiting chats whose requirement relaxes by `at` (a step due). */
    chatbotsWithStepsDue: async (at: number): Promise<string[]> =>
      (await db.selectFrom('waiting_chats').select('chatbot_id').distinct().where('next_step_at', '<=', at).limit(1000).execute()).map((row) => row.chatbot_id),

    /** Inside a unit: the chatbot's waiting chats with a step due by `at`. */
    stepsDue: async (run: Run, chatbotId: string, at: number) => run(q.stepsDue, { chatbot_id: chatbotId, at }),

    /** Inside a unit: when each chat's next step is due (null: none left). */
    setNextSteps: (run: Run, rows: ReadonlyArray<Key & { next_step_at: number | null }>): void => {
      if (rows.length > 0) run.write(q.nextSteps, rows);
    },

    /** Chatbots with waiting chats (due to expire by `dueBy`, when given). */
    chatbotsWaiting: async (dueBy?: number): Promise<string[]> => {
      let query = db.selectFrom('waiting_chats').select('chatbot_id').distinct();
      if (dueBy !== undefined) query = query.where('expires_at', '<=', dueBy);
      return (await query.limit(1000).execute()).map((row) => row.chatbot_id);
    },

    /** The conversation as it stands, read outside a unit: waiting, open, or ended (the first found, in that order). */
    stateOf: async (chatbotId: string, conversationId: string) => {
      const key = { chatbot_id: chatbotId, conversation_id: conversationId };
      const waiting = (await q.findWaiting(key))[0];
      if (waiting) return { waiting };
      const open = (await q.find(key))[0];
      if (open) return { open };
      const ended = await db.selectFrom('ended_chats').selectAll().where('chatbot_id', '=', chatbotId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return ended ? { ended } : {};
    },

    /** How many waiting chats of the chatbot come before this one. */
    ahead: async (row: Pick<WaitingRow, 'chatbot_id' | 'queue_order' | 'conversation_id'>): Promise<number> => {
      const found = await db
        .selectFrom('waiting_chats')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('chatbot_id', '=', row.chatbot_id)
        .where((eb) => eb(eb.refTuple('queue_order', 'conversation_id'), '<', eb.tuple(Number(row.queue_order), row.conversation_id)))
        .executeTakeFirst();
      return Number(found?.n ?? 0);
    },

    /** How long the chatbot's last released chats (up to 100, of the last day) were held, ms. */
    handleTimes: async (chatbotId: string, since: number): Promise<number[]> =>
      (
        await db
          .selectFrom('ended_chats')
          .select(['ended_at', 'assigned_at'])
          .where('chatbot_id', '=', chatbotId)
          .where('state', '=', 'released')
          .where('ended_at', '>=', since)
          .where('assigned_at', 'is not', null)
          .orderBy('ended_at', 'desc')
          .limit(100)
          .execute()
      ).map((row) => Number(row.ended_at) - Number(row.assigned_at)),

    /** The chats of the chatbot that arrived in [from, to): waiting, open or ended, as the waiting report reads them. */
    arrivedBetween: async (chatbotId: string, from: number, to: number) => {
      const waiting = await db
        .selectFrom('waiting_chats')
        .select(['arrived_at', 'priority'])
        .where('chatbot_id', '=', chatbotId)
        .where('arrived_at', '>=', from)
        .where('arrived_at', '<', to)
        .execute();
      const open = await db
        .selectFrom('assignments')
        .select(['arrived_at', 'priority', 'waited_ms'])
        .where('chatbot_id', '=', chatbotId)
        .where('arrived_at', '>=', from)
        .where('arrived_at', '<', to)
        .execute();
      const ended = await db
        .selectFrom('ended_chats')
        .select(['arrived_at', 'priority', 'state', 'waited_ms'])
        .where('chatbot_id', '=', chatbotId)
        .where('arrived_at', '>=', from)
        .where('arrived_at', '<', to)
        .execute();
      const ms = (value: number | null | undefined) => (value === null || value === undefined ? null : Number(value));
      return [
        ...waiting.map((row) => ({ arrivedAt: Number(row.arrived_at), priority: Number(row.priority), state: 'waiting' as const, waitedMs: null })),
        ...open.map((row) => ({ arrivedAt: Number(row.arrived_at), priority: Number(row.priority ?? 0), state: 'assigned' as const, waitedMs: ms(row.waited_ms) })),
        ...ended.map((row) => ({
          arrivedAt: Number(row.arrived_at),
          priority: Number(row.priority),
          state: row.state as 'released' | 'cancelled' | 'expired',
          waitedMs: ms(row.waited_ms),
        })),
      ];
    },

    /** Forgets chats that ended before `before`. */
    pruneEnded: async (before: number) => {
      await db.deleteFrom('ended_chats').where('ended_at', '<', before).execute();
      await db.deleteFrom('offers').where('decided_at', '<', before).execute();
    },

    /** Whether an offer of the conversation with this secret's hash ended (a late answer from its notification). */
    offerEndedWith: async (chatbotId: string, conversationId: string, token: string): Promise<boolean> =>
      (await db
        .selectFrom('offers')
        .select('outcome')
        .where('chatbot_id', '=', chatbotId)
        .where('conversation_id', '=', conversationId)
        .where('token', '=', token)
        .executeTakeFirst()) !== undefined,

    /** The chatbot's queue in order, a page at a time (queue_order then conversation id). */
    queue: (chatbotId: string, page: Page): Promise<WaitingRow[]> =>
      afterCursor(db.selectFrom('waiting_chats').selectAll().where('chatbot_id', '=', chatbotId), page, 'queue_order', 'conversation_id').execute(),

    /**
     * Open assignments whose agent's absence is not yet announced, in chatbots that watch for it,
     * with the agent's state as announced and since when it holds (orphans.ts judges them).
     */
    unannounced: async () =>
      (
        await db
          .selectFrom('assignments as x')
          .innerJoin('chatbots as c', 'c.id', 'x.chatbot_id')
          .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'x.chatbot_id').onRef('pa.agent_id', '=', 'x.agent_id'))
          .select(['x.chatbot_id', 'x.conversation_id', 'x.agent_id', 'x.assigned_at', 'pa.visible', 'pa.since', 'c.reassign_after_seconds', 'c.auto_reassign'])
          .where('x.orphaned_at', 'is', null)
          // An offer lapses by its own deadline: only a chat an agent holds can be orphaned.
          .where('x.offer_expires_at', 'is', null)
          .where('c.reassign_after_seconds', 'is not', null)
          .execute()
      ).map(({ visible, ...row }) => ({ ...row, state: announcedState(visible) })),

    /** Inside a unit: claims the announcement of an assignment of the agent as orphaned, answering it; undefined when it was claimed before (or moved meanwhile). */
    claimOrphaned: async (run: Run, values: Key & { agent_id: string; at: number }): Promise<AssignmentRow | undefined> => (await run(q.claimOrphaned, values))[0],

    /** Inside a unit: the agent's state as announced and the chatbot's reassignAfterSeconds (undefined: no such chatbot). */
    absence: async (run: Run, chatbotId: string, agentId: string) => {
      const [row] = await run(q.absence, { chatbot_id: chatbotId, agent_id: agentId });
      return (
        row && {
          state: announcedState(row.visible),
          since: row.since === null ? null : Number(row.since),
          reassignAfterSeconds: row.reassign_after_seconds === null ? null : Number(row.reassign_after_seconds),
        }
      );
    },

    /** Assignments announced orphaned, with their agent's state as announced now (orphans.ts says which agents are back). */
    announcedOrphaned: async () =>
      (
        await db
          .selectFrom('assignments as x')
          .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'x.chatbot_id').onRef('pa.agent_id', '=', 'x.agent_id'))
          .select(['x.chatbot_id', 'x.conversation_id', 'x.agent_id', 'pa.visible'])
          .where('x.orphaned_at', 'is not', null)
          .execute()
      ).map(({ visible, ...row }) => ({ ...row, state: announcedState(visible) })),

    /** The assignments' agents were told (their pushes queued), each unless it moved since: one statement however many. */
    told: async (rows: ReadonlyArray<Pick<AssignmentRow, 'chatbot_id' | 'conversation_id' | 'agent_id' | 'assigned_at'>>, at: number): Promise<void> => {
      // One row per chat (the statement reads one value per row it marks).
      const once = [...new Map(rows.map((row) => [`${row.chatbot_id}\n${row.conversation_id}`, row])).values()];
      if (once.length > 0)
        await q.told(once.map((row) => ({ chatbot_id: row.chatbot_id, conversation_id: row.conversation_id, agent_id: row.agent_id, assigned_at: Number(row.assigned_at), at })));
    },

    /** Assignments made from `since` to before `before` whose agent was not told (a crash between the commit and the push), oldest first. */
    untold: (since: number, before: number, limit: number): Promise<AssignmentRow[]> =>
      db
        .selectFrom('assignments')
        .selectAll()
        .where('told_at', 'is', null)
        .where('assigned_at', '>=', since)
        .where('assigned_at', '<', before)
        .orderBy('assigned_at')
        .limit(limit)
        .execute(),

    /** The agent is back: its assignments are watched again (an absence later is announced anew). */
    watchAgain: (chatbotId: string, agentId: string) =>
      db.updateTable('assignments').set({ orphaned_at: null }).where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId).where('orphaned_at', 'is not', null).execute(),

    /** Open assignments of the chatbot (of one agent), oldest first, a page at a time. */
    list: (chatbotId: string, agentId: string | undefined, page: Page): Promise<AssignmentRow[]> => {
      let query = db.selectFrom('assignments').selectAll().where('chatbot_id', '=', chatbotId);
      if (agentId !== undefined) query = query.where('agent_id', '=', agentId);
      return afterCursor(query, page, 'assigned_at', 'conversation_id').execute();
    },
  };
}

export type AssignmentStore = ReturnType<typeof assignmentStore>;
