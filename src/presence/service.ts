import { hash } from 'node:crypto';
import { isoTime } from '../http-schemas.js';
import type { PresenceTable } from '../db/schema.js';
import { BoundedCache, type ChangeTracker } from '../db/changes.js';
import { assertNotTooFarAhead, parseClientTimestamp } from './client-timestamp.js';
import type { EventStore, LoggedEvent } from './event-store.js';
import { statusUntil } from '../availability/inputs.js';
import type { AvailabilityReason, AvailabilityState } from '../availability/rule.js';
import type { AgentPresence, AvailabilitySummary, ChosenStatusBody, ChosenStatusResult, OnlineList, SetOnlineResult } from './schemas.js';
import type { Announcement, LockedPresence, MemberPresenceRow, PresenceStore, Run, StatusUpdate } from './store.js';
import { announcedHintOf, announcedStateIs, listedEntry } from './entry.js';
import type { StreamRegistry } from './streams.js';

export interface PresenceSettings {
  /** Seconds without a heartbeat after which an agent is listed offline; 0 = never. */
  presenceTtlSeconds: number;
  /** Seconds an agent stays listed after its last stream closed (a page reload fits in it). */
  presenceGraceSeconds: number;
  /** Events kept per chatbot for resuming streams. */
  presenceEventsKept: number;
  maxClockAheadSeconds: number;
  /** Seconds an instance's lease lasts without renewal; past it, survivors release its streams. */
  instanceLeaseSeconds: number;
}

export interface PresenceOptions {
  /** This process's instance id (its lease, its stream holdings). */
  instanceId: string;
  /**
   * Whether other instances may write presence to the same database (PostgreSQL). Then a
   * status update compares itself with what was announced outside the chatbot's lock, and a
   * reconcile re-checks after announcing; on SQLite both happen inside one unit of work.
   */
  sharedDatabase: boolean;
}


interface CachedList {
  stamp: number;
  /** The first moment an agent listed online would expire; the entry is rebuilt then. */
  validUntil: number;
  /** The serialized list, already UTF-8: sending it costs no encoding per request. */
  body: Buffer;
  etag: string;
  /** The answer's headers, made once per list rather than per request. */
  headers: { ok: Record<string, string | number>; notModified: Record<string, string> };
  /** The availability summary of the same moment, answered the same way. */
  summary: ListAnswer;
  /** The entries themselves. */
  agents: AgentPresence[];
  /** Each agent's state and reason with liveness set aside (see listedEntry's intent). */
  intents: Map<string, { state: AvailabilityState; reason: AvailabilityReason }>;
}

/** The list (or the summary) as answered: its bytes, its ETag, and the headers of a 200 and of a 304. */
export type ListAnswer = Pick<CachedList, 'body' | 'etag' | 'headers'>;

/** A JSON answer with a strong ETag of its bytes, and the headers of its 200 and of a 304. */
function jsonAnswer(value: unknown): ListAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const etag = `"${hash('sha256', body, 'base64url').slice(0, 27)}"`;
  // A 304 carries the ETag and Cache-Control of the 200 it stands for (RFC 9110 section 15.4.5).
  const notModified = { etag, 'cache-control': 'no-cache' };
  return { body, etag, headers: { ok: { ...notModified, 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, notModified } };
}

/**
 * Activity reports are cheap: at most one stored write per agent per this many milliseconds on
 * an instance. A report in between is kept in memory and written before the agent's next
 * re-check (its idle deadline among them), so an agent is never judged idle by a stale time.
 */
const ACTIVITY_WRITE_MILLIS = 30_000;

/** How many times a reconcile re-checks after announcing before leaving the rest to the next change. */
const RECONCILE_ROUNDS = 3;

/**
 * Presence rules: what the list shows, how an agent's own status update is applied, which
 * changes are announced on the stream, and the liveness of streams across instances.
 *
 * Each entry is derived by the availability rule (availability/rule.ts) from the stored inputs;
 * listed online = any state but offline, which without working hours is the seed's meaning:
 * chosen online (last writer wins) AND alive, where alive = a heartbeat within the TTL, or a
 * stream open now on any instance, or the grace period after the agent's last stream closed.
 */
