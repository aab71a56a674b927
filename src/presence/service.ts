import { hash } from 'node:crypto';
import { BoundedCache, type ChangeTracker } from '../db/changes.js';
import { assertNotTooFarAhead, parseClientTimestamp } from './client-timestamp.js';
import type { EventStore } from './event-store.js';
import type { AgentPresence, OnlineList, SetOnlineResult } from './schemas.js';
import type { MemberPresenceRow, PresenceStore } from './store.js';
import { StreamRegistry } from './streams.js';

export interface PresenceSettings {
  /** Seconds without a heartbeat after which an agent is listed offline; 0 = never. */
  presenceTtlSeconds: number;
  /** Seconds an agent stays listed after its last stream closed (a page reload fits in it). */
  presenceGraceSeconds: number;
  /** Events kept per chatbot for resuming streams. */
  presenceEventsKept: number;
  maxClockAheadSeconds: number;
}

const iso = (millis: number | null): string | null => (millis === null ? null : new Date(Number(millis)).toISOString());
const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(Number(a), Number(b)));

interface CachedList {
  stamp: number;
  /** The first moment an agent listed online would expire; the entry is rebuilt then. */
  validUntil: number;
  /** The serialized list, already UTF-8: sending it costs no encoding per request. */
  body: Buffer;
  etag: string;
}

/**
 * Presence rules: what the list shows, how an agent's own status update is applied, and which
 * changes are announced on the stream.
 *
 * Listed online = chosen online (last writer wins) AND alive, where alive = a heartbeat within
 * the TTL, or a stream open now, or the grace period after the agent's last stream closed.
 */
