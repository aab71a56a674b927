import { sql, type Kysely } from 'kysely';
import { prepareQuery, prepareRows, type PreparedRunner, type Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { WorkingHours } from '../availability/working-hours.js';
import type { DeviceSignals } from './liveness.js';
import { agentKey } from './agent-key.js';

/** One member as the rules read it: every stored input of its entry, its devices, and what was last announced. */
export interface MemberPresenceRow {
  chatbot_id: string;
  agent_id: string;
  name: string;
  online: number | null;
  updated_at: number | null;
  /** The agent's newest posted sign of life, from any device. */
  last_seen_at: number | null;
  /** Last time a stream of the agent opened or closed. */
  stream_seen_at: number | null;
  /** The chosen status and its text and lapse (null: never chosen). */
  status: string | null;
  status_text: string | null;
  status_until: number | null;
  last_active_at: number | null;
  active_chats: number | null;
  max_chats: number | null;
  /** The member's open assignments on the chatbot (assignments/). */
  assigned_chats: number;
  /** Whether the chatbot has chats waiting in its queue (assignments/): a unit drains it when an agent becomes available. SQLite 0/1, PostgreSQL a boolean. */
  chatbot_waiting: number | boolean;
  /** Who set the chosen status, and the online flag, when not the agent itself. */
  status_set_by: string | null;
  status_set_at: number | null;
  online_changed_at: number | null;
  /** The member's working hours (JSON), and the chatbot's default. */
  working_hours: string | null;
  chatbot_working_hours: string | null;
  /** The working hours in effect (the member's own, else the chatbot's), parsed; null: none. */
  schedule: WorkingHours | null;
  online_set_by: string | null;
  /** The chatbot's idle time, seconds. */
  idle_after_seconds: number;
  /** What was last announced on the stream (null: nothing yet). */
  announced_online: number | null;
  announced_connected: number | null;
  announced_devices: number | null;
  /** The state, reason, text and lapse last announced (see listedEntry's visible), and since when they hold. */
  announced_visible: string | null;
  announced_since: number | null;
  /** The next change stored with the announcement (see PresenceAnnouncedTable). */
  announced_next_change_at: number | null;
  /** The history interval the announced state opened. */
  announced_history_id: string | null;
  /** The agent's devices on the chatbot (its keys that showed a sign of life). */
  devices: DeviceSignals[];
}

/** A row as read: the member's columns, and one device's (null without any) with one instance holding a stream of it (null: none), one row per device and holder. */
type ReadRow = Omit<MemberPresenceRow, 'devices'> & { device_key: string | null; device_posted_at: number | null; device_closed_at: number | null; device_holder: string | null };

const numberOrNull = (value: number | null) => (value === null ? null : Number(value));

/**
 * Rows read one per (member, device, holder) folded into one row per member with its devices
 * (each counting the instances holding a stream of it), members in the order first read (by
 * name, for a chatbot's). Grouped by key rather than by adjacency, since a plan PostgreSQL may
 * pick (joins by hashing) returns a member's rows apart. A member's first row becomes its row
 * (the device columns stay on it, unread), without a copy, since a burst folds ten thousand.
 */
function byMember(rows: readonly ReadRow[], scheduleOf: (json: string | null) => WorkingHours | null): MemberPresenceRow[] {
  const members: MemberPresenceRow[] = [];
  const seen = new Map<string, { member: MemberPresenceRow; devices: Map<string, DeviceSignals> }>();
  for (const row of rows) {
    const key = agentKey(row.chatbot_id, row.agent_id);
    let found = seen.get(key);
    if (!found) {
      const member = row as unknown as MemberPresenceRow;
      member.devices = [];
      member.schedule = scheduleOf(row.working_hours ?? row.chatbot_working_hours);
      seen.set(key, (found = { member, devices: new Map() }));
      members.push(member);
    }
    if (row.device_key === null) continue;
    let device = found.devices.get(row.device_key);
    if (!device) {
      device = { keyId: row.device_key, postedAt: numberOrNull(row.device_posted_at), closedAt: numberOrNull(row.device_closed_at), streams: 0 };
      found.devices.set(row.device_key, device);
      found.member.devices.push(device);
    }
    if (row.device_holder !== null) device.streams++;
  }
  return members;
}

/** Members with presence, devices and what was last announced, one row per device and holder, from `members` (memberships as m, or a list joined to them). */
function membersQuery(db: Kysely<Database>, from = db.selectFrom('memberships as m')) {
  return from
    .innerJoin('agents as a', 'a.id', 'm.agent_id')
    .innerJoin('chatbots as c', 'c.id', 'm.chatbot_id')
    .leftJoin('presence as p', (join) => join.onRef('p.chatbot_id', '=', 'm.chatbot_id').onRef('p.agent_id', '=', 'm.agent_id'))
    .leftJoin('stream_liveness as s', (join) => join.onRef('s.chatbot_id', '=', 'm.chatbot_id').onRef('s.agent_id', '=', 'm.agent_id'))
    .leftJoin('agent_capacity as cap', (join) => join.onRef('cap.chatbot_id', '=', 'm.chatbot_id').onRef('cap.agent_id', '=', 'm.agent_id'))
    .leftJoin('presence_announced as pa', (join) => join.onRef('pa.chatbot_id', '=', 'm.chatbot_id').onRef('pa.agent_id', '=', 'm.agent_id'))
    .leftJoin('device_liveness as d', (join) => join.onRef('d.chatbot_id', '=', 'm.chatbot_id').onRef('d.agent_id', '=', 'm.agent_id'))
    .leftJoin('stream_holders as h', (join) => join.onRef('h.chatbot_id', '=', 'd.chatbot_id').onRef('h.agent_id', '=', 'd.agent_id').onRef('h.key_id', '=', 'd.key_id'))
    .select([
      'm.chatbot_id',
      'a.id as agent_id',
      'a.name',
      'p.online',
      'p.updated_at',
      'p.last_seen_at',
      's.seen_at as stream_seen_at',
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
      (eb) =>
        eb
          .selectFrom('assignments as x')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('x.chatbot_id', '=', 'm.chatbot_id')
          .whereRef('x.agent_id', '=', 'm.agent_id')
          .as('assigned_chats'),
      (eb) => eb.exists(eb.selectFrom('waiting_chats as wq').select('wq.priority').whereRef('wq.chatbot_id', '=', 'm.chatbot_id')).as('chatbot_waiting'),
      'c.idle_after_seconds',
      'pa.online as announced_online',
      'pa.connected as announced_connected',
      'pa.devices as announced_devices',
      'pa.visible as announced_visible',
      'pa.since as announced_since',
      'pa.next_change_at as announced_next_change_at',
      'pa.history_id as announced_history_id',
      'd.key_id as device_key',
      'd.posted_at as device_posted_at',
      'd.closed_at as device_closed_at',
      'h.instance_id as device_holder',
    ]);
}

/**
 * The reads of members as the rules judge them, prepared once: every member of a chatbot, or
 * the members named by a list of (chatbot, agent), of any chatbots, in one statement (a unit of
 * work judging a batch across chatbots reads them together).
 */
export function memberReads(db: Kysely<Database>, runPrepared?: PreparedRunner) {
  // Parsed schedules by their stored JSON: the same few schedules are read for every member.
  const schedules = new Map<string, WorkingHours>();
  const scheduleOf = (json: string | null): WorkingHours | null => {
    if (json === null) return null;
    let schedule = schedules.get(json);
    if (!schedule) {
      if (schedules.size >= 10_000) schedules.clear();
      schedule = JSON.parse(json) as WorkingHours;
      schedules.set(json, schedule);
    }
    return schedule;
  };
  const ofChatbot = prepareQuery<ReadRow, { chatbot_id: string }>(
    db,
    ['chatbot_id'],
    (v) =>
      membersQuery(db).where('m.chatbot_id', '=', v.chatbot_id).orderBy(sql`lower(a.name)`).orderBy('a.name').orderBy('a.id').orderBy('d.key_id').orderBy('h.instance_id') as never,
    runPrepared,
  );
  // The list joined to the memberships (in no order: byMember groups the rows).
  const named = prepareRows<ReadRow, { chatbot_id: string; agent_id: string }>(db, { chatbot_id: 'text', agent_id: 'text' }, (rows) => {
    const from = db.selectFrom(rows.as('w')).innerJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'w.chatbot_id').onRef('m.agent_id', '=', 'w.agent_id'));
    return membersQuery(db, from as never) as never;
  });
  return {
    /** Every member of the chatbot, by name then id. */
    ofChatbot: async (run: Run, chatbotId: string): Promise<MemberPresenceRow[]> => byMember(await run(ofChatbot, { chatbot_id: chatbotId }), scheduleOf),
    /** The members among the (chatbot, agent) pairs (one not a member is left out). */
    named: async (run: Run, pairs: ReadonlyArray<{ chatbotId: string; agentId: string }>): Promise<MemberPresenceRow[]> => {
      // Each member once, however often named (a round names each agent once; a list may repeat one).
      const wanted = new Map(pairs.map((pair) => [agentKey(pair.chatbotId, pair.agentId), { chatbot_id: pair.chatbotId, agent_id: pair.agentId }]));
      return byMember(await run(named, [...wanted.values()]), scheduleOf);
    },
    /** Outside any unit of work: one statement on its own (PostgreSQL: a named prepared statement). */
    direct: ((query, values) => query(values)) as Run,
  };
}

export type MemberReads = ReturnType<typeof memberReads>;
