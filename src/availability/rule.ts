import { isOpen, nextBoundary, nextOpening, type WorkingHours } from './working-hours.js';

/**
 * The availability rule: one agent's state on one chatbot, derived from everything known about
 * it, with the reason it holds and the next moment it would change by itself. Pure: the same
 * inputs and the same `now` give the same answer, so what is listed, what is announced and what
 * history keeps all come from this one function.
 *
 * | state     | reason                | when                                                        |
 * |-----------|-----------------------|-------------------------------------------------------------|
 * | offline   | chosen_offline        | the agent's `me/online` says `online: false`                |
 * | offline   | outside_working_hours | outside the agent's working hours, with no override         |
 * | offline   | no_sign_of_life       | no heartbeat within the TTL, no stream, no grace left       |
 * | dnd/busy/away | chosen            | the chosen status, until its `until` lapses                 |
 * | busy      | at_capacity           | `activeChats` ≥ `maxChats`                                  |
 * | away      | idle                  | activity was reported, but none for `idleAfterSeconds`      |
 * | available | ready                 | none of the above                                           |
 *
 * The first row that applies decides. `nextChangeAt` is the first moment the state, reason or
 * text would change with no new input; in a rare schedule where 16 moments in a row change
 * nothing visible, it is the 16th, a re-check that announces nothing and looks further.
 */

export const STATES = ['available', 'away', 'busy', 'dnd', 'offline'] as const;
export type AvailabilityState = (typeof STATES)[number];
export const REASONS = ['chosen_offline', 'no_sign_of_life', 'outside_working_hours', 'chosen', 'missed_offer', 'at_capacity', 'idle', 'ready'] as const;
export type AvailabilityReason = (typeof REASONS)[number];
/** Who set a chosen status that the service set itself: away after missed offers (assignments/offers.ts). */
export const SET_BY_MISSED_OFFER = 'service:missed_offer';
export const CHOSEN_STATUSES = ['available', 'away', 'busy', 'dnd'] as const;
export type ChosenStatus = (typeof CHOSEN_STATUSES)[number];

export interface AvailabilityInputs {
  /** The seed's chosen online flag: false is "I am offline". */
  online: boolean;
  /**
   * When the agent last explicitly chose to be online (the online flag turned on, or a status
   * chosen): done outside working hours, it overrides them until the next opening. A heartbeat
   * re-posting online: true is no such choice.
   */
  explicitOnlineAt: number | null;
  /** Until when the agent shows a sign of life: a heartbeat plus the TTL, +Infinity while a stream is open, the end of a grace; null: none. */
  aliveUntil: number | null;
  /**
   * The chosen status; null is `available` with no text. `missedOffer`: the service chose it (away)
   * because the agent missed the chatbot's awayAfterMissedOffers offers in a row.
   */
  status: { status: ChosenStatus; text: string | null; until: number | null; missedOffer?: boolean } | null;
  /** The newest activity any client of the agent reported (null: never reported). */
  lastActiveAt: number | null;
  /** Milliseconds without activity after which an agent who reports activity is idle. */
  idleAfterMs: number;
  activeChats: number | null;
  maxChats: number | null;
  workingHours: WorkingHours | null;
}

export interface Availability {
  state: AvailabilityState;
  reason: AvailabilityReason;
  /** The chosen status's text while the chosen status holds. */
  statusText: string | null;
  /** The next moment the state, reason or text changes by itself (null: not without new input). */
  nextChangeAt: number | null;
}

/** What a client sees change: two derivations that agree on state, reason and text need no announcement. */
export const sameVisible = (a: Pick<Availability, 'state' | 'reason' | 'statusText'>, b: Pick<Availability, 'state' | 'reason' | 'statusText'>): boolean =>
  a.state === b.state && a.reason === b.reason && a.statusText === b.statusText;

/** How many moments ahead nextChangeAt looks for one that changes something visible. */
const LOOKAHEAD = 16;

function chosenHolds(inputs: AvailabilityInputs, now: number): boolean {
  return inputs.status !== null && (inputs.status.until === null || now < inputs.status.until);
}

