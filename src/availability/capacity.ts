/**
 * An agent's chats as the rule counts them, when both an integration's report
 * (`PUT …/capacity`, activeChats) and the service's assignments (assignments/) may say: the
 * larger of the two. An integration that reports every chat the agent has (assigned here or not)
 * is taken at its word; one that reports nothing, or only part, never lets the assignments be
 * undercounted. Without assignments the report stands alone (null: nothing reported). Pure.
 */
export function effectiveActiveChats(reported: number | null, assigned: number): number | null {
  if (assigned <= 0) return reported;
  return Math.max(reported ?? 0, assigned);
}

/** Whether the agent has room for one more chat: no maxChats means no limit. Pure. */
export function hasRoom(activeChats: number | null, maxChats: number | null): boolean {
  return maxChats === null || (activeChats ?? 0) < maxChats;
}
