import type { ChangeRecorder } from '../availability/changes.js';
import type { ChangeTracker } from '../db/changes.js';
import type { OpenDatabase } from '../db/database.js';
import type { Run } from '../db/prepared.js';
import { SET_BY_MISSED_OFFER } from '../availability/rule.js';
import { ActivityThrottle } from './activity.js';
import { announcementStore } from './announcement-store.js';
import { listedEntry } from './entry.js';
import type { EventLog, LoggedEvent } from './event-store.js';
import { deviceStore } from './device-store.js';
import { instanceLease, leaseStore, type HeldStream } from './lease-store.js';
import { listAnswers } from './list-answers.js';
import type { LivenessSettings } from './liveness.js';
import { memberReads, type MemberPresenceRow } from './member-store.js';
import { type KeptActivityWrite, ownWrites } from './own-writes.js';
import { presenceStore } from './store.js';
import type { StreamRegistry } from './streams.js';
import { unitOfWork, type Outcome, type Work } from './unit-of-work.js';

export interface PresenceSettings {
  /** Seconds without a sign of life after which a device is dead; 0 = never. */
  presenceTtlSeconds: number;
  /** Seconds a device stays alive after its last stream closed (a page reload fits in it). */
  presenceGraceSeconds: number;
  /** Events kept per chatbot for resuming streams. */
  presenceEventsKept: number;
  maxClockAheadSeconds: number;
  /** Seconds an instance's lease lasts without renewal; past it, survivors release its streams. */
  instanceLeaseSeconds: number;
}

/** Devices dead for this long past their TTL and grace are forgotten (see pruneDevices). */
const DEVICE_KEEP_MILLIS = 24 * 3600_000;

/**
 * Presence: an agent's own writes (own-writes.ts), its streams, and what every change
 * announces. Each write goes through the unit of work (unit-of-work.ts), which judges the
 * agents it touched with the rules (the availability rule over each agent's stored inputs,
 * liveness per device) and announces what changed, once across instances; the list answers
 * (list-answers.ts) derive the same entries for reads, and the leases (lease-store.ts) keep
 * streams held by instances that die from keeping agents alive.
 */