export function presenceService(
  store: PresenceStore,
  events: EventStore,
  streams: StreamRegistry,
  changes: ChangeTracker,
  settings: PresenceSettings,
  now: () => number,
  { instanceId, sharedDatabase }: PresenceOptions,
) {
  const ttlMillis = settings.presenceTtlSeconds * 1000;
  const graceMillis = settings.presenceGraceSeconds * 1000;
  const leaseMillis = settings.instanceLeaseSeconds * 1000;
  const lists = new BoundedCache<string, CachedList>(10_000);
  const announcedListeners: Array<(chatbotId: string, events: readonly LoggedEvent[]) => void> = [];
  const deadlineListeners: Array<(chatbotId: string, agentId: string, at: number | null) => void> = [];
  const webhookListeners: Array<() => void> = [];
  const scheduleDeadline = (chatbotId: string, agentId: string, at: number | null) => {
    for (const listener of deadlineListeners) listener(chatbotId, agentId, at);
  };

  /** The entry as listed at `at` (see listedEntry). */
  const listed = (row: MemberPresenceRow, at: number) => listedEntry(row, at, { ttlMillis });

  /** Activity reported here and not yet written, by chatbot then agent (see ACTIVITY_WRITE_MILLIS). */
  const pendingActivity = new Map<string, Map<string, number>>();
  /** When this instance last wrote each agent's activity (chatbot and agent, newline-joined). */
  const activityWritten = new BoundedCache<string, number>(100_000);

  /** `change`, preceded by writing the activity reported here and not yet written for the agents (all when omitted). */
  function withPendingActivity(chatbotId: string, agentIds: readonly string[] | undefined, change?: (run: Run) => Promise<void>) {
    const pending = pendingActivity.get(chatbotId);
    if (!pending) return change;
    const due = (agentIds ?? [...pending.keys()]).flatMap((agentId) => {
      const at = pending.get(agentId);
      if (at === undefined) return [];
      pending.delete(agentId);
      activityWritten.set(`${chatbotId}\n${agentId}`, at);
      return [[agentId, at] as const];
    });
    if (pending.size === 0) pendingActivity.delete(chatbotId);
    if (due.length === 0) return change;
    return async (run: Run) => {
      for (const [agentId, at] of due) await store.recordActivity(run, chatbotId, agentId, at);
      if (change) await change(run);
    };
  }

  /** What a unit of work under a chatbot's lock decided: deadlines to watch, removals, events logged. */
  interface Outcome {
    /** Each agent looked at, with the next moment its entry changes by itself. */
    decided: Array<{ agentId: string; nextChangeAt: number | null }>;
    removed: string[];
    /** The events logged, in version order: the stream hub delivers them without reading them back. */
    logged: LoggedEvent[];
    /** Webhook messages queued (the outbox worker is woken only when there are some). */
    webhooks: number;
  }

  /**
   * Inside the chatbot's lock: announces the agents (all, or `agentIds`) whose listed (online,
   * connected) differs from what was last announced, and the removal of former members among
   * them. The claim in announce() makes each change news once, whichever instance sees it first.
   */
  async function announceChanges(
    chatbotId: string,
    presence: LockedPresence,
    agentIds: readonly string[] | undefined,
    at: number,
    outcome: Outcome,
    { removals = true } = {},
  ): Promise<void> {
    const announcements: Announcement[] = [];
    const members = await presence.members(agentIds);
    for (const row of members) {
      const { entry, hint, visible, stateKey, setBy, since, nextChangeAt } = listed(row, at);
      outcome.decided.push({ agentId: row.agent_id, nextChangeAt });
      if (announcedHintOf(row) === hint) continue;
      const history = announcedStateIs(row, stateKey) ? null : { state: entry.state, reason: entry.reason, statusText: entry.statusText, from: since, setBy };
      announcements.push({ chatbotId, agentId: row.agent_id, online: entry.online, connected: entry.connected, entry: JSON.stringify(entry), visible, since, removed: false, history });
    }
    // Former members among the agents asked about are the ones no longer members: when all of
    // them still are (the usual case, a burst of deadlines among them), there is nothing to look for.
    const found = new Set(members.map((row) => row.agent_id));
    const missing = agentIds?.filter((agentId) => !found.has(agentId));
    if (removals && missing?.length !== 0) {
      for (const agentId of await presence.formerMembers(missing)) {
        outcome.removed.push(agentId);
        const entry = JSON.stringify({ agentId, removed: true, online: false, connected: false });
        announcements.push({ chatbotId, agentId, online: false, connected: false, entry, visible: '', since: at, removed: true, history: null });
      }
    }
    if (announcements.length === 0) return;
    const queuedBefore = presence.webhooksQueued();
    const versions = await presence.announce(announcements, at);
    versions.forEach((version, i) => {
      if (version !== null) outcome.logged.push({ version, data: announcements[i]!.entry });
    });
    outcome.webhooks += presence.webhooksQueued() - queuedBefore;
  }

  /** After a unit of work committed: caches, deadlines, the streams here and the other instances learn of it. */
  async function published(chatbotId: string, outcome: Outcome, wrote: boolean): Promise<void> {
    if (wrote || outcome.logged.length > 0) changes.chatbotChanged(chatbotId);
    for (const { agentId, nextChangeAt } of outcome.decided) scheduleDeadline(chatbotId, agentId, nextChangeAt);
    for (const agentId of outcome.removed) scheduleDeadline(chatbotId, agentId, null);
    if (outcome.webhooks > 0) for (const listener of webhookListeners) listener();
    if (outcome.logged.length === 0) return;
    changes.signal(`events:${chatbotId}`);
    for (const listener of announcedListeners) listener(chatbotId, outcome.logged);
    const newest = outcome.logged.reduce((max, event) => Math.max(max, event.version), 0);
    const pruneEvery = Math.max(1, Math.ceil(settings.presenceEventsKept / 10));
    if (outcome.logged.some((event) => event.version % pruneEvery === 0)) await events.prune(chatbotId, newest - settings.presenceEventsKept + 1);
  }

  /**
   * Announces the agents whose listed (online, connected) differs from what was last announced,
   * and the removal of former members among `agentIds` (all when omitted). `change`, when
   * given, is a write to make first, in the same unit of work (a stream opening or closing).
   *
   * The chatbot's presence lock makes announcements of one chatbot one at a time across every
   * instance. On PostgreSQL a status update compares itself with the announced state outside
   * the lock (see setOwnStatus), so it may have done so just before this reconcile committed;
   * so there, after announcing, the reconcile reads the agents again and goes on while what it
   * announced is already out of date. On SQLite status updates compare inside the lock.
   */
  async function reconcile(chatbotId: string, agentIds?: readonly string[], change?: (run: Run) => Promise<void>): Promise<void> {
    let pendingChange = withPendingActivity(chatbotId, agentIds, change);
    let agents = agentIds;
    for (let round = 0; round < RECONCILE_ROUNDS; round++) {
      const outcome = await store.inChatbotLock(chatbotId, async (presence) => {
        if (pendingChange) await pendingChange(presence.run);
        const result: Outcome = { decided: [], removed: [], logged: [], webhooks: 0 };
        await announceChanges(chatbotId, presence, agents, now(), result);
        return result;
      });
      await published(chatbotId, outcome, pendingChange !== undefined);
      pendingChange = undefined;
      if (outcome.logged.length === 0 || !sharedDatabase) return;
      const checked = outcome.decided.map((item) => item.agentId);
      if (checked.length === 0) return;
      const at = now();
      const stale = (await store.listMembers(chatbotId, checked)).filter((row) => announcedHintOf(row) !== listed(row, at).hint);
      if (stale.length === 0) return;
      agents = stale.map((row) => row.agent_id);
    }
  }

  /**
   * SQLite: status updates are written in batches, one unit of work per event-loop turn for
   * all that arrived in it. Each update's upsert, its comparison with what was announced and
   * its announcement share one transaction, so a batch costs one commit, however many agents
   * and chatbots it touches (a commit costs several times an upsert).
   */
  type Standing = Pick<PresenceTable, 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'>;
  const statusBatch: Array<{ update: StatusUpdate; resolve(standing: Standing): void; reject(error: unknown): void }> = [];
  const writeBatch = store.batch;
  async function writeStatusBatch(): Promise<void> {
    const batch = statusBatch.splice(0);
    let written: { outcomes: Map<string, Outcome>; results: Array<{ standing?: Standing; error?: unknown }> };
    try {
      written = await writeBatch!(async (run) => {
        const outcomes = new Map<string, Outcome>();
        const results: Array<{ standing?: Standing; error?: unknown }> = [];
        for (const { update } of batch) {
          const { chatbot_id: chatbotId, agent_id: agentId } = update;
          // Compared and announced one update at a time, in order, so each visible change is
          // an event of its own even when the same agent changes twice in one batch. (The
          // agent is a member, the auth check said so: no removal to look for.)
          const outcome = outcomes.get(chatbotId) ?? { decided: [], removed: [], logged: [], webhooks: 0 };
          outcomes.set(chatbotId, outcome);
          try {
            results.push({ standing: await store.applyStatusUpdate(update, run) });
            const presence = store.locked(chatbotId, run);
            await announceChanges(chatbotId, presence, [agentId], now(), outcome, { removals: false });
            await presence.finish();
          } catch (error) {
            // One update's failure must not fail the others.
            results.push({ error });
          }
        }
        return { outcomes, results };
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    // Answered only once committed: an update answered 200 is durable.
    batch.forEach((item, i) => {
      const result = written.results[i]!;
      if (result.standing) item.resolve(result.standing);
      else item.reject(result.error);
    });
    for (const [chatbotId, outcome] of written.outcomes) await published(chatbotId, outcome, true);
  }
  const queueStatus = (update: StatusUpdate) =>
    new Promise<Standing>((resolve, reject) => {
      if (statusBatch.length === 0) setImmediate(() => void writeStatusBatch());
      statusBatch.push({ update, resolve, reject });
    });

  /** Reconciles every chatbot where an entry can change by the clock alone: their deadlines are now watched here. */
  async function watchAllDeadlines(): Promise<void> {
    for (const chatbotId of await store.chatbotsWithDeadlines(now())) await reconcile(chatbotId);
  }

  /** Announces what follows from streams released (an instance's, at shutdown or after it died). */
  async function reconcileReleased(released: ReadonlyArray<{ chatbot_id: string; agent_id: string }>): Promise<void> {
    const byChatbot = new Map<string, string[]>();
    for (const row of released) byChatbot.set(row.chatbot_id, [...(byChatbot.get(row.chatbot_id) ?? []), row.agent_id]);
    for (const [chatbotId, agentIds] of byChatbot) await reconcile(chatbotId, agentIds);
  }

  /** Releases a dead instance's streams (if this instance is the one to claim it) and announces what follows. */
  async function releaseLapsed(id: string, at: number): Promise<boolean> {
    const released = await store.releaseInstance(id, graceMillis, 'last renewal', at);
    await reconcileReleased(released);
    return released.length > 0;
  }

  /** Since when this instance has renewed its lease without failing (null: it is failing now). */
  let healthySince: number | null = null;

  return {
    reconcile,

    /** Called after a unit of work that queued webhook messages committed (the webhook worker sends them). */
    onWebhooksQueued(listener: () => void): void {
      webhookListeners.push(listener);
    },

    /** Called with the chatbot and the events a unit of work logged, once committed (the stream hub delivers them). */
    onAnnounced(listener: (chatbotId: string, events: readonly LoggedEvent[]) => void): void {
      announcedListeners.push(listener);
    },

    /** Called with the moment an agent's listed state must be re-checked (null: never). */
    onDeadline(listener: (chatbotId: string, agentId: string, at: number | null) => void): void {
      deadlineListeners.push(listener);
    },

    /** listJson() when its cache holds the list, without waiting for anything; undefined otherwise. */
    cachedListJson(chatbotId: string): CachedList | undefined {
      const cached = lists.get(chatbotId);
      return cached && now() < cached.validUntil && changes.chatbotFresh(chatbotId, cached.stamp) ? cached : undefined;
    },

    /**
     * Every member of the chatbot as the JSON of `OnlineList` (UTF-8 bytes), with an ETag. Polling is the hot
     * path, so the serialized list is cached until a change in this chatbot (or outside this
     * process) or the next liveness expiry.
     */
    async listJson(chatbotId: string): Promise<CachedList> {
      const cached = this.cachedListJson(chatbotId);
      if (cached) return cached;
      const stamp = changes.stamp();
      const rows = await store.listMembers(chatbotId);
      const at = now();
      // An agent judged idle by its stored activity while a newer report waits here to be
      // written: write it first (a re-check would, at the idle deadline), then list.
      const pending = pendingActivity.get(chatbotId);
      if (pending) {
        const stale = rows.filter((row) => pending.has(row.agent_id) && listed(row, at).entry.reason === 'idle').map((row) => row.agent_id);
        if (stale.length > 0) {
          await reconcile(chatbotId, stale);
          return this.listJson(chatbotId);
        }
      }
      let validUntil = Number.POSITIVE_INFINITY;
      const counts: AvailabilitySummary['counts'] = { available: 0, away: 0, busy: 0, dnd: 0, offline: 0 };
      let nextAvailableAt: number | null = null;
      const intents: CachedList['intents'] = new Map();
      const list: OnlineList = {
        agents: rows.map((row) => {
          const { entry, nextChangeAt, availableAt, intent } = listed(row, at);
          intents.set(entry.agentId, intent());
          if (nextChangeAt !== null) validUntil = Math.min(validUntil, nextChangeAt);
          counts[entry.state]++;
          if (entry.state !== 'available') {
            const due = availableAt();
            if (due !== null) nextAvailableAt = nextAvailableAt === null ? due : Math.min(nextAvailableAt, due);
          }
          return entry;
        }),
      };
      const anyoneAvailable = counts.available > 0;
      const summary = jsonAnswer({ counts, anyoneAvailable, nextAvailableAt: anyoneAvailable ? null : isoTime(nextAvailableAt) } satisfies AvailabilitySummary);
      const entry = { stamp, validUntil, ...jsonAnswer(list), summary, agents: list.agents, intents };
      lists.set(chatbotId, entry);
      return entry;
    },

    /**
     * Each member's state and reason with liveness set aside, by agent id: who gets a push
     * depends on it, since a closed tab (no sign of life) is exactly when a push helps.
     */
    async intents(chatbotId: string): Promise<CachedList['intents']> {
      return (this.cachedListJson(chatbotId) ?? (await this.listJson(chatbotId))).intents;
    },

    /** The chatbot's availability summary (counts by state, anyone available, when the next is due), cached with the list. */
    async availabilityJson(chatbotId: string): Promise<ListAnswer> {
      return (this.cachedListJson(chatbotId) ?? (await this.listJson(chatbotId))).summary;
    },

    /**
     * Applies an agent's own status update under last writer wins by clientTimestamp. A stale
     * update is not an error: it still counts as a sign of life and reports applied = false.
     */
    async setOwnStatus(chatbotId: string, agentId: string, body: { online: boolean; clientTimestamp: string | number }): Promise<SetOnlineResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, settings.maxClockAheadSeconds);
      const update = { chatbot_id: chatbotId, agent_id: agentId, online: body.online ? 1 : 0, client_ts: clientTs, updated_at: at, last_seen_at: at, online_changed_at: body.online ? at : null };
      let standing: Pick<PresenceTable, 'online' | 'client_ts' | 'updated_at' | 'last_seen_at'>;
      if (writeBatch) {
        // Written, compared and announced with the other updates of this turn (see writeStatusBatch).
        standing = await queueStatus(update);
      } else {
        standing = await store.applyStatusUpdate(update);
        // The hot path on PostgreSQL: when the listed state is what was last announced, only
        // the expiry moves; otherwise the chatbot's lock decides.
        const row = await store.memberState(chatbotId, agentId);
        const current = row ? listed(row, now()) : null;
        if (row && current && announcedHintOf(row) === current.hint) scheduleDeadline(chatbotId, agentId, current.nextChangeAt);
        else await reconcile(chatbotId, [agentId]);
      }
      // The write keeps the stored row unless ours is at least as new, so ours stands exactly
      // when the returned timestamp is ours (a newer one would be strictly greater).
      const applied = Number(standing.client_ts) === clientTs;
      const online = Number(standing.online) === 1;
      return {
        agentId,
        online,
        clientTimestamp: String(standing.client_ts),
        updatedAt: new Date(Number(standing.updated_at)).toISOString(),
        applied,
      };
    },

    /**
     * Sets the agent's chosen status (available, away, busy, dnd) under last writer wins by its
     * own clientTimestamp, apart from the online flag; `until` makes it lapse by itself. Also a
     * sign of life. Answers with the state the rule derives afterwards.
     */
    async setChosenStatus(chatbotId: string, agentId: string, body: ChosenStatusBody, setBy: string | null): Promise<ChosenStatusResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, settings.maxClockAheadSeconds);
      const until = statusUntil(body.until, at);
      const text = body.text?.trim() || null;
      let standing: Awaited<ReturnType<PresenceStore['applyChosenStatus']>> | undefined;
      await reconcile(chatbotId, [agentId], async (run) => {
        standing = await store.applyChosenStatus(run, {
          chatbot_id: chatbotId,
          agent_id: agentId,
          status: body.status,
          status_text: text,
          status_until: until,
          status_ts: clientTs,
          status_set_at: at,
          status_set_by: setBy,
          last_seen_at: at,
        });
      });
      const row = await store.memberState(chatbotId, agentId);
      const derived = row ? listed(row, now()).entry : null;
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
     * A client of the agent reports that the person is active. Cheap by design: written at most
     * once per ACTIVITY_WRITE_MILLIS per agent here, and announced only when it changes what
     * clients see (an idle agent becoming available).
     */
    async reportActivity(chatbotId: string, agentId: string): Promise<{ agentId: string; lastActiveAt: string }> {
      const at = now();
      const key = `${chatbotId}\n${agentId}`;
      const written = activityWritten.get(key);
      if (written !== undefined && at - written < ACTIVITY_WRITE_MILLIS && at >= written) {
        let pending = pendingActivity.get(chatbotId);
        if (!pending) pendingActivity.set(chatbotId, (pending = new Map()));
        pending.set(agentId, at);
      } else {
        activityWritten.set(key, at);
        pendingActivity.get(chatbotId)?.delete(agentId);
        await reconcile(chatbotId, [agentId], (run) => store.recordActivity(run, chatbotId, agentId, at));
      }
      return { agentId, lastActiveAt: new Date(at).toISOString() };
    },

    /** A stream of the agent opened; its first (on any instance) makes the agent connected. */
    async streamOpened(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.open(keyId, chatbotId, agentId) || agentId === null) return;
      await reconcile(chatbotId, [agentId], (run) => store.holdStream(run, chatbotId, agentId, instanceId, now()));
    },

    /** A stream closed; after the agent's last one here, this instance no longer holds it. */
    async streamClosed(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.close(keyId, chatbotId, agentId) || agentId === null) return;
      const at = now();
      await reconcile(chatbotId, [agentId], (run) => store.releaseStream(run, chatbotId, agentId, instanceId, at, at + graceMillis));
    },

    /**
     * On start: take a lease, release the streams of instances that died (or of this process
     * before a crash), and watch the deadlines of every chatbot where something changes by the clock.
     */
    async start(): Promise<void> {
      const at = now();
      await store.registerInstance(instanceId, at, at + leaseMillis);
      healthySince = at;
      for (const lapsed of await store.lapsedInstances(at)) await releaseLapsed(lapsed.id, at);
      await watchAllDeadlines();
    },

    /**
     * Every quarter lease: renew this instance's lease; once this instance has itself been
     * healthy for a whole lease, release instances whose lease lapsed (an instance that could
     * not reach the database either must not judge the others by it).
     */
    async renewLease(): Promise<void> {
      const at = now();
      let renewed: boolean;
      try {
        renewed = await store.renewInstance(instanceId, at, at + leaseMillis);
      } catch (error) {
        healthySince = null;
        throw error;
      }
      if (!renewed) {
        // Declared dead while unreachable: register again and hold this instance's streams again.
        await store.registerInstance(instanceId, at, at + leaseMillis);
        for (const { chatbotId, agentId } of streams.connectedAgents()) {
          await reconcile(chatbotId, [agentId], (run) => store.holdStream(run, chatbotId, agentId, instanceId, at));
        }
      }
      healthySince ??= at;
      if (at - healthySince < leaseMillis) return;
      let released = false;
      for (const lapsed of await store.lapsedInstances(at)) if (await releaseLapsed(lapsed.id, at)) released = true;
      if (released) await watchAllDeadlines();
    },

    /** Another instance released streams (it shut down, or released a dead one): watch the deadlines. */
    watchAllDeadlines,

    /**
     * On shutdown: every agent connected here gets the grace period, persisted, to reconnect
     * elsewhere; the change is announced, and the other instances are told to watch the graces.
     */
    async releaseAllStreams(): Promise<void> {
      await reconcileReleased(await store.releaseInstance(instanceId, graceMillis, now()));
      changes.signal('liveness');
    },
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
