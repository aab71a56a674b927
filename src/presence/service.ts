import type { ChangeRecorder } from '../availability/changes.js';
import type { ChangeTracker } from '../db/changes.js';
import type { OpenDatabase } from '../db/database.js';
import type { Run } from '../db/prepared.js';
import { isoTime } from '../http-schemas.js';
import { ActivityThrottle } from './activity.js';
import { announcementStore } from './announcement-store.js';
import { assertNotTooFarAhead, parseClientTimestamp } from './client-timestamp.js';
import { listedEntry } from './entry.js';
import type { EventLog, LoggedEvent } from './event-store.js';
import { deviceStore } from './device-store.js';
import { chosenStatusUntil } from './inputs.js';
import { instanceLease, leaseStore, type HeldStream } from './lease-store.js';
import { listAnswers } from './list-answers.js';
import type { LivenessSettings } from './liveness.js';
import { memberReads, type MemberPresenceRow } from './member-store.js';
import type { ChosenStatusBody, ChosenStatusResult, SetOnlineResult } from './schemas.js';
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
 * Presence: an agent's own status updates, its chosen status and activity, its streams, and
 * what every change announces. Each write goes through the unit of work (unit-of-work.ts), which
 * judges the agents it touched with the rules (the availability rule over each agent's stored
 * inputs, liveness per device) and announces what changed, once across instances; the list
 * answers (list-answers.ts) derive the same entries for reads, and the leases (leases.ts) keep
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
  const announcements = announcementStore(database.db);
  const activity = new ActivityThrottle();
  const announcedListeners: Array<(chatbotId: string, events: readonly LoggedEvent[]) => void> = [];
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
  function keptActivity(chatbotId: string, agentIds: readonly string[] | undefined): (((run: Run) => Promise<void>) & { agentIds: string[] }) | undefined {
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
  async function reconcile(chatbotId: string, agentIds?: readonly string[], write?: Work['write'], options: { together?: boolean } = {}): Promise<void> {
    const kept = keptActivity(chatbotId, agentIds);
    await units.submit({
      chatbotId,
      agentIds,
      together: options.together,
      write:
        kept && write
          ? async (run, round, say) => {
              await kept(run);
              const changed = await write(run, round, say);
              // A narrowed judgement includes the agents whose kept activity was just written.
              return Array.isArray(changed) ? [...new Set([...changed, ...kept.agentIds])] : changed;
            }
          : (kept ?? write),
    });
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
      }));
    },
    /** Whether no unit of work waits or runs. */
    idle: units.idle,
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

    /**
     * Applies an agent's own status update under last writer wins by clientTimestamp. A stale
     * update is not an error: it still counts as a sign of life of its device (the key) and
     * reports applied = false.
     */
    async setOwnStatus(chatbotId: string, agentId: string, keyId: string, body: { online: boolean; clientTimestamp: string | number }): Promise<SetOnlineResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, settings.maxClockAheadSeconds);
      const status = {
        chatbot_id: chatbotId,
        agent_id: agentId,
        online: body.online ? 1 : 0,
        client_ts: clientTs,
        updated_at: at,
        last_seen_at: at,
        online_changed_at: body.online ? at : null,
      };
      const kept = keptActivity(chatbotId, [agentId]);
      const standing = (await units.submit({ chatbotId, agentIds: [agentId], status, post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at }, write: kept }))!;
      // The write keeps the stored row unless ours is at least as new, so ours stands exactly
      // when the returned timestamp is ours (a newer one would be strictly greater).
      return {
        agentId,
        online: Number(standing.online) === 1,
        clientTimestamp: String(standing.client_ts),
        updatedAt: new Date(Number(standing.updated_at)).toISOString(),
        applied: Number(standing.client_ts) === clientTs,
      };
    },

    /**
     * Sets the agent's chosen status (available, away, busy, dnd) under last writer wins by its
     * own clientTimestamp, apart from the online flag; `until` makes it lapse by itself. A sign
     * of life of the device that sent it. Answers with the state the rule derives afterwards.
     */
    async setChosenStatus(chatbotId: string, agentId: string, keyId: string, body: ChosenStatusBody): Promise<ChosenStatusResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, settings.maxClockAheadSeconds);
      const until = chosenStatusUntil(body.until, at);
      const kept = keptActivity(chatbotId, [agentId]);
      let standing: Awaited<ReturnType<typeof store.applyChosenStatus>> | undefined;
      await units.submit({
        chatbotId,
        agentIds: [agentId],
        post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at },
        write: async (run) => {
          await kept?.(run);
          standing = await store.applyChosenStatus(run, {
            chatbot_id: chatbotId,
            agent_id: agentId,
            status: body.status,
            status_text: body.text?.trim() || null,
            status_until: until,
            status_ts: clientTs,
            status_set_at: at,
            status_set_by: null,
            last_seen_at: at,
          });
        },
      });
      const row = await memberRow(chatbotId, agentId);
      const derived = row ? listedEntry(row, now(), liveness).entry : null;
      return {
        agentId,
        status: standing!.status as ChosenStatusBody['status'],
        text: standing!.status_text ?? null,
        until: isoTime(standing!.status_until ?? null),
        clientTimestamp: String(standing!.status_ts),
        applied: Number(standing!.status_ts) === clientTs,
        state: derived?.state ?? 'offline',
        reason: derived?.reason ?? 'no_sign_of_life',
      };
    },

    /**
     * A client of the agent (a key) reports that the person is active: a sign of life of that
     * device. Cheap by design: written at most once per ACTIVITY_WRITE_MILLIS per agent here,
     * and announced only when it changes what clients see (an idle agent becoming available).
     */
    async reportActivity(chatbotId: string, agentId: string, keyId: string): Promise<{ agentId: string; lastActiveAt: string }> {
      const at = now();
      if (activity.report(chatbotId, agentId, keyId, at)) {
        await units.submit({
          chatbotId,
          agentIds: [agentId],
          post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at },
          write: (run) => store.recordActivity(run, chatbotId, agentId, at),
        });
      }
      return { agentId, lastActiveAt: new Date(at).toISOString() };
    },

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