export function presenceService(
  database: Pick<OpenDatabase, 'db' | 'dialect' | 'section' | 'runPrepared'>,
  events: EventLog,
  recorders: readonly ChangeRecorder[],
  streams: StreamRegistry,
  changes: ChangeTracker,
  settings: PresenceSettings,
  now: () => number,
  { instanceId }: { instanceId: string },
) {
  const liveness: LivenessSettings = { ttlMillis: settings.presenceTtlSeconds * 1000, graceMillis: settings.presenceGraceSeconds * 1000 };
  const store = presenceStore(database.db);
  const devices = deviceStore(database.db);
  const members = memberReads(database.db, database.runPrepared);
  const announcements = announcementStore(database.db, database.dialect);
  const activity = new ActivityThrottle();
  const announcedListeners: Array<(chatbotId: string, events: readonly LoggedEvent[]) => void> = [];
  const alsoBusy: Array<() => boolean> = [];
  const deadlineListeners: Array<(chatbotId: string, agentId: string, at: number | null) => void> = [];

  /** After a unit of work committed: caches, deadlines, the streams here and the other instances learn of it. */
  function published({ chatbotId, wrote, decided, removed, logged }: Outcome): void {
    if (wrote || logged.length > 0) changes.chatbotChanged(chatbotId);
    for (const { agentId, nextChangeAt } of decided) for (const listener of deadlineListeners) listener(chatbotId, agentId, nextChangeAt);
    for (const agentId of removed) for (const listener of deadlineListeners) listener(chatbotId, agentId, null);
    if (logged.length === 0) return;
    changes.signal(`events:${chatbotId}`);
    for (const listener of announcedListeners) listener(chatbotId, logged);
  }

  const units = unitOfWork(database, { presence: store, devices, members, announcements }, [events.recorder, ...recorders], liveness, now, published);

  /** Writes of activity reports kept in memory for the agents (all when omitted), with their devices' posts. */
  function keptActivity(chatbotId: string, agentIds: readonly string[] | undefined): KeptActivityWrite | undefined {
    const kept = activity.take(chatbotId, agentIds);
    if (kept.length === 0) return undefined;
    const write = async (run: Run) => {
      for (const { agentId, at, keys } of kept) {
        await store.recordActivity(run, chatbotId, agentId, at);
        await devices.postSignsOfLife(
          run,
          [...keys].map(([key_id, posted]) => ({ chatbot_id: chatbotId, agent_id: agentId, key_id, at: posted })),
        );
      }
    };
    return Object.assign(write, { agentIds: kept.map((report) => report.agentId) });
  }

  /**
   * Makes `write` (if any) and announces what changed for the agents (all, and former members'
   * removals, when omitted), in one unit of work (`together`: see Work.together). Activity kept in memory for them is written
   * first, so they are never judged by a stale time.
   */
  async function reconcile<T = never>(
    chatbotId: string,
    agentIds?: readonly string[],
    write?: Work<T>['write'],
    options: Pick<Work<T>, 'together' | 'readFirst'> = {},
  ): Promise<T | undefined> {
    const kept = keptActivity(chatbotId, agentIds);
    const done = await units.submit<T>({
      chatbotId,
      agentIds,
      together: options.together,
      readFirst: options.readFirst,
      write:
        kept && write
          ? async (run, round, say) => {
              await kept(run);
              const written = await write(run, round, say);
              // A narrowed judgement includes the agents whose kept activity was just written.
              return written?.changed ? { ...written, changed: [...new Set([...written.changed, ...kept.agentIds])] } : written;
            }
          : (kept ?? write),
    });
    return done.answer;
  }

  const lists = listAnswers({
    members,
    changes,
    liveness,
    now,
    // An agent listed idle, or without a sign of life, while a report of it waits here: write it first.
    staleAgents: (chatbotId, rows, at) =>
      rows
        .filter((row) => activity.isKept(chatbotId, row.agent_id) && ['idle', 'no_sign_of_life'].includes(listedEntry(row, at, liveness).entry.reason))
        .map((row) => row.agent_id),
    reconcile,
  });

  /** One member as the rules read it (undefined: not a member). */
  const memberRow = async (chatbotId: string, agentId: string): Promise<MemberPresenceRow | undefined> => (await members.named(members.direct, [{ chatbotId, agentId }]))[0];

  const own = ownWrites({ submit: units.submit, keptActivity, activity, store, memberRow, liveness, maxClockAheadSeconds: settings.maxClockAheadSeconds, now });

  const lease = instanceLease(
    leaseStore(database.db),
    {
      async reconcileReleased(released: readonly HeldStream[]) {
        const byChatbot = new Map<string, Set<string>>();
        for (const row of released) byChatbot.set(row.chatbot_id, (byChatbot.get(row.chatbot_id) ?? new Set()).add(row.agent_id));
        for (const [chatbotId, agentIds] of byChatbot) await reconcile(chatbotId, [...agentIds]);
      },
      watchAllDeadlines,
      async holdOpenStreamsAgain(at: number) {
        for (const { chatbotId, agentId, keyId } of streams.streamingDevices()) {
          await reconcile(chatbotId, [agentId], (run) => devices.holdStream(run, { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId }, instanceId, at));
        }
      },
    },
    { instanceId, leaseMillis: settings.instanceLeaseSeconds * 1000 },
    now,
  );

  /** Judges every chatbot with a change pending by the clock alone: their deadlines are watched here from now on. */
  async function watchAllDeadlines(): Promise<void> {
    for (const chatbotId of await announcements.chatbotsWithDeadlines()) await reconcile(chatbotId);
  }

  return {
    reconcile,
    /**
     * Inside a unit of work (reconcile's write): every member's entry as the rule gives it now,
     * read under the chatbot's lock (an assignment chooses from these, so no other unit moves a
     * load in between).
     */
    entriesIn: async (run: Run, chatbotId: string) => {
      const at = now();
      return (await members.ofChatbot(run, chatbotId)).map((row) => ({
        entry: listedEntry(row, at, liveness).entry,
        /** The chats an integration reported, and the open assignments: what activeChats combines. */
        reported: row.active_chats === null ? null : Number(row.active_chats),
        assigned: Number(row.assigned_chats ?? 0),
        /** Whether the chatbot has chats waiting (the same for every member). */
        waiting: Boolean(row.chatbot_waiting),
      }));
    },
    /** Whether no unit of work waits or runs, nor other work of presence (see busyWhile). */
    idle: () => units.idle() && !alsoBusy.some((busy) => busy()),
    /**
     * Counts other work as presence's own: in a running service, deadlines that fell due and wait
     * for their units (live.ts). What gives way to presence (the "New chat" tells) waits for it too.
     */
    busyWhile(busy: () => boolean): void {
      alsoBusy.push(busy);
    },
    /**
     * Inside a unit of work: sets members away because they missed offers (reason missed_offer),
     * ordered with their own updates by the server clock, as a supervisor's choice is: the
     * agent's next own choice of status ends it. The unit judges them (its changed agents).
     */
    async awayForMissedOffers(run: Run, chatbotId: string, agentIds: readonly string[], at: number): Promise<void> {
      for (const agentId of agentIds) {
        await store.applyChosenStatus(run, {
          chatbot_id: chatbotId,
          agent_id: agentId,
          status: 'away',
          status_text: null,
          status_until: null,
          status_ts: at,
          status_set_at: at,
          status_set_by: SET_BY_MISSED_OFFER,
          // No sign of the agent's life: the later of this and the stored one is kept.
          last_seen_at: 0,
        });
      }
    },
    /** What drains a chatbot's waiting queue in the unit where a member became available (assignments/). */
    drainWith: units.drainWith,
    lists,
    memberRow,
    watchAllDeadlines,
    /** This instance's lease: start (take it, release the dead's streams, watch deadlines), renew, release at shutdown. */
    lease,

    /** Called with the chatbot and the events a unit of work logged, once committed (the stream hub delivers them). */
    onAnnounced(listener: (chatbotId: string, events: readonly LoggedEvent[]) => void): void {
      announcedListeners.push(listener);
    },

    /** Called with the moment an agent's listed state must be re-checked (null: never). */
    onDeadline(listener: (chatbotId: string, agentId: string, at: number | null) => void): void {
      deadlineListeners.push(listener);
    },

    ...own,

    /** A stream opened; a device's first (on this instance) holds it here, which keeps its agent alive. */
    async streamOpened(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.open(keyId, chatbotId, agentId) || agentId === null) return;
      const at = now();
      await reconcile(chatbotId, [agentId], (run) => devices.holdStream(run, { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId }, instanceId, at));
    },

    /** A stream closed; after the device's last one here, this instance no longer holds it, and its grace runs from now. */
    async streamClosed(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.close(keyId, chatbotId, agentId) || agentId === null) return;
      const at = now();
      await reconcile(chatbotId, [agentId], (run) => devices.releaseStream(run, { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId }, instanceId, at));
    },

    /** Forgets devices dead for a day past their TTL and grace (hourly): the rows judged stay few. */
    pruneDevices: () => {
      const before = now() - DEVICE_KEEP_MILLIS;
      return devices.pruneDevices({ postedBefore: liveness.ttlMillis === 0 ? 0 : before - liveness.ttlMillis, closedBefore: before - liveness.graceMillis });
    },

    /** On shutdown: every device streaming here gets its grace, persisted, to reconnect elsewhere; the others are told to watch it. */
    async releaseAllStreams(): Promise<void> {
      await lease.release();
      changes.signal('liveness');
    },

    /** The store of inputs, for the inputs others than the agent set (inputs.ts). */
    store,
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