export function presenceService(
  store: PresenceStore,
  events: EventStore,
  streams: StreamRegistry,
  changes: ChangeTracker,
  settings: PresenceSettings,
  now: () => number,
) {
  const ttlMillis = settings.presenceTtlSeconds * 1000;
  const graceMillis = settings.presenceGraceSeconds * 1000;
  const lists = new BoundedCache<string, CachedList>(10_000);
  /** Last announced (online, connected) per agent, to skip the database when nothing changed. */
  const announcedHints = new BoundedCache<string, string>(200_000);
  const announcedListeners: Array<(chatbotId: string) => void> = [];
  const deadlineListeners: Array<(chatbotId: string, agentId: string, at: number | null) => void> = [];

  /** The entry as listed at `at`, and when (if ever) it would stop being listed online. */
  function listed(chatbotId: string, row: MemberPresenceRow, at: number): { entry: AgentPresence; aliveUntil: number | null } {
    const connected = streams.isConnected(chatbotId, row.agent_id);
    const heartbeatUntil = row.last_seen_at === null ? null : ttlMillis === 0 ? Number.POSITIVE_INFINITY : Number(row.last_seen_at) + ttlMillis;
    const streamUntil = connected ? Number.POSITIVE_INFINITY : row.grace_until === null ? null : Number(row.grace_until);
    const aliveUntil = maxOrNull(heartbeatUntil, streamUntil);
    const online = Number(row.online) === 1 && aliveUntil !== null && at < aliveUntil;
    return {
      entry: {
        agentId: row.agent_id,
        name: row.name,
        online,
        connected,
        lastSeenAt: iso(maxOrNull(row.last_seen_at, row.stream_seen_at)),
        updatedAt: iso(row.updated_at),
      },
      aliveUntil: online ? aliveUntil : null,
    };
  }

  /** Logs one announcement; every so often drops events older than the retention. */
  async function announce(item: Parameters<EventStore['announce']>[0], at: number): Promise<boolean> {
    const version = await events.announce(item, at);
    if (version === null) return false;
    const pruneEvery = Math.max(1, Math.ceil(settings.presenceEventsKept / 10));
    if (version % pruneEvery === 0) await events.prune(item.chatbotId, version - settings.presenceEventsKept + 1);
    return true;
  }

  const hintOf = (entry: { online: boolean; connected: boolean }) => `${entry.online ? 1 : 0}${entry.connected ? 1 : 0}`;

  /**
   * Announces the agents whose listed (online, connected) differs from what was last announced,
   * and the removal of former members among `agentIds`. Each change gets the chatbot's next
   * version in the event log; the database makes sure it is announced once.
   */
  async function reconcile(chatbotId: string, agentIds?: readonly string[]): Promise<void> {
    const rows = await store.listMembers(chatbotId, agentIds);
    const announced = new Map((await events.announced(chatbotId, agentIds)).map((row) => [row.agent_id, hintOf({ online: row.online === 1, connected: row.connected === 1 })]));
    const at = now();
    let anything = false;
    for (const row of rows) {
      const { entry, aliveUntil } = listed(chatbotId, row, at);
      for (const listener of deadlineListeners) listener(chatbotId, row.agent_id, aliveUntil);
      const hint = hintOf(entry);
      const key = StreamRegistry.agentKey(chatbotId, row.agent_id);
      if (announced.get(row.agent_id) !== hint) {
        if (await announce({ chatbotId, agentId: row.agent_id, online: entry.online, connected: entry.connected, entry: JSON.stringify(entry), removed: false }, at)) anything = true;
      }
      announcedHints.set(key, hint);
    }
    const formerMembers = agentIds
      ? agentIds.filter((id) => !rows.some((row) => row.agent_id === id) && announced.has(id))
      : (await events.announcedFormerMembers(chatbotId)).map((row) => row.agent_id);
    for (const agentId of formerMembers) {
      announcedHints.delete(StreamRegistry.agentKey(chatbotId, agentId));
      for (const listener of deadlineListeners) listener(chatbotId, agentId, null);
      const entry = JSON.stringify({ agentId, removed: true, online: false, connected: false });
      if (await announce({ chatbotId, agentId, online: false, connected: false, entry, removed: true }, at)) anything = true;
    }
    if (anything) for (const listener of announcedListeners) listener(chatbotId);
  }

  return {
    reconcile,

    /** Called with the chatbot after new events were logged (the stream hub delivers them). */
    onAnnounced(listener: (chatbotId: string) => void): void {
      announcedListeners.push(listener);
    },

    /** Called with the moment an agent's listed state must be re-checked (null: never). */
    onDeadline(listener: (chatbotId: string, agentId: string, at: number | null) => void): void {
      deadlineListeners.push(listener);
    },

    /**
     * Every member of the chatbot as the JSON of `OnlineList` (UTF-8 bytes), with an ETag. Polling is the hot
     * path, so the serialized list is cached until a change in this chatbot (or outside this
     * process) or the next liveness expiry.
     */
    async listJson(chatbotId: string): Promise<{ body: Buffer; etag: string }> {
      const cached = lists.get(chatbotId);
      if (cached && now() < cached.validUntil && changes.chatbotFresh(chatbotId, cached.stamp)) return cached;
      const stamp = changes.stamp();
      const rows = await store.listMembers(chatbotId);
      const at = now();
      let validUntil = Number.POSITIVE_INFINITY;
      const list: OnlineList = {
        agents: rows.map((row) => {
          const { entry, aliveUntil } = listed(chatbotId, row, at);
          if (aliveUntil !== null) validUntil = Math.min(validUntil, aliveUntil);
          return entry;
        }),
      };
      const body = Buffer.from(JSON.stringify(list), 'utf8');
      const entry = { stamp, validUntil, body, etag: `"${hash('sha256', body, 'base64url').slice(0, 27)}"` };
      lists.set(chatbotId, entry);
      return entry;
    },

    /**
     * Applies an agent's own status update under last writer wins by clientTimestamp. A stale
     * update is not an error: it still counts as a sign of life and reports applied = false.
     */
    async setOwnStatus(chatbotId: string, agentId: string, body: { online: boolean; clientTimestamp: string | number }): Promise<SetOnlineResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, settings.maxClockAheadSeconds);
      const standing = await store.applyStatusUpdate({
        chatbot_id: chatbotId,
        agent_id: agentId,
        online: body.online ? 1 : 0,
        client_ts: clientTs,
        updated_at: at,
        last_seen_at: at,
      });
      // The write keeps the stored row unless ours is at least as new, so ours stands exactly
      // when the returned timestamp is ours (a newer one would be strictly greater).
      const applied = Number(standing.client_ts) === clientTs;
      // The hot path: when the listed state is what was last announced, only the expiry moves.
      const connected = streams.isConnected(chatbotId, agentId);
      const heartbeatUntil = ttlMillis === 0 ? Number.POSITIVE_INFINITY : Number(standing.last_seen_at) + ttlMillis;
      const online = Number(standing.online) === 1;
      const key = StreamRegistry.agentKey(chatbotId, agentId);
      if (announcedHints.get(key) === hintOf({ online, connected })) {
        for (const listener of deadlineListeners) listener(chatbotId, agentId, online && !connected ? heartbeatUntil : null);
      } else {
        await reconcile(chatbotId, [agentId]);
      }
      return {
        agentId,
        online,
        clientTimestamp: String(standing.client_ts),
        updatedAt: new Date(Number(standing.updated_at)).toISOString(),
        applied,
      };
    },

    /** A stream of the agent opened; its first makes the agent connected. */
    async streamOpened(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.open(keyId, chatbotId, agentId) || agentId === null) return;
      await store.recordStreamLiveness(chatbotId, agentId, now(), null);
      await reconcile(chatbotId, [agentId]);
    },

    /** A stream closed; after the agent's last, it stays alive for the grace period. */
    async streamClosed(keyId: string, chatbotId: string, agentId: string | null): Promise<void> {
      if (!streams.close(keyId, chatbotId, agentId) || agentId === null) return;
      const at = now();
      await store.recordStreamLiveness(chatbotId, agentId, at, at + graceMillis);
      await reconcile(chatbotId, [agentId]);
    },

    /** On shutdown: every agent connected here gets the grace period, persisted, to reconnect elsewhere. */
    async releaseAllStreams(): Promise<void> {
      const at = now();
      for (const { chatbotId, agentId } of streams.connectedAgents()) {
        await store.recordStreamLiveness(chatbotId, agentId, at, at + graceMillis);
      }
    },

    /** On start: adopt streams a previous process left open, and re-schedule pending graces. */
    async resumeAfterStart(): Promise<void> {
      const at = now();
      await store.adoptOrphanedStreams(at + graceMillis);
      const pending = await store.pendingGraces(at);
      const byChatbot = new Map<string, string[]>();
      for (const row of pending) byChatbot.set(row.chatbot_id, [...(byChatbot.get(row.chatbot_id) ?? []), row.agent_id]);
      for (const [chatbotId, agentIds] of byChatbot) await reconcile(chatbotId, agentIds);
    },
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
