import { sql, type ExpressionBuilder, type Kysely, type OnConflictBuilder } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import type { OpenDatabase } from '../db/database.js';
import { prepareQuery, prepareRows, type PreparedQuery } from '../db/prepared.js';
import type { Database, PresenceTable, WebhookTable } from '../db/schema.js';
import { historyStatements, openingOf, type HistoryEntry } from '../availability/store.js';
import { orderedId } from '../ids.js';
import { webhookStatements } from '../webhooks/store.js';

/** How long a webhook message is retried before it expires. */
export const WEBHOOK_TTL_MILLIS = 24 * 3600_000;

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
  /** The chosen status and its text and lapse (null: never chosen). */
  status: string | null;
  status_text: string | null;
  status_until: number | null;
  last_active_at: number | null;
  active_chats: number | null;
  max_chats: number | null;
  /** Who set the chosen status, and the online flag, when not the agent itself. */
  status_set_by: string | null;
  status_set_at: number | null;
  online_changed_at: number | null;
  /** The member's working hours (JSON), and the chatbot's default. */
  working_hours: string | null;
  chatbot_working_hours: string | null;
  online_set_by: string | null;
  /** The chatbot's idle time, seconds. */
  idle_after_seconds: number;
  /** What was last announced on the stream (null: nothing yet). */
  announced_online: number | null;
  announced_connected: number | null;
  /** The state, reason and text last announced (see visibleKey), and since when they hold. */
  announced_visible: string | null;
  announced_since: number | null;
}

/** A change of what was announced: an agent's entry, or its removal (no longer a member). */
export interface Announcement {
  chatbotId: string;
  agentId: string;
  online: boolean;
  connected: boolean;
  /** The entry to announce (JSON); for a removal, the entry with removed: true. */
  entry: string;
  /** The derived state, reason and text (see visibleKey), and since when they hold. */
  visible: string;
  since: number;
  removed: boolean;
  /** A change of state, reason or text: the history interval it opens (null: none, e.g. only `connected` changed). */
  history: HistoryEntry | null;
}

/** An agent's own status update: the seed's fields, and (for a new row) when the flag turned on. */
export type StatusUpdate = Pick<PresenceTable, 'chatbot_id' | 'agent_id' | 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'> & { online_changed_at: number | null };

/** Runs a prepared statement in the current locked unit of work (synchronously on SQLite). */
export type Run = <Row, Values>(query: PreparedQuery<Row, Values>, values: Values) => Row[] | Promise<Row[]>;

/** What the chatbot's presence lock gives a unit of work: every statement, prepared. */
export interface LockedPresence {
  /** Members of the chatbot (all, or the given agents) with presence, liveness and what was announced, by name then id. */
  members(agentIds?: readonly string[]): Promise<MemberPresenceRow[]>;
  /**
   * Announces changes of distinct agents of the unit's chatbot, each at most once (the claim):
   * for each, its version in the event log, or null when it was not news.
   */
  announce(items: readonly Announcement[], at: number): Promise<Array<number | null>>;
  /** Agents announced in the chatbot (all, or among `agentIds`) who are no longer members. */
  formerMembers(agentIds?: readonly string[]): Promise<string[]>;
  /** Runs any other prepared statement in the same unit of work. */
  run: Run;
  /** Ends the unit's announcements: stores the chatbot's newest version (see announce). */
  finish(): Promise<void>;
  /** How many webhook messages the unit's announcements queued so far. */
  webhooksQueued(): number;
}

type Executor = Kysely<Database>;

/** A webhook as an announcement needs it: where to queue, and its debounce. */
type WebhookTarget = Pick<WebhookTable, 'id' | 'debounce_seconds'>;

/** In an upsert of presence (any of its builders): the later of the stored and the incoming sign of life, so an older post never moves it back. */
const laterSignOfLife = (eb: ExpressionBuilder<any, any>) =>
  eb.case().when(eb(eb.ref('excluded.last_seen_at'), '>', eb.ref('presence.last_seen_at'))).then(eb.ref('excluded.last_seen_at')).else(eb.ref('presence.last_seen_at')).end();

/** What a claim of an announcement writes (see claimConflict). */
type ClaimValues = { chatbot_id: string; agent_id: string; online: number; connected: number; entry: string; visible: string; since: number };

