import { hasRoom } from '../availability/capacity.js';
import { missingSkills } from './skills.js';

export const STRATEGIES = ['least_loaded', 'round_robin'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A member as the choice sees it: its derived state and reason, its load, and when it was last given a chat. */
export interface Candidate {
  agentId: string;
  name: string;
  state: string;
  reason: string;
  /** Chats it has now (the larger of reported and assigned; see availability/capacity.ts). */
  activeChats: number | null;
  maxChats: number | null;
  lastAssignedAt: number | null;
  /** Its skills in the chatbot (assignments/skills.ts). */
  skills: readonly string[];
}

/**
 * Why a member was or was not chosen, one stable word each:
 * - `chosen`: it takes the chat;
 * - `preferred`: chosen because the request preferred it (it was eligible);
 * - `ranked_lower`: eligible, but another came first by the strategy;
 * - `excluded`: the request excluded it;
 * - `missing_skill`: it lacks a skill the chat requires (`missingSkills` names them);
 * - `at_capacity`: available, but with no room (activeChats ≥ maxChats);
 * - `not_available`: its state is not available (see `state` and `reason`).
 */
export type Outcome = 'chosen' | 'preferred' | 'ranked_lower' | 'excluded' | 'missing_skill' | 'at_capacity' | 'not_available';

/**
 * A member as the answer explains it: the candidate as judged, without its ordering detail or
 * skills, and why; `missingSkills` only with `missing_skill`.
 */
export type Considered = Omit<Candidate, 'lastAssignedAt' | 'skills'> & { outcome: Outcome; missingSkills?: string[] };

export interface Request {
  strategy: Strategy;
  preferredAgentId?: string | null;
  exclude?: ReadonlySet<string>;
  /** Skills the taker must hold, every one (none: anyone). */
  requiredSkills?: readonly string[];
}

/** Spare room: how many more chats it can take (no maxChats: without limit). */
const spare = (candidate: Candidate) => (candidate.maxChats === null ? Number.POSITIVE_INFINITY : candidate.maxChats - (candidate.activeChats ?? 0));
/** Longest since last assigned first; never assigned before all. */
const sinceAssigned = (a: Candidate, b: Candidate) => (a.lastAssignedAt ?? Number.NEGATIVE_INFINITY) - (b.lastAssignedAt ?? Number.NEGATIVE_INFINITY);
const byName = (a: Candidate, b: Candidate) => a.name.localeCompare(b.name) || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);

/** The strategies' orders, best first. */
const ORDERS: Record<Strategy, (a: Candidate, b: Candidate) => number> = {
  // Most spare room, then longest since last assigned, then name.
  least_loaded: (a, b) => spare(b) - spare(a) || sinceAssigned(a, b) || byName(a, b),
  // Longest since last assigned (among those with room), then name.
  round_robin: (a, b) => sinceAssigned(a, b) || byName(a, b),
};

/**
 * Whether a member may take a chat: not excluded, holding the skills it requires, available,
 * with room; the outcome word when not (what it could never do before what it cannot do now).
 */
export function ineligibility(candidate: Candidate, exclude: ReadonlySet<string> = new Set(), requiredSkills: readonly string[] = []): Outcome | null {
  if (exclude.has(candidate.agentId)) return 'excluded';
  if (missingSkills(candidate.skills, requiredSkills).length > 0) return 'missing_skill';
  if (candidate.state !== 'available') return candidate.reason === 'at_capacity' ? 'at_capacity' : 'not_available';
  if (!hasRoom(candidate.activeChats, candidate.maxChats)) return 'at_capacity';
  return null;
}

/**
 * Who takes the next chat, and why each member was or was not chosen. The preferred agent when
 * eligible; otherwise the first eligible one by the strategy; null when none is. Every member
 * is in `considered`, in the order the strategy ranks the eligible ones, then the others by
 * name. Pure: the unit of work that stores the choice runs it under the chatbot's lock.
 */
export function chooseAgent(candidates: readonly Candidate[], request: Request): { chosen: Candidate | null; considered: Considered[] } {
  const exclude = request.exclude ?? new Set<string>();
  const required = request.requiredSkills ?? [];
  const eligible = candidates.filter((candidate) => ineligibility(candidate, exclude, required) === null).sort(ORDERS[request.strategy]);
  const preferred = request.preferredAgentId ? eligible.find((candidate) => candidate.agentId === request.preferredAgentId) : undefined;
  const chosen = preferred ?? eligible[0] ?? null;
  const describe = (candidate: Candidate, outcome: Outcome): Considered => ({
    agentId: candidate.agentId,
    name: candidate.name,
    state: candidate.state,
    reason: candidate.reason,
    activeChats: candidate.activeChats,
    maxChats: candidate.maxChats,
    outcome,
    ...(outcome === 'missing_skill' ? { missingSkills: missingSkills(candidate.skills, required) } : {}),
  });
  const considered = [
    ...eligible.map((candidate) => describe(candidate, candidate === chosen ? (preferred ? 'preferred' : 'chosen') : 'ranked_lower')),
    ...candidates
      .filter((candidate) => !eligible.includes(candidate))
      .sort(byName)
      .map((candidate) => describe(candidate, ineligibility(candidate, exclude, required)!)),
  ];
  return { chosen, considered };
}
