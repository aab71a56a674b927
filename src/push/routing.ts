import type { AvailabilityReason, AvailabilityState } from '../availability/rule.js';

/**
 * Who gets a push: the rule, pure. For each member of a notification's audience, either null
 * (its devices get the push) or the reason it is skipped, recorded on its delivery.
 *
 * | skipped with          | when                                                              |
 * |-----------------------|-------------------------------------------------------------------|
 * | `muted`               | the agent muted the notification's type (not for `critical`)      |
 * | `do_not_disturb`      | the agent's state is dnd (not for `critical`)                     |
 * | `outside_working_hours` | the agent is outside working hours (not for `critical`)        |
 * | `connected`           | a stream of the agent is open (the console shows it), unless the agent set pushWhenConnected |
 *
 * A test an agent sends to its own devices ("Send me a test notification") skips nothing: it
 * is there to show that a device receives pushes, whatever the agent's settings.
 *
 * States here are the rule's with liveness set aside (the agent's intent): an agent whose tab
 * is closed has no sign of life and is listed offline, and that is exactly when a push helps.
 * The audience "available" holds only agents whose intent is available, so for it
 * do_not_disturb and outside_working_hours never apply; they matter for "all" and for a list of
 * agent ids.
 */
export type SkipReason = 'muted' | 'do_not_disturb' | 'outside_working_hours' | 'connected';

export interface Recipient {
  mutedTypes: readonly string[];
  connected: boolean;
  pushWhenConnected: boolean;
  state: AvailabilityState;
  reason: AvailabilityReason;
}

export interface Notice {
  type: string;
  priority: 'normal' | 'critical';
  /** A test the agent sends to itself. */
  toSelf?: boolean;
}

export function skipReason(recipient: Recipient, notice: Notice): SkipReason | null {
  if (notice.toSelf) return null;
  const critical = notice.priority === 'critical';
  if (!critical && recipient.mutedTypes.includes(notice.type)) return 'muted';
  if (!critical && recipient.state === 'dnd') return 'do_not_disturb';
  if (!critical && recipient.reason === 'outside_working_hours') return 'outside_working_hours';
  if (recipient.connected && !recipient.pushWhenConnected) return 'connected';
  return null;
}

/** Whether a member belongs to the audience "available" (given its state with liveness set aside). */
export const inAvailableAudience = (state: AvailabilityState): boolean => state === 'available';
