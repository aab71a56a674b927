import { hash } from 'node:crypto';
import { nextAvailableAt, openingAfter, type MemberOutlook } from '../availability/next-available.js';
import type { AvailabilityReason, AvailabilityState } from '../availability/rule.js';
import type { WorkingHours } from '../availability/working-hours.js';
import { LRUCache } from 'lru-cache';
import type { ChangeTracker } from '../db/changes.js';
import { isoTime } from '../http-schemas.js';
import { listedEntry } from './entry.js';
import type { LivenessSettings } from './liveness.js';
import type { MemberPresenceRow, MemberReads } from './member-store.js';
import type { AgentPresence, AvailabilitySummary, OnlineList } from './schemas.js';

/** The list (or the summary) as answered: its bytes, its ETag, and the headers of a 200 and of a 304. */
export interface ListAnswer {
  /** The serialized answer, already UTF-8: sending it costs no encoding per request. */
  body: Buffer;
  etag: string;
  /** The answer's headers, made once per answer rather than per request. */
  headers: { ok: Record<string, string | number>; notModified: Record<string, string> };
}

/** A chatbot's list as cached: its answer, the summary of the same moment, the entries, and until when it holds. */
export interface CachedList extends ListAnswer {
  stamp: number;
  /** The first moment an entry changes by itself; the list is rebuilt then. */
  validUntil: number;
  summary: ListAnswer;
  agents: AgentPresence[];
  /** Each agent's state and reason with liveness set aside (see listedEntry's intent). */
  intents: Map<string, { state: AvailabilityState; reason: AvailabilityReason }>;
}

/** A JSON answer with a strong ETag of its bytes, and the headers of its 200 and of a 304. */
function jsonAnswer(value: unknown): ListAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const etag = `"${hash('sha256', body, 'base64url').slice(0, 27)}"`;
  // A 304 carries the ETag and Cache-Control of the 200 it stands for (RFC 9110 section 15.4.5).
  const notModified = { etag, 'cache-control': 'no-cache' };
  return { body, etag, headers: { ok: { ...notModified, 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, notModified } };
}

export interface ListAnswerDeps {
  members: MemberReads;
  changes: ChangeTracker;
  liveness: LivenessSettings;
  now: () => number;
  /**
   * Agents of these rows whose entry must be judged again before listing (a report kept in
   * memory would change it): the list is read again after they are.
   */
  staleAgents(chatbotId: string, rows: readonly MemberPresenceRow[], at: number): string[];
  reconcile(chatbotId: string, agentIds: readonly string[]): Promise<void>;
}

/**
 * The answers of the list routes, cached. Polling the list is the hot path, so each chatbot's
 * list is kept serialized, with its ETag and the summary of the same moment, until a change in
 * the chatbot (here, or outside this process) or the first moment an entry changes by itself.
 */
export function listAnswers({ members, changes, liveness, now, staleAgents, reconcile }: ListAnswerDeps) {
  // Least recently used first out: a chatbot polled all the time keeps its answer.
  const lists = new LRUCache<string, CachedList>({ max: 10_000 });

  /** The list when its cache holds it, without waiting for anything; undefined otherwise. */
  const cached = (chatbotId: string): CachedList | undefined => {
    const entry = lists.get(chatbotId);
    return entry && now() < entry.validUntil && changes.chatbotFresh(chatbotId, entry.stamp) ? entry : undefined;
  };

  // Lists being read: callers arriving while one is read, with nothing changed in the chatbot
  // since it began, wait for it rather than read it again (a burst of answers after a change).
  const building = new Map<string, { stamp: number; promise: Promise<CachedList> }>();

  /** Every member of the chatbot with its listed entry (UTF-8 JSON of OnlineList), an ETag and the summary. */
  function list(chatbotId: string): Promise<CachedList> {
    const hit = cached(chatbotId);
    if (hit) return Promise.resolve(hit);
    const inflight = building.get(chatbotId);
    if (inflight && changes.chatbotFresh(chatbotId, inflight.stamp)) return inflight.promise;
    const stamp = changes.stamp();
    const promise = build(chatbotId, stamp).finally(() => {
      if (building.get(chatbotId)?.promise === promise) building.delete(chatbotId);
    });
    building.set(chatbotId, { stamp, promise });
    return promise;
  }

  /** Reads and judges the list, stamped at `stamp` (taken before the read). */
  async function build(chatbotId: string, stamp: number): Promise<CachedList> {
    const rows = await members.ofChatbot(members.direct, chatbotId);
    const at = now();
    const stale = staleAgents(chatbotId, rows, at);
    if (stale.length > 0) {
      await reconcile(chatbotId, stale);
      return build(chatbotId, changes.stamp());
    }
    let validUntil = Number.POSITIVE_INFINITY;
    const counts: AvailabilitySummary['counts'] = { available: 0, away: 0, busy: 0, dnd: 0, offline: 0 };
    const outlooks: MemberOutlook[] = [];
    const intents: CachedList['intents'] = new Map();
    const agents = rows.map((row) => {
      const { entry, nextChangeAt, availableAt, openingAt, intent } = listedEntry(row, at, liveness);
      intents.set(entry.agentId, intent());
      if (nextChangeAt !== null) validUntil = Math.min(validUntil, nextChangeAt);
      counts[entry.state]++;
      if (entry.state !== 'available') outlooks.push({ dueAt: availableAt(), openingAt: openingAt() });
      return entry;
    });
    const anyoneAvailable = counts.available > 0;
    const chatbotHours = rows[0]?.chatbot_working_hours;
    const chatbotOpening = chatbotHours ? openingAfter(JSON.parse(chatbotHours) as WorkingHours, at) : null;
    const summary = jsonAnswer({
      counts,
      anyoneAvailable,
      nextAvailableAt: anyoneAvailable ? null : isoTime(nextAvailableAt(outlooks, chatbotOpening)),
    } satisfies AvailabilitySummary);
    const answer: CachedList = { stamp, validUntil, ...jsonAnswer({ agents } satisfies OnlineList), summary, agents, intents };
    lists.set(chatbotId, answer);
    return answer;
  }

  return {
    cached,
    list,
    /**
     * The list read now, whatever the cache holds (and kept as the cache's): for an answer that
     * must include every change committed before it began, which a cache another instance's
     * change has not yet reached may lack (a stream's snapshot).
     */
    fresh: (chatbotId: string): Promise<CachedList> => build(chatbotId, changes.stamp()),
    /** The chatbot's availability summary (counts by state, anyone available, when the next is due), cached with the list. */
    summary: async (chatbotId: string): Promise<ListAnswer> => (cached(chatbotId) ?? (await list(chatbotId))).summary,
    /**
     * Each member's state and reason with liveness set aside, by agent id: who gets a push
     * depends on it, since a closed tab (no sign of life) is exactly when a push helps.
     */
    intents: async (chatbotId: string): Promise<CachedList['intents']> => (cached(chatbotId) ?? (await list(chatbotId))).intents,
  };
}

export type ListAnswers = ReturnType<typeof listAnswers>;
