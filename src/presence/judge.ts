import type { StateChange } from '../availability/changes.js';
import { orderedId } from '../ids.js';
import type { Claim } from './announcement-store.js';
import { sameAnnouncement, sameStateAnnounced, shownText } from './announced.js';
import { listedEntry } from './entry.js';
import type { LivenessSettings } from './liveness.js';
import type { MemberPresenceRow } from './member-store.js';

/** What judging members at a moment decided: each one's next change, what to announce, what to keep for a restart. */
export interface Judgement {
  /** Every member judged, with the next moment its entry changes by itself (a deadline to watch). */
  decided: Array<{ chatbotId: string; agentId: string; nextChangeAt: number | null }>;
  /** Members whose entry differs from what was last announced: the claim, the state change it is (null: none), and the interval it ends. */
  claims: Array<{ claim: Claim; state: StateChange | null; closes: string | null }>;
  /** Members whose announcement stands but whose stored next change would come too late for a restart to watch. */
  reschedule: Array<{ chatbot_id: string; agent_id: string; next_change_at: number }>;
  /** Members available (so with room) in chatbots where chats wait: the unit drains there when their load changed. */
  roomWhereWaiting: Array<{ chatbotId: string; agentId: string }>;
}

/**
 * Judges members at `at` with the rules (availability and device liveness, through
 * listedEntry): an entry is news when what it announces (announced.ts) differs from the last announcement. The unit of
 * work reads the rows, then claims, records and publishes what this decides; only the ids of
 * the history intervals a change opens are made here (ordered by time, so not pure).
 *
 * The stored next change only has to be no later than the true one (a restart judges every
 * chatbot with one pending, and an early judgement finds nothing and looks further), so it is
 * written with each announcement, and otherwise only when it would be missing or late: a
 * heartbeat moving an agent's expiry later writes nothing.
 */
export function judgeMembers(rows: readonly MemberPresenceRow[], at: number, liveness: LivenessSettings): Judgement {
  const judgement: Judgement = { decided: [], claims: [], reschedule: [], roomWhereWaiting: [] };
  for (const row of rows) {
    const { entry, shown, last, setBy, since, nextChangeAt } = listedEntry(row, at, liveness);
    judgement.decided.push({ chatbotId: row.chatbot_id, agentId: row.agent_id, nextChangeAt });
    if (entry.state === 'available' && row.chatbot_waiting) judgement.roomWhereWaiting.push({ chatbotId: row.chatbot_id, agentId: row.agent_id });
    if (sameAnnouncement(last, { online: entry.online, connected: entry.connected, devices: entry.devices, shown })) {
      const stored = row.announced_next_change_at === null ? null : Number(row.announced_next_change_at);
      if (nextChangeAt !== null && (stored === null || nextChangeAt < stored)) {
        judgement.reschedule.push({ chatbot_id: row.chatbot_id, agent_id: row.agent_id, next_change_at: nextChangeAt });
      }
      continue;
    }
    const stateChanged = !sameStateAnnounced(last, shown);
    const state: StateChange | null = stateChanged
      ? { id: orderedId('his', since), state: entry.state, reason: entry.reason, statusText: entry.statusText, from: since, setBy }
      : null;
    judgement.claims.push({
      claim: {
        chatbot_id: row.chatbot_id,
        agent_id: row.agent_id,
        online: entry.online ? 1 : 0,
        connected: entry.connected ? 1 : 0,
        devices: entry.devices,
        entry: JSON.stringify(entry),
        visible: shownText(shown),
        since,
        next_change_at: nextChangeAt,
        history_id: state ? state.id : row.announced_history_id,
      },
      state,
      closes: state ? row.announced_history_id : null,
    });
  }
  return judgement;
}
