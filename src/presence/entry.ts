import { effectiveActiveChats } from '../availability/capacity.js';
import {
  deriveAvailability,
  sameVisible,
  type Availability,
  type AvailabilityInputs,
  type AvailabilityReason,
  type AvailabilityState,
  type ChosenStatus,
  SET_BY_MISSED_OFFER,
} from '../availability/rule.js';
import { announcedOf, sameStateAnnounced, type Announced, type Shown } from './announced.js';
import { isoTime } from '../http-schemas.js';
import { openingAfter } from '../availability/next-available.js';
import { agentLiveness, type LivenessSettings } from './liveness.js';
import type { MemberPresenceRow } from './member-store.js';
import type { AgentPresence } from './schemas.js';

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(Number(a), Number(b)));
const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const numberOrNull = (value: number | null) => (value === null ? null : Number(value));

/**
 * One member's list entry at `at`, derived by the availability rule from its stored row, with
 * what clients see of its state (`shown`: with online, connected and devices, what must match
 * the last announcement for the entry to be no news), and the moment
 * it next changes by itself (`nextChangeAt`: a deadline to watch, and when a cached list goes
 * stale).
 */
export function listedEntry(
  row: MemberPresenceRow,
  at: number,
  liveness: LivenessSettings,
): {
  entry: AgentPresence;
  /** What clients see of its state; history keeps its state, reason and text. */
  shown: Shown;
  /** What was last announced of it (null: nothing yet). */
  last: Announced | null;
  /** Who set the state when not the agent itself or the clock (a supervisor), for the event and history. */
  setBy: string | null;
  since: number;
  nextChangeAt: number | null;
  /** When the agent is available: `at` if now, its next change if that makes it available, else null. */
  availableAt: () => number | null;
  /**
   * The schedule's answer for the agent: the next opening of its working hours (closed now), if
   * it chose to be online and would be available then, present and active; else null.
   */
  openingAt: () => number | null;
  /** The state and reason with liveness set aside: what the agent means to be, tab open or not (who gets a push). */
  intent: () => { state: AvailabilityState; reason: AvailabilityReason };
} {
  const { aliveUntil, devices, connected, nextDeviceChangeAt } = agentLiveness(row.devices, at, liveness);
  const statusUntil = numberOrNull(row.status_until);
  const inputs: AvailabilityInputs = {
    // The seed lists an agent online only once it chose to be. One never seen at all is
    // offline for want of a sign of life; one seen (a stream) that never chose, as offline.
    online: row.online === null ? aliveUntil === null : Number(row.online) === 1,
    explicitOnlineAt: explicitOnlineAt(row),
    aliveUntil,
    status: row.status === null ? null : { status: row.status as ChosenStatus, text: row.status_text, until: statusUntil, missedOffer: row.status_set_by === SET_BY_MISSED_OFFER },
    lastActiveAt: numberOrNull(row.last_active_at),
    idleAfterMs: Number(row.idle_after_seconds) * 1000,
    activeChats: effectiveActiveChats(numberOrNull(row.active_chats), Number(row.assigned_chats ?? 0)),
    maxChats: numberOrNull(row.max_chats),
    workingHours: row.schedule,
  };
  const derived = deriveAvailability(inputs, at);
  const chosenHolds = row.status !== null && (statusUntil === null || at < statusUntil);
  const shownUntil = chosenHolds ? statusUntil : null;
  const shown: Shown = { state: derived.state, reason: derived.reason, statusText: derived.statusText, until: shownUntil };
  const last = announcedOf(row);
  const since = sinceOf(row, last, derived, at, (moment) => deriveAvailability(inputs, moment));
  // The entry changes when the rule's output does, when a shown `until` passes (a chosen
  // "available until 17:00" lapses into the same state, but the entry shows it), and when a
  // device dies (the count of devices alive changes).
  const nextChangeAt = earliest(earliest(derived.nextChangeAt, shownUntil !== null && shownUntil > at ? shownUntil : null), nextDeviceChangeAt);
  const online = derived.state !== 'offline';
  const setBy = setByOf(derived, row, chosenHolds);
  return {
    entry: {
      agentId: row.agent_id,
      name: row.name,
      online,
      connected,
      lastSeenAt: isoTime(maxOrNull(row.last_seen_at, row.stream_seen_at)),
      updatedAt: isoTime(row.updated_at),
      state: derived.state,
      reason: derived.reason,
      statusText: derived.statusText,
      statusUntil: isoTime(shownUntil),
      since: isoTime(since)!,
      lastActiveAt: isoTime(row.last_active_at),
      activeChats: inputs.activeChats,
      maxChats: numberOrNull(row.max_chats),
      setBy,
      devices,
    },
    shown,
    last,
    setBy,
    since,
    nextChangeAt,
    intent: () => {
      // Only an agent that chose to be online means to be reached (one never seen has not).
      const { state, reason } = deriveAvailability({ ...inputs, online: Number(row.online) === 1, aliveUntil: Number.POSITIVE_INFINITY }, at);
      return { state, reason };
    },
    availableAt: () => {
      if (derived.state === 'available') return at;
      // An agent alive now (a stream open, or a post within the TTL) is taken to stay alive: its
      // client keeps its stream or its heartbeat, so the answer is when its status lapses, not
      // when its device would die were it to stop. One with no sign of life is not due back.
      const staying = aliveUntil !== null && aliveUntil > at ? { ...inputs, aliveUntil: Number.POSITIVE_INFINITY } : inputs;
      const next = deriveAvailability(staying, at).nextChangeAt;
      if (next === null) return null;
      return deriveAvailability(staying, next).state === 'available' ? next : null;
    },
    openingAt: () => {
      if (Number(row.online) !== 1) return null;
      const opening = openingAfter(inputs.workingHours, at);
      if (opening === null) return null;
      return deriveAvailability({ ...inputs, aliveUntil: Number.POSITIVE_INFINITY, lastActiveAt: null }, opening).state === 'available' ? opening : null;
    },
  };
}

