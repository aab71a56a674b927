import { BoundedCache, type ChangeTracker } from '../db/changes.js';
import type { AgentPresence, OnlineList, SetOnlineResult } from './schemas.js';
import type { MemberPresenceRow, PresenceStore } from './store.js';
import { assertNotTooFarAhead, parseClientTimestamp } from './client-timestamp.js';

export interface PresenceSettings {
  /** Seconds without a sign of life after which an agent is listed offline; 0 = never. */
  presenceTtlSeconds: number;
  maxClockAheadSeconds: number;
}

const iso = (millis: number | null): string | null => (millis === null ? null : new Date(Number(millis)).toISOString());

interface CachedList {
  stamp: number;
  /** The first moment an agent listed online would expire; the entry is rebuilt then. */
  validUntil: number;
  json: string;
}

/** Presence rules: what the list shows, and how an agent's own status update is applied. */
export function presenceService(store: PresenceStore, changes: ChangeTracker, settings: PresenceSettings, now: () => number) {
  const ttlMillis = settings.presenceTtlSeconds * 1000;
  const lists = new BoundedCache<string, CachedList>(10_000);

  /** Alive = a sign of life within the TTL (or the TTL is off). Persisted, so a restart keeps it. */
  function isAlive(lastSeenAt: number | null, at: number): boolean {
    if (lastSeenAt === null) return false;
    return ttlMillis === 0 || at - Number(lastSeenAt) < ttlMillis;
  }

  function toEntry(row: MemberPresenceRow, at: number): AgentPresence {
    return {
      agentId: row.agent_id,
      name: row.name,
      online: Number(row.online) === 1 && isAlive(row.last_seen_at, at),
      lastSeenAt: iso(row.last_seen_at),
      updatedAt: iso(row.updated_at),
    };
  }

  return {
    /**
     * Every member of the chatbot as the JSON of `OnlineList`; an agent is listed online only
     * when chosen online AND alive. Polling is the hot path, so the serialized list is cached
     * until a change in this chatbot (or outside this process) or the next liveness expiry.
     */
    async listJson(chatbotId: string): Promise<string> {
      const cached = lists.get(chatbotId);
      if (cached && now() < cached.validUntil && changes.chatbotFresh(chatbotId, cached.stamp)) return cached.json;
      const stamp = changes.stamp();
      const rows = await store.listMembers(chatbotId);
      const at = now();
      const list: OnlineList = { agents: rows.map((row) => toEntry(row, at)) };
      let validUntil = Number.POSITIVE_INFINITY;
      if (ttlMillis > 0) {
        for (const [i, row] of rows.entries()) {
          if (list.agents[i]?.online) validUntil = Math.min(validUntil, Number(row.last_seen_at) + ttlMillis);
        }
      }
      const json = JSON.stringify(list);
      lists.set(chatbotId, { stamp, validUntil, json });
      return json;
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
      return {
        agentId,
        online: Number(standing.online) === 1,
        clientTimestamp: String(standing.client_ts),
        updatedAt: new Date(Number(standing.updated_at)).toISOString(),
        applied,
      };
    },
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
