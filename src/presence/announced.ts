import { sameVisible, type AvailabilityReason, type AvailabilityState } from '../availability/rule.js';
import type { MemberPresenceRow } from './member-store.js';

/*
 * What was announced of a member, as values. The database keeps what was shown as one text
 * column (presence_announced.visible), written and read only here; everything else compares
 * the values.
 */

/** What clients see of an agent's state: the rule's state, reason and text, and the end of a chosen status while it holds. */
export interface Shown {
  state: AvailabilityState;
  reason: AvailabilityReason;
  statusText: string | null;
  until: number | null;
}

/** What an entry announces beside its timestamps: news when any of it differs from the last announcement. */
export interface Announced {
  online: boolean;
  connected: boolean;
  devices: number;
  /** Null for an announcement made before the availability model (its state is unknown). */
  shown: Shown | null;
}

/** Shown as stored: JSON `[state, reason, text, until]`. */
export const shownText = (shown: Shown): string => JSON.stringify([shown.state, shown.reason, shown.statusText, shown.until]);

/** Shown from its stored text (null: nothing stored). */
export function shownFrom(text: string | null | undefined): Shown | null {
  if (text === null || text === undefined) return null;
  const [state, reason, statusText, until] = JSON.parse(text) as [AvailabilityState, AvailabilityReason, string | null, number | null];
  return { state, reason, statusText, until };
}

/** What was last announced for the member (null: nothing yet). */
export function announcedOf(row: MemberPresenceRow): Announced | null {
  if (row.announced_online === null) return null;
  return {
    online: Number(row.announced_online) === 1,
    connected: Number(row.announced_connected) === 1,
    devices: Number(row.announced_devices ?? 0),
    shown: shownFrom(row.announced_visible),
  };
}

/** Whether an entry would announce nothing new after `last`. */
export const sameAnnouncement = (last: Announced | null, now: Announced): boolean =>
  last !== null &&
  last.online === now.online &&
  last.connected === now.connected &&
  last.devices === now.devices &&
  last.shown !== null &&
  now.shown !== null &&
  sameVisible(last.shown, now.shown) &&
  last.shown.until === now.shown.until;

/** Whether the state, reason and text are the ones last announced (a new `until` alone is no new state). */
export const sameStateAnnounced = (last: Announced | null, now: Pick<Shown, 'state' | 'reason' | 'statusText'>): boolean =>
  last !== null && last.shown !== null && sameVisible(last.shown, now);
