import type { SignOfLife } from './device-store.js';
import type { Standing, StatusUpdate } from './store.js';
import type { Work } from './work.js';
import { agentKey } from './agent-key.js';

/*
 * How a unit of work (unit-of-work.ts) orders and folds its works: pure, table-tested in
 * test/presence-rules.test.ts.
 */

/**
 * The works in rounds: a whole chatbot's work after every round touching the chatbot (in a round
 * of its own, or, for works marked `together` (assignments), sharing the chatbot's latest round
 * when it is theirs); an agent's work in the first round after the chatbot's last whole round,
 * with that agent's other works there. So a unit of many works over a few agents, each posting
 * several times, takes one round, not one per repeat: the round runs each agent's writes in the
 * order submitted, folds its status updates and each device's posts into one row each
 * (foldStatusUpdates, foldPosts) and judges the agent once, after all of them. An agent's state
 * that lasted only between two works of one unit (a few milliseconds) is not announced: the
 * unit announces where its agents ended, which is also how a flapping client's burst reaches
 * the stream.
 */
export function rounds(works: readonly Work[]): Work[][] {
  const result: Work[][] = [];
  const touchedRound = new Map<string, number>();
  const wholeRound = new Map<string, number>();
  const togetherRound = new Map<string, number>();
  for (const work of works) {
    const { chatbotId, agentIds } = work;
    // Works that go together join the chatbot's latest round when it is theirs (nothing of the chatbot after it).
    const last = touchedRound.get(chatbotId);
    if (!agentIds && work.together && last !== undefined && togetherRound.get(chatbotId) === last) {
      result[last]!.push(work);
      continue;
    }
    const round = ((agentIds ? wholeRound.get(chatbotId) : last) ?? -1) + 1;
    (result[round] ??= []).push(work);
    touchedRound.set(chatbotId, Math.max(last ?? -1, round));
    if (!agentIds) wholeRound.set(chatbotId, round);
    if (!agentIds && work.together) togetherRound.set(chatbotId, round);
  }
  return result;
}

/**
 * A round's status updates, one per agent: last writer wins among them as it does against the
 * stored row (the greatest clientTimestamp; of equal ones, the later submitted), with the latest
 * sign of life of them all. What each of them is answered: standingOf.
 */
export function foldStatusUpdates(updates: readonly StatusUpdate[]): StatusUpdate[] {
  const folded = new Map<string, StatusUpdate>();
  for (const update of updates) {
    const key = agentKey(update.chatbot_id, update.agent_id);
    const held = folded.get(key);
    if (!held) {
      folded.set(key, update);
      continue;
    }
    const winner = update.client_ts >= held.client_ts ? update : held;
    folded.set(key, { ...winner, last_seen_at: Math.max(held.last_seen_at, update.last_seen_at) });
  }
  return [...folded.values()];
}

/**
 * What one of an agent's folded status updates is answered, given what stood after the winner:
 * an update older than the winner was refused by it; one with the winner's clientTimestamp
 * came before it in that order (ties go to the later), so it applied in its turn and its own
 * values stood until the winner's replaced them.
 */
export function standingOf(update: StatusUpdate, afterWinner: Standing): Standing {
  if (update.client_ts !== Number(afterWinner.client_ts)) return afterWinner;
  return { ...afterWinner, online: update.online, updated_at: update.updated_at };
}

/** A round's posts, one per device (chatbot, agent, key): its latest. */
export function foldPosts(posts: readonly SignOfLife[]): SignOfLife[] {
  const folded = new Map<string, SignOfLife>();
  for (const post of posts) {
    const key = `${agentKey(post.chatbot_id, post.agent_id)}\n${post.key_id}`;
    const held = folded.get(key);
    if (!held || post.at > held.at) folded.set(key, post);
  }
  return [...folded.values()];
}
