/**
 * When an agent is gone for its chats, and since when its chats are orphaned: pure rules, used
 * by the sweep that finds candidates and again by the unit of work that decides, under the
 * chatbot's lock.
 */

/** The states in which an agent is gone for its chats: not busy (still at work), not available. */
const ABSENT = new Set(['offline', 'away', 'dnd']);

/** Whether an agent's announced state (`visible`, the JSON `[state, reason, text, until]`; null: never announced, offline) is gone for its chats. Pure. */
export function isAbsent(visible: string | null): boolean {
  return ABSENT.has(visible === null ? 'offline' : (JSON.parse(visible) as [string])[0]);
}

/**
 * When an open assignment becomes orphaned: its agent's announced state is offline, away or
 * do-not-disturb (isAbsent), and has been since `since` (or since the assignment, if later)
 * for `reassignAfterSeconds`. Null while the agent is available or busy. Pure.
 */
export function orphanedAt(visible: string | null, since: number | null, assignedAt: number, reassignAfterSeconds: number): number | null {
  if (!isAbsent(visible)) return null;
  return Math.max(since ?? assignedAt, assignedAt) + reassignAfterSeconds * 1000;
}
