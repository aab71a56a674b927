import { effectiveActiveChats, hasRoom } from '../availability/capacity.js';
import { chooseAgent, ineligibility, type Candidate, type Considered, type Strategy } from './choose.js';

/**
 * The waiting queue's rules, pure: the order of waiting chats, which of them the members take
 * when capacity frees (planDrain), where a chat stands and how long it may still wait, and the
 * states a chat moves through. The unit of work that stores a drain runs them under the
 * chatbot's lock (service.ts).
 */

/**
 * A chat's states: waiting in the queue, offered to an agent (the chatbot asks agents to accept:
 * offers.ts), assigned to an agent, or ended (released after it was offered or assigned,
 * cancelled or expired while waiting).
 */
export const CHAT_STATES = ['waiting', 'offered', 'assigned', 'released', 'cancelled', 'expired'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

/**
 * What moves a chat: a request, the queue draining, a transfer, DELETE, its wait running out;
 * with offers, an arrival or a drain that offers it, the agent accepting, and a decline or a miss
 * that passes it on to the next agent or returns it to the queue.
 */
export type ChatEvent =
  | 'arrive_and_assign'
  | 'arrive_and_offer'
  | 'arrive_and_wait'
  | 'drained'
  | 'drained_to_offer'
  | 'accept'
  | 'pass_on'
  | 'return_to_queue'
  | 'transfer'
  | 'end'
  | 'expire';

/**
 * The state machine of one conversation's chat: its state after the event, or null when the
 * event does not apply. `undefined` is a conversation without a chat, and an ended chat is as
 * good as none: the conversation may start again (a new chat). DELETE ends a waiting chat as
 * cancelled and an offered or assigned one as released; a transfer assigns an offered chat
 * directly (whoever moves it decided).
 */
export function nextChatState(state: ChatState | undefined, event: ChatEvent): ChatState | null {
  const open = state === 'waiting' || state === 'offered' || state === 'assigned';
  switch (event) {
    case 'arrive_and_assign':
      return open ? null : 'assigned';
    case 'arrive_and_offer':
      return open ? null : 'offered';
    case 'arrive_and_wait':
      return open ? null : 'waiting';
    case 'drained':
      return state === 'waiting' ? 'assigned' : null;
    case 'drained_to_offer':
      return state === 'waiting' ? 'offered' : null;
    case 'accept':
      return state === 'offered' ? 'assigned' : null;
    case 'pass_on':
      return state === 'offered' ? 'offered' : null;
    case 'return_to_queue':
      return state === 'offered' ? 'waiting' : null;
    case 'transfer':
      return state === 'assigned' || state === 'offered' ? 'assigned' : null;
    case 'end':
      return state === 'waiting' ? 'cancelled' : state === 'assigned' || state === 'offered' ? 'released' : null;
    case 'expire':
      return state === 'waiting' ? 'expired' : null;
  }
}

export const PRIORITY_MIN = -100;
export const PRIORITY_MAX = 100;
export const PRIORITY_DEFAULT = 0;
/** The longest a chat may wait (and the wait of one without maxWaitSeconds): a day. */
export const MAX_WAIT_SECONDS = 86_400;

/** Arrival times fit in 42 bits until the year 2109, so a priority step is worth more than any arrival. */
const ARRIVAL_SPAN = 2 ** 42;

/**
 * The queue's order as one number, smallest first: higher priority first, then earlier arrival
 * (ties by conversation id, beside it). At most (200 + 1) × 2^42 < 2^53: an exact integer.
 */
export function queueOrder(priority: number, arrivedAt: number): number {
  return (PRIORITY_MAX - priority) * ARRIVAL_SPAN + arrivedAt;
}

/** When a chat arriving at `arrivedAt` expires: after its maxWaitSeconds, or the longest wait. */
export function expiresAt(arrivedAt: number, maxWaitSeconds: number | null): number {
  return arrivedAt + Math.min(maxWaitSeconds ?? MAX_WAIT_SECONDS, MAX_WAIT_SECONDS) * 1000;
}

/** A member as a drain sees it: the candidate, and what its load is made of (see availability/capacity.ts). */
export type Member = Candidate & { reported: number | null; assigned: number };

/**
 * One more (or one fewer) open assignment of a member, in a copy the caller owns: its load as
 * the rule counts it, and its state where only the load decides it (full: busy at capacity;
 * room again: available). `at`: the assignment's time (round robin's order).
 */
export function changeLoad(members: readonly Member[], agentId: string, delta: 1 | -1, at?: number): void {
  const member = members.find((candidate) => candidate.agentId === agentId);
  if (!member) return;
  member.assigned += delta;
  member.activeChats = effectiveActiveChats(member.reported, member.assigned);
  if (delta > 0 && member.state === 'available' && !hasRoom(member.activeChats, member.maxChats)) Object.assign(member, { state: 'busy', reason: 'at_capacity' });
  if (delta < 0 && member.reason === 'at_capacity' && hasRoom(member.activeChats, member.maxChats)) Object.assign(member, { state: 'available', reason: 'ready' });
  if (at !== undefined) member.lastAssignedAt = at;
}

/** A waiting chat as the drain sees it, in queue order. */
export interface QueuedChat {
  conversationId: string;
  strategy: Strategy;
  preferredAgentId: string | null;
  excludeAgentIds: readonly string[];
  /** Skills its taker must hold (none: anyone). */
  requiredSkills?: readonly string[];
}

export interface Taken<C extends QueuedChat> {
  chat: C;
  chosen: Candidate;
  considered: Considered[];
  /** The moment its assignment is recorded at (each one after the last, for round robin). */
  at: number;
}

/**
 * Which waiting chats the members take now, in queue order: each chat goes to the member its
 * own request would choose (strategy, preferred, excluded, required skills), every choice seeing
 * the loads the ones before it added. A chat nobody may take (all it would accept are excluded,
 * or lack its skills) is passed over and does not hold up those behind it; the drain ends when no member has room for any.
 * Changes `members` (the caller's copy) as the assignments would. `firstAt`: the moment the
 * first one is recorded at.
 */
export function planDrain<C extends QueuedChat>(waiting: readonly C[], members: Member[], firstAt: number): Array<Taken<C>> {
  const taken: Array<Taken<C>> = [];
  let at = firstAt;
  for (const chat of waiting) {
    if (!members.some((member) => ineligibility(member) === null)) break;
    const { chosen, considered } = chooseAgent(members, {
      strategy: chat.strategy,
      preferredAgentId: chat.preferredAgentId,
      exclude: new Set(chat.excludeAgentIds),
      requiredSkills: chat.requiredSkills ?? [],
    });
    if (!chosen) continue;
    taken.push({ chat, chosen: { ...chosen }, considered, at });
    changeLoad(members, chosen.agentId, 1, at);
    at += 1;
  }
  return taken;
}

/** Handle time assumed when a chatbot has released no chat lately: five minutes. */
export const DEFAULT_HANDLE_SECONDS = 300;

/**
 * The estimated wait of the chat at `position` (1: next) in seconds: the chats up to it leave
 * the queue as the working members' slots turn over, `slots` at a time every `handleSeconds`
 * (the chatbot's recent mean handle time), so the chat at position k waits about
 * k × handleSeconds / slots. Slots are the members working now (available, or busy at
 * capacity): their maxChats each (one without a limit counts its chats now, at least one).
 * Null when nobody is working: nobody will free a slot until someone comes (nextAvailableAt
 * says when that is expected).
 */
export function estimateWaitSeconds(position: number, members: readonly Pick<Candidate, 'state' | 'reason' | 'activeChats' | 'maxChats'>[], handleSeconds: number): number | null {
  const slots = members
    .filter((member) => member.state === 'available' || member.reason === 'at_capacity')
    .reduce((sum, member) => sum + (member.maxChats ?? Math.max(member.activeChats ?? 0, 1)), 0);
  if (slots === 0) return null;
  return Math.round((position * handleSeconds) / slots);
}

/** The mean handle time of recently released chats, seconds (DEFAULT_HANDLE_SECONDS without any). */
export function meanHandleSeconds(handledMillis: readonly number[]): number {
  const valid = handledMillis.filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (valid.length === 0) return DEFAULT_HANDLE_SECONDS;
  return valid.reduce((sum, ms) => sum + ms, 0) / valid.length / 1000;
}