const claimValues = (item: Announcement): ClaimValues => ({
  chatbot_id: item.chatbotId,
  agent_id: item.agentId,
  online: item.online ? 1 : 0,
  connected: item.connected ? 1 : 0,
  entry: item.entry,
  visible: item.visible,
  since: item.since,
});

/** A claim writes over what was announced only when it differs: a change is news exactly once. */
const claimConflict = (oc: OnConflictBuilder<Database, 'presence_announced'>) =>
  oc
    .columns(['chatbot_id', 'agent_id'])
    .doUpdateSet((eb) => ({
      online: eb.ref('excluded.online'),
      connected: eb.ref('excluded.connected'),
      entry: eb.ref('excluded.entry'),
      visible: eb.ref('excluded.visible'),
      since: eb.ref('excluded.since'),
    }))
    .where((eb) =>
      eb.or([
        eb('presence_announced.online', '!=', eb.ref('excluded.online')),
        eb('presence_announced.connected', '!=', eb.ref('excluded.connected')),
        eb(eb.fn.coalesce('presence_announced.visible', sql.lit('')), '!=', eb.ref('excluded.visible')),
      ]),
    );

/** A key space of PostgreSQL advisory locks for the service, apart from single-key locks. */
const CHATBOT_LOCK_SPACE = 4242;

/** Members of the chatbot (all, or one agent) with presence, stream liveness and what was last announced, by name then id. */
function membersQuery(x: Executor, chatbotId: string, agentId?: string) {
  let query = x
    .selectFrom('memberships as m')
    .innerJoin('agents as a', 'a.id', 'm.agent_id')
    .innerJoin('chatbots as c', 'c.id', 'm.chatbot_id')
    .leftJoin('presence as p', (join) => join.onRef('p.chatbot_id', '=', 'm.chatbot_id').onRef('p.agent_id', '=', 'm.agent_id'))
    .leftJoin('stream_liveness as s', (join) => join.onRef('s.chatbot_id', '=', 'm.chatbot_id').onRef('s.agent_id', '=', 'm.agent_id'))
    .leftJoin('agent_capacity as cap', (join) => join.onRef('cap.chatbot_id', '=', 'm.chatbot_id').onRef('cap.agent_id', '=', 'm.agent_id'))
    .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'm.chatbot_id').onRef('pa.agent_id', '=', 'm.agent_id'))
    .select((eb) => [
      'a.id as agent_id',
      'a.name',
      'p.online',
      'p.updated_at',
      'p.last_seen_at',
      's.seen_at as stream_seen_at',
      's.grace_until',
      'p.status',
      'p.status_text',
      'p.status_until',
      'p.status_set_by',
      'p.status_set_at',
      'p.online_changed_at',
      'm.working_hours',
      'c.working_hours as chatbot_working_hours',
      'p.online_set_by',
      'p.last_active_at',
      'cap.active_chats',
      'cap.max_chats',
      'c.idle_after_seconds',
      'pa.online as announced_online',
      'pa.connected as announced_connected',
      'pa.visible as announced_visible',
      'pa.since as announced_since',
      eb
        .selectFrom('stream_holders as h')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('h.chatbot_id', '=', 'm.chatbot_id')
        .whereRef('h.agent_id', '=', 'm.agent_id')
        .as('holders'),
    ])
    .where('m.chatbot_id', '=', chatbotId);
  if (agentId !== undefined) query = query.where('m.agent_id', '=', agentId);
  return query.orderBy(sql`lower(a.name)`).orderBy('a.name').orderBy('a.id');
}

/**
 * SQL for presence: the chosen status (intent) and the last sign of life per (chatbot, agent),
 * stream liveness across instances, and what was announced. Every statement on a hot path is
 * compiled once (prepareQuery); units of work under a chatbot's lock run them synchronously on
 * SQLite (one connection, one transaction, no promise per statement) and through a Kysely
 * transaction holding an advisory lock on PostgreSQL.
 */