function overridesWorkingHours(inputs: AvailabilityInputs, hours: WorkingHours, now: number): boolean {
  if (!inputs.online || inputs.explicitOnlineAt === null || isOpen(hours, inputs.explicitOnlineAt)) return false;
  const opening = nextOpening(hours, inputs.explicitOnlineAt);
  return opening === null || now < opening;
}

/** The state, reason and text at `now`, without the next change. */
function stateAt(inputs: AvailabilityInputs, now: number): Omit<Availability, 'nextChangeAt'> {
  const chosen = chosenHolds(inputs, now) ? inputs.status! : null;
  const statusText = chosen?.text ?? null;
  if (!inputs.online) return { state: 'offline', reason: 'chosen_offline', statusText };
  const hours = inputs.workingHours;
  if (hours && !isOpen(hours, now) && !overridesWorkingHours(inputs, hours, now)) return { state: 'offline', reason: 'outside_working_hours', statusText };
  if (inputs.aliveUntil === null || now >= inputs.aliveUntil) return { state: 'offline', reason: 'no_sign_of_life', statusText };
  if (chosen && chosen.status !== 'available') return { state: chosen.status, reason: chosen.missedOffer ? 'missed_offer' : 'chosen', statusText };
  if (inputs.maxChats !== null && (inputs.activeChats ?? 0) >= inputs.maxChats) return { state: 'busy', reason: 'at_capacity', statusText };
  if (inputs.lastActiveAt !== null && now >= inputs.lastActiveAt + inputs.idleAfterMs) return { state: 'away', reason: 'idle', statusText };
  return { state: 'available', reason: 'ready', statusText };
}

/** `moment` when it is a finite moment after `at` and before `earliest`; otherwise `earliest`. */
const earlier = (earliest: number | null, moment: number | null | undefined, at: number): number | null =>
  moment !== null && moment !== undefined && Number.isFinite(moment) && moment > at && (earliest === null || moment < earliest) ? moment : earliest;

/**
 * The earliest moment after `at` at which any input's effect changes by itself. (Without a
 * closure: the rule runs several times for every agent a burst judges.)
 */
function nextCandidate(inputs: AvailabilityInputs, at: number): number | null {
  let earliest = earlier(null, inputs.status?.until, at);
  // Chosen offline holds whatever the clock does; only the text's lapse shows.
  if (!inputs.online) return earliest;
  earliest = earlier(earliest, inputs.aliveUntil, at);
  if (inputs.lastActiveAt !== null) earliest = earlier(earliest, inputs.lastActiveAt + inputs.idleAfterMs, at);
  if (inputs.workingHours) {
    // While an explicit override holds, the schedule's boundaries change nothing; its end does.
    if (!overridesWorkingHours(inputs, inputs.workingHours, at)) earliest = earlier(earliest, nextBoundary(inputs.workingHours, at), at);
    if (inputs.explicitOnlineAt !== null && !isOpen(inputs.workingHours, inputs.explicitOnlineAt))
      earliest = earlier(earliest, nextOpening(inputs.workingHours, inputs.explicitOnlineAt), at);
  }
  return earliest;
}

/** The availability rule (see the table above): the agent's state at `now`, and when it next changes by itself. */
export function deriveAvailability(inputs: AvailabilityInputs, now: number): Availability {
  const current = stateAt(inputs, now) as Availability;
  let at = now;
  for (let step = 0; step < LOOKAHEAD; step++) {
    const candidate = nextCandidate(inputs, at);
    if (candidate === null || !sameVisible(stateAt(inputs, candidate), current)) {
      current.nextChangeAt = candidate;
      return current;
    }
    at = candidate;
  }
  // Looked far enough without a change: a re-check at the last moment looked at, which finds
  // nothing to announce and looks further.
  current.nextChangeAt = at;
  return current;
}

/** Whether the seed's `online` shows true: every state but offline. */
export const listedOnline = (state: AvailabilityState): boolean => state !== 'offline';
