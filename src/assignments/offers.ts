import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { csvField } from '../availability/report.js';
import type { SkillStep } from './skills.js';

/**
 * Offers, pure: when a chatbot asks its agents to accept (`offerTimeoutSeconds`), a chat the
 * choice gives an agent is first an offer, which holds the agent's capacity until it is accepted,
 * declined or missed (its timeout passed). Declined or missed, it goes to the next eligible agent
 * (never back to one who declined or missed it) or waits in the queue. These functions decide;
 * the unit of work in service.ts stores and announces under the chatbot's lock.
 */

/** How an offer ended: taken, refused, let lapse, or taken back (the chat was released (DELETE) or moved meanwhile). */
export const OFFER_OUTCOMES = ['accepted', 'declined', 'missed', 'withdrawn'] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];

/** The chatbot's offer settings as the unit reads them. */
export interface OfferSettings {
  /** Seconds an agent has to accept; null: chats are assigned without an offer. */
  timeoutSeconds: number | null;
  /** Missed offers in a row after which the agent is set away (missed_offer); null: never. */
  awayAfterMissed: number | null;
}

/**
 * What an offered chat keeps to go on after a decline or a miss: the agents it must not go to
 * again (the request's exclusions and those who declined or missed it), and, for a return to the
 * queue, when it expires there and its requirement as asked with its steps.
 */
export interface OfferContext {
  exclude: string[];
  expiresAt: number;
  maxWaitSeconds: number | null;
  /** The requirement as asked, and its steps (relaxed by the time since arrival, as in the queue). */
  requiredSkills: string[];
  skillSteps: SkillStep[];
}

/** When an offer made at `at` lapses. */
export const offerDeadline = (at: number, timeoutSeconds: number): number => at + timeoutSeconds * 1000;

/** The context after `agentId` declined or missed the chat: it joins those the chat never goes to again. */
export function passedOver(context: OfferContext, agentId: string): OfferContext {
  return context.exclude.includes(agentId) ? context : { ...context, exclude: [...context.exclude, agentId] };
}

/** Whether a member who has now missed `missedInRow` offers in a row is set away. */
export const awayAfterMissing = (missedInRow: number, awayAfterMissed: number | null): boolean => awayAfterMissed !== null && missedInRow >= awayAfterMissed;

/**
 * A new offer's secret, and the hash kept of it: the push to the agent carries the secret, so the
 * notification's Accept and Decline act on this one offer without an API key.
 */
export function newOfferSecret(): { secret: string; hash: string } {
  const secret = randomBytes(24).toString('base64url');
  return { secret, hash: offerSecretHash(secret) };
}

export const offerSecretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Whether `secret` is the offer's (its hash compared in constant time). */
export function offerSecretMatches(secret: string, hash: string | null | undefined): boolean {
  if (!hash) return false;
  const given = Buffer.from(offerSecretHash(secret), 'hex');
  const kept = Buffer.from(hash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** One agent's offers over a period: how each ended, and the median seconds it took to accept. */
export interface OfferTally {
  agentId: string;
  offered: number;
  accepted: number;
  declined: number;
  missed: number;
  withdrawn: number;
  /** Median seconds from offer to accept (null: none accepted). */
  medianSecondsToAccept: number | null;
}

/** The median of a list of numbers (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Offers as ended, tallied per agent (ordered by agent id), with the median time to accept in seconds (to a tenth). */
export function tallyOffers(offers: ReadonlyArray<{ agentId: string; offeredAt: number; decidedAt: number; outcome: string }>): OfferTally[] {
  const byAgent = new Map<string, { tally: OfferTally; waits: number[] }>();
  for (const offer of offers) {
    let entry = byAgent.get(offer.agentId);
    if (!entry) {
      entry = { tally: { agentId: offer.agentId, offered: 0, accepted: 0, declined: 0, missed: 0, withdrawn: 0, medianSecondsToAccept: null }, waits: [] };
      byAgent.set(offer.agentId, entry);
    }
    if (!(OFFER_OUTCOMES as readonly string[]).includes(offer.outcome)) continue;
    entry.tally.offered++;
    entry.tally[offer.outcome as OfferOutcome]++;
    if (offer.outcome === 'accepted') entry.waits.push(offer.decidedAt - offer.offeredAt);
  }
  return [...byAgent.values()]
    .map(({ tally, waits }) => {
      const middle = median(waits);
      return { ...tally, medianSecondsToAccept: middle === null ? null : Math.round(middle / 100) / 10 };
    })
    .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

/** The offers report as CSV (RFC 4180), as the other reports'. */
export function offerReportCsv(rows: ReadonlyArray<OfferTally & { name: string | null }>): string {
  const header = ['agentId', 'name', 'offered', 'accepted', 'declined', 'missed', 'withdrawn', 'medianSecondsToAccept'];
  const lines = rows.map((row) =>
    [row.agentId, row.name ?? '', row.offered, row.accepted, row.declined, row.missed, row.withdrawn, row.medianSecondsToAccept ?? '']
      .map((value) => csvField(String(value)))
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