export function presenceStore({ db, changes, dialect, runPrepared, section }: Pick<OpenDatabase, 'db' | 'changes' | 'dialect' | 'runPrepared' | 'section'>) {
  type ChatbotAgent = { chatbot_id: string; agent_id: string };
  const history = historyStatements(db);
  const webhooks = webhookStatements(db);
  const q = {
    upsertStatus: prepareQuery<Pick<PresenceTable, 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'>, StatusUpdate>(
      db,
      ['chatbot_id', 'agent_id', 'online', 'client_ts', 'updated_at', 'last_seen_at', 'online_changed_at'],
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
                last_seen_at: laterSignOfLife(eb),
              };
            }),
          )
          .returning(['online', 'client_ts', 'updated_at', 'last_seen_at']),
      runPrepared,
    ),
    // A chosen status, ordered by its own clientTimestamp (status_ts) apart from the online flag.
    // A first row for the agent says online with client_ts 0, so any me/online outranks it.
    upsertChosenStatus: prepareQuery<
      Pick<PresenceTable, 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at'>,
      Required<Pick<PresenceTable, 'chatbot_id' | 'agent_id' | 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at' | 'status_set_by' | 'last_seen_at'>>
    >(
      db,
      ['chatbot_id', 'agent_id', 'status', 'status_text', 'status_until', 'status_ts', 'status_set_at', 'status_set_by', 'last_seen_at'],
      (v) =>
        db
          .insertInto('presence')
          .values({ ...v, online: sql.lit(1), client_ts: sql.lit(0), updated_at: v.status_set_at! })
          .onConflict((oc) =>
            oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => {
              const newer = eb(eb.ref('excluded.status_ts'), '>=', eb.fn.coalesce('presence.status_ts', sql.lit(-1)));
              const pick = <C extends 'status' | 'status_text' | 'status_until' | 'status_ts' | 'status_set_at' | 'status_set_by'>(column: C) =>
                eb.case().when(newer).then(eb.ref(`excluded.${column}`)).else(eb.ref(`presence.${column}`)).end();
              return {
                status: pick('status'),
                status_text: pick('status_text'),
                status_until: pick('status_until'),
                status_ts: pick('status_ts'),
                status_set_at: pick('status_set_at'),
                status_set_by: pick('status_set_by'),
                last_seen_at: laterSignOfLife(eb),
              };
            }),
          )
          .returning(['status', 'status_text', 'status_until', 'status_ts', 'status_set_at']),
      runPrepared,
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
                eb.case().when(newer).then(eb.ref(`excluded.${column}`)).else(eb.ref(`presence.${column}`)).end();
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
        .values({ chatbot_id: v.chatbot_id, agent_id: v.agent_id, online: sql.lit(1), client_ts: sql.lit(0), updated_at: v.at, last_seen_at: v.at, last_active_at: v.at })
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => ({
            last_active_at: eb
              .case()
              .when(eb.or([eb('presence.last_active_at', 'is', null), eb(eb.ref('excluded.last_active_at'), '>', eb.ref('presence.last_active_at'))]))
              .then(eb.ref('excluded.last_active_at'))
              .else(eb.ref('presence.last_active_at'))
              .end(),
            last_seen_at: laterSignOfLife(eb),
          })),
        ),
    ),
    member: prepareQuery<MemberPresenceRow, ChatbotAgent>(db, ['chatbot_id', 'agent_id'], (v) => membersQuery(db, v.chatbot_id, v.agent_id), runPrepared),
    members: prepareQuery<MemberPresenceRow, { chatbot_id: string }>(db, ['chatbot_id'], (v) => membersQuery(db, v.chatbot_id), runPrepared),
    // The claim: one conditional write per agent, so a change is news exactly once whoever
    // notices it first; for many agents at once (a burst), the agents whose claim was news.
    claimAnnouncedRows: prepareRows<{ agent_id: string }, ClaimValues>(db, ['chatbot_id', 'agent_id', 'online', 'connected', 'entry', 'visible', 'since'], (rows) =>
      db.insertInto('presence_announced').values(rows).onConflict(claimConflict).returning('agent_id'),
    ),
    deleteAnnounced: prepareQuery<{ agent_id: string }, ChatbotAgent>(db, ['chatbot_id', 'agent_id'], (v) =>
      db.deleteFrom('presence_announced').where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id).returning('agent_id'),
    ),
    nextVersion: prepareQuery<{ presence_version: number }, { id: string }>(db, ['id'], (v) =>
      db.updateTable('chatbots').set({ presence_version: sql`presence_version + 1` }).where('id', '=', v.id).returning('presence_version'),
    ),
    setVersion: prepareQuery<never, { id: string; version: number }>(db, ['id', 'version'], (v) =>
      db.updateTable('chatbots').set({ presence_version: v.version }).where('id', '=', v.id),
    ),
    logEventRows: prepareRows<never, { chatbot_id: string; version: number; data: string; created_at: number }>(db, ['chatbot_id', 'version', 'data', 'created_at'], (rows) =>
      db.insertInto('presence_events').values(rows),
    ),
    formerMembers: prepareQuery<{ agent_id: string }, { chatbot_id: string }>(db, ['chatbot_id'], (v) =>
      db
        .selectFrom('presence_announced as pa')
        .leftJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'pa.chatbot_id').onRef('m.agent_id', '=', 'pa.agent_id'))
        .select('pa.agent_id')
        .where('pa.chatbot_id', '=', v.chatbot_id)
        .where('m.agent_id', 'is', null),
    ),
    holdStream: prepareQuery<never, ChatbotAgent & { instance_id: string; opened_at: number }>(db, ['chatbot_id', 'agent_id', 'instance_id', 'opened_at'], (v) =>
      db.insertInto('stream_holders').values(v).onConflict((oc) => oc.doNothing()),
    ),
    streamSeen: prepareQuery<never, ChatbotAgent & { seen_at: number; grace_until: number | null }>(db, ['chatbot_id', 'agent_id', 'seen_at', 'grace_until'], (v) =>
      db
        .insertInto('stream_liveness')
        .values(v)
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => ({ seen_at: eb.ref('excluded.seen_at'), grace_until: eb.ref('excluded.grace_until') }))),
    ),
    releaseStream: prepareQuery<never, ChatbotAgent & { instance_id: string }>(db, ['chatbot_id', 'agent_id', 'instance_id'], (v) =>
      db.deleteFrom('stream_holders').where('chatbot_id', '=', v.chatbot_id).where('agent_id', '=', v.agent_id).where('instance_id', '=', v.instance_id),
    ),
    // PostgreSQL: the chatbot's transaction advisory lock, held until the unit of work commits.
    chatbotLock: prepareQuery<unknown, { chatbot_id: string }>(db, ['chatbot_id'], (v) =>
      db.selectNoFrom(sql<unknown>`pg_advisory_xact_lock(${sql.lit(CHATBOT_LOCK_SPACE)}, hashtext(${v.chatbot_id}))`.as('locked')),
    ),
  };

  /** Sets the grace of the given agents to at least `graceUntil` (a later one stands). */
  const extendGrace = async (x: Executor, rows: ReadonlyArray<ChatbotAgent>, graceUntil: number) => {
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

  /**
   * A change of state goes to the chatbot's webhooks through the outbox, in the unit of work
   * that announces it. Debounced webhooks keep one waiting message per agent, the newest.
   */
  const enqueueWebhooks = async (run: Run, hooks: readonly WebhookTarget[], item: Announcement, change: HistoryEntry, at: number): Promise<void> => {
    if (hooks.length === 0) return;
    const stateKey = JSON.stringify([change.state, change.reason, change.statusText]);
    const payload = `{"type":"agent.availability.changed","timestamp":"${new Date(at).toISOString()}","data":{"chatbotId":${JSON.stringify(item.chatbotId)},"agent":${item.entry}}}`;
    for (const hook of hooks) {
      const debounce = Number(hook.debounce_seconds) * 1000;
      if (debounce > 0) {
        const replaced = await run(webhooks.replacePending, { webhook_id: hook.id, agent_id: item.agentId, state_key: stateKey, payload, next_attempt_at: at + debounce });
        if (replaced.length > 0) continue;
      }
      await run(webhooks.enqueue, {
        id: orderedId('msg', at),
        webhook_id: hook.id,
        agent_id: item.agentId,
        state_key: stateKey,
        payload,
        next_attempt_at: at + debounce,
        created_at: at,
        expires_at: at + WEBHOOK_TTL_MILLIS,
      });
    }
  };

  /** The operations of a locked unit of work on one chatbot, over `run`. */
  function locked(chatbotId: string, run: Run): LockedPresence {
    // Read once per unit of work, however many agents it announces (a burst announces many).
    let hooks: readonly WebhookTarget[] | undefined;
    // Versions: the unit's first announcement takes the next one from the chatbot's row (and
    // holds the row's lock until commit); the others count on from it, and finish() stores the
    // last. A burst of announcements costs one update of the chatbot's row, not one each.
    let lastVersion: number | null = null;
    let unstored = false;
    let queued = 0;
    return {
      run,
      async members(agentIds) {
        if (agentIds?.length === 1) return run(q.member, { chatbot_id: chatbotId, agent_id: agentIds[0]! });
        const rows = await run(q.members, { chatbot_id: chatbotId });
        if (!agentIds) return rows;
        const wanted = new Set(agentIds);
        return rows.filter((row) => wanted.has(row.agent_id));
      },
      async announce(items, at) {
        // Every statement covers the whole list (see prepareRows): a burst of a hundred changes
        // in one chatbot costs a few statements per table, not one per change and table.
        const claimed = new Set<string>();
        const additions = items.filter((item) => !item.removed);
        for (const row of await run(q.claimAnnouncedRows, additions.map(claimValues))) claimed.add(row.agent_id);
        for (const item of items) {
          if (item.removed && (await run(q.deleteAnnounced, { chatbot_id: item.chatbotId, agent_id: item.agentId })).length > 0) claimed.add(item.agentId);
        }
        const news = items.filter((item) => claimed.has(item.agentId));
        if (news.length === 0) return items.map(() => null);
        // History in the same unit of work as the announcement: a change is kept exactly when it is announced.
        const ending = news.filter((item) => item.removed || item.history);
        await run(history.closeRows, ending.map((item) => ({ chatbot_id: item.chatbotId, agent_id: item.agentId, to_at: item.history?.from ?? at })));
        const changed = news.filter((item) => item.history !== null && !item.removed);
        for (const item of changed) await run(history.open, openingOf(item.chatbotId, item.agentId, item.history!));
        if (changed.length > 0) {
          hooks ??= await run(webhooks.ofChatbot, { chatbot_id: chatbotId });
          for (const item of changed) await enqueueWebhooks(run, hooks, item, item.history!, at);
          queued += changed.length * hooks.length;
        }
        // Versions in the order of the list: the unit's first takes the chatbot's next one.
        if (lastVersion === null) {
          const [row] = await run(q.nextVersion, { id: chatbotId });
          lastVersion = Number(row!.presence_version) - 1;
        } else unstored = true;
        const versions = new Map<string, number>();
        for (const item of news) {
          lastVersion++;
          versions.set(item.agentId, lastVersion);
        }
        if (news.length > 1) unstored = true;
        await run(q.logEventRows, news.map((item) => ({ chatbot_id: chatbotId, version: versions.get(item.agentId)!, data: item.entry, created_at: at })));
        return items.map((item) => versions.get(item.agentId) ?? null);
      },
      async finish() {
        if (!unstored) return;
        await run(q.setVersion, { id: chatbotId, version: lastVersion! });
        unstored = false;
      },
      webhooksQueued: () => queued,
      async formerMembers(agentIds) {
        const rows = (await run(q.formerMembers, { chatbot_id: chatbotId })).map((row) => row.agent_id);
        if (!agentIds) return rows;
        const wanted = new Set(agentIds);
        return rows.filter((agentId) => wanted.has(agentId));
      },
    };
  }

  return {
    queries: q,

    /** Members of the chatbot (all, or the given agents), outside any lock: the list's read. */
    listMembers: (chatbotId: string, agentIds?: readonly string[]): Promise<MemberPresenceRow[]> => locked(chatbotId, (query, values) => query(values)).members(agentIds),

    /** One member's row as listMembers reads it (the status update's hot path on PostgreSQL). */
    memberState: async (chatbotId: string, agentId: string): Promise<MemberPresenceRow | undefined> => (await q.member({ chatbot_id: chatbotId, agent_id: agentId }))[0],

    /**
     * Runs `work` under the chatbot's presence lock, so announcements of one chatbot are decided
     * one at a time across every instance, in a section (see OpenDatabase.section): on SQLite the
     * one connection, statements synchronous; on PostgreSQL a transaction holding an advisory
     * lock, statements named and prepared. Inside, use only what `work` is given.
     */
    inChatbotLock: <T>(chatbotId: string, work: (presence: LockedPresence) => Promise<T>): Promise<T> =>
      section(async (raw) => {
        const run: Run = (query, values) => query.in(raw, values);
        if (dialect === 'postgres') await run(q.chatbotLock, { chatbot_id: chatbotId });
        const presence = locked(chatbotId, run);
        const result = await work(presence);
        await presence.finish();
        return result;
      }),

    /**
     * A unit of work on SQLite, with statements run synchronously (several chatbots may be
     * touched: a batch of status updates). Null on PostgreSQL, where a status update commits on
     * its own and takes the chatbot's lock only when it changed something visible.
     */
    batch: dialect === 'sqlite' ? <T>(work: (run: Run) => Promise<T>): Promise<T> => section((raw) => work((query, values) => query.in(raw, values))) : null,

    /** The locked operations of one chatbot inside a section. */
    locked,

    /** Sets the agent's chosen status unless a newer one stands; the chosen status as it stands afterwards. */
    applyChosenStatus: async (run: Run, values: Parameters<typeof q.upsertChosenStatus>[0]) => {
      const [standing] = await run(q.upsertChosenStatus, values);
      if (!standing) throw new Error('chosen status upsert returned no row');
      return standing;
    },

    /** Sets a member's own working hours (JSON, or null for the chatbot's default). */
    setWorkingHours: async (run: Run, chatbotId: string, agentId: string, workingHours: string | null) => {
      await run(q.setMemberWorkingHours, { chatbot_id: chatbotId, agent_id: agentId, working_hours: workingHours });
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
      await run(q.upsertOnlineBy, values);
    },

    /** Applies a capacity report unless a newer one stands; the capacity as it stands afterwards. */
    applyCapacity: async (run: Run, values: Parameters<typeof q.upsertCapacity>[0]) => {
      const [standing] = await run(q.upsertCapacity, values);
      if (!standing) throw new Error('capacity upsert returned no row');
      return standing;
    },

    /** Records activity reported by a client of the agent at `at` (also a sign of life). */
    recordActivity: async (run: Run, chatbotId: string, agentId: string, at: number) => {
      await run(q.recordActivity, { chatbot_id: chatbotId, agent_id: agentId, at });
    },

    /** This instance now holds an open stream of the agent. */
    holdStream: async (run: Run, chatbotId: string, agentId: string, instanceId: string, at: number) => {
      await run(q.holdStream, { chatbot_id: chatbotId, agent_id: agentId, instance_id: instanceId, opened_at: at });
      await run(q.streamSeen, { chatbot_id: chatbotId, agent_id: agentId, seen_at: at, grace_until: null });
    },

    /** This instance's last stream of the agent closed: the grace period starts. */
    releaseStream: async (run: Run, chatbotId: string, agentId: string, instanceId: string, at: number, graceUntil: number) => {
      await run(q.releaseStream, { chatbot_id: chatbotId, agent_id: agentId, instance_id: instanceId });
      await run(q.streamSeen, { chatbot_id: chatbotId, agent_id: agentId, seen_at: at, grace_until: graceUntil });
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

    /**
     * Chatbots where some agent's entry can change by the clock alone, so their deadlines must
     * be watched: someone announced online or connected (liveness and idle time run out), a
     * chosen status with an `until` still ahead, or working hours (an opening or a closing),
     * the member's own or the chatbot's default.
     */
    chatbotsWithDeadlines: async (at: number): Promise<string[]> => {
      const announced = db.selectFrom('presence_announced').select('chatbot_id').where((eb) => eb.or([eb('online', '=', 1), eb('connected', '=', 1)]));
      const lapsing = db.selectFrom('presence').select('chatbot_id').where('status_until', '>', at);
      const scheduled = db.selectFrom('memberships').select('chatbot_id').where('working_hours', 'is not', null);
      const defaults = db.selectFrom('chatbots').select('id as chatbot_id').where('working_hours', 'is not', null);
      const rows = await announced.union(lapsing).union(scheduled).union(defaults).execute();
      return rows.map((row) => row.chatbot_id);
    },

    /**
     * Last writer wins, settled by the database in one statement: the status changes only when
     * the incoming clientTimestamp is at least the stored one (ties go to the later arrival),
     * while the sign of life is recorded either way. Returns the row as it stands afterwards.
     * `run` makes it part of a unit of work; without it, the statement commits on its own.
     */
    applyStatusUpdate: async (update: StatusUpdate, run?: Run) => {
      const [standing] = run ? await run(q.upsertStatus, update) : await q.upsertStatus(update);
      if (!standing) throw new Error('status upsert returned no row');
      changes.chatbotChanged(update.chatbot_id);
      return standing;
    },

    dialect,
  };
}

export type PresenceStore = ReturnType<typeof presenceStore>;