/** The latest explicit choice to be online: the flag turned on, or a status the agent chose itself. */
function explicitOnlineAt(row: MemberPresenceRow): number | null {
  const turnedOn = Number(row.online) === 1 ? numberOrNull(row.online_changed_at) : null;
  const chose = row.status !== null && row.status_set_by === null ? numberOrNull(row.status_set_at) : null;
  return maxOrNull(turnedOn, chose);
}

/** How many of the rule's own changes are walked to find when an unannounced one happened. */
const SINCE_STEPS = 8;

/**
 * Since when the entry's state, reason and text have held (a change of `until` alone is no new
 * state): the announced moment while they are what was announced; for a change not announced
 * yet that the clock made (a lapse, an idle timeout, read before its deadline fired or after a
 * restart), the moment the rule says it happened; otherwise (a change a request made) now.
 */
function sinceOf(row: MemberPresenceRow, last: Announced | null, now: Availability, at: number, stateAt: (moment: number) => Availability): number {
  if (row.announced_since === null) return at;
  const announcedSince = Number(row.announced_since);
  if (sameStateAnnounced(last, now)) return announcedSince;
  let moment = announcedSince;
  for (let step = 0; step < SINCE_STEPS; step++) {
    const next = stateAt(moment).nextChangeAt;
    if (next === null || next > at) break;
    if (sameVisible(stateAt(next), now)) return next;
    moment = next;
  }
  return at;
}

/**
 * Who set the status that stands, when not the agent itself or the clock (a supervisor): the
 * chosen status's setter while it decides the state (away, busy, dnd, or available as chosen),
 * the online flag's while that does (offline as chosen, or available without a chosen
 * status); nobody when the clock or the agent's devices decide (idle, capacity, hours, no
 * sign of life).
 */
export function setByOf(
  derived: { state: string; reason: string },
  row: { status: string | null; status_set_by: string | null; online_set_by: string | null },
  chosenHolds: boolean,
): string | null {
  if (derived.reason === 'chosen') return row.status_set_by;
  if (derived.reason === 'chosen_offline') return row.online_set_by;
  if (derived.reason !== 'ready') return null;
  return chosenHolds && row.status === 'available' ? row.status_set_by : row.online_set_by;
}
