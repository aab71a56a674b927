import type { AvailabilityState } from '../availability/rule.js';

/**
 * When an agent is gone for its chats, and since when its chats are orphaned: pure rules, used
 * by the sweep that finds candidates and again by the unit of work that decides, under the
 * chatbot's lock.
 */

/** The states in which an agent is gone for its chats: not busy (still at work), not available. */
const ABSENT: ReadonlySet<AvailabilityState> = new Set(['offline', 'away', 'dnd']);

/** Whether an agent's announced state (null: never announced, so offline) is gone for its chats. Pure. */
export function isAbsent(state: AvailabilityState | null): boolean {
  return ABSENT.has(state ?? 'offline');
}

/**
 * When an open assignment becomes orphaned: its agent's announced state is offline, away or
 * do-not-disturb (isAbsent), and has been since `since` (or since the assignment, if later)
 * for `reassignAfterSeconds`. Null while the agent is available or busy. Pure.
 */
export function orphanedAt(state: AvailabilityState | null, since: number | null, assignedAt: number, reassignAfterSeconds: number): number | null {
  if (!isAbsent(state)) return null;
  return Math.max(since ?? assignedAt, assignedAt) + reassignAfterSeconds * 1000;
}
