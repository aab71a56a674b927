import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { AuditService } from '../audit/service.js';
import type { Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import type { PresenceService } from '../presence/service.js';
import { roundSlot, type Round, type RoundRead } from '../presence/work.js';
import { chooseAgent, ineligibility, STRATEGIES, type Candidate, type Considered, type Strategy } from './choose.js';
import { isAbsent, orphanedAt } from './absence.js';
import { assignmentStore, DRAIN_MOST, DRAIN_PAGES_MOST, type AssignmentRow, type EndedRow, type NewAssignment, type WaitingRow } from './store.js';
import {
  changeLoad as changeLoadOf,
  estimateWaitSeconds,
  expiresAt,
  MAX_WAIT_SECONDS,
  meanHandleSeconds,
  planDrain,
  PRIORITY_DEFAULT,
  PRIORITY_MAX,
  PRIORITY_MIN,
  queueOrder,
  type ChatState,
  type Member,
} from './queue.js';
import { NEW_CHAT_TTL_SECONDS, newChatNotice } from './notice.js';
import { MAX_MEMBER_SKILLS, MAX_REQUIRED_SKILLS, missingSkills, nextStepAt, requireSkills, requireSkillSteps, skillsInEffect, storedSkills, type SkillStep } from './skills.js';
import type { NotifyBody } from '../push/schemas.js';
import { reportPeriods, type ReportQuery } from '../availability/service.js';
import { waitReport, type WaitRow } from './wait-report.js';
import {
  awayAfterMissing,
  newOfferSecret,
  offerDeadline,
  offerSecretHash,
  offerSecretMatches,
  passedOver,
  tallyOffers,
  type OfferContext,
  type OfferOutcome,
  type OfferSettings,
} from './offers.js';
import type { SaidEvent } from '../presence/work.js';

export const CONVERSATION_ID_RULE = 'conversationId must be 1 to 200 visible characters (your own id for the conversation)';
const CONVERSATION_ID = /^[\x21-\x7E]{1,200}$/;

/** The service acting by itself (an orphaned chat moved): recorded as actor `service`. */
export type ServiceActor = { kind: 'service' };
const SERVICE: ServiceActor = { kind: 'service' };

/** What an announcement of orphaned chats says (`assignment.orphaned`): the agent gone, its conversations, and where those that moved went. */
export interface Orphaned {
  chatbotId: string;
  agentId: string;
  conversations: string[];
  moved: Array<{ conversationId: string; agentId: string }>;
}

export interface Assignment {
  conversationId: string;
  agentId: string;
  agentName: string;
  strategy: Strategy | 'transfer';
  assignedAt: string;
  /** The agent's load once given the chat. */
  activeChats: number | null;
  maxChats: number | null;
  /** Every member considered and why it was or was not chosen (as when it was assigned). */
  considered: Considered[];
  /** Offered, not yet accepted (the chatbot asks agents to accept): when the offer lapses; null: the chat is the agent's. */
  offerExpiresAt: string | null;
}

/** Nobody could take the chat: every member with the reason, and when someone is next expected. */
export interface NoAgent {
  considered: Considered[];
  nextAvailableAt: string | null;
}

export interface AssignInput {
  conversationId: string;
  strategy?: Strategy;
  preferredAgentId?: string | null;
  excludeAgentIds?: readonly string[];
  /** What the chat is about and the visitor's first words: in the assigned events and the list. */
  title?: string | null;
  preview?: string | null;
  /** Nobody can take it now: wait in the queue (202) rather than be refused (409). */
  wait?: boolean;
  /** Its place in the queue: higher first (PRIORITY_MIN to PRIORITY_MAX, default 0). */
  priority?: number;
  /** After this long waiting it expires (null: the longest wait, a day). */
  maxWaitSeconds?: number | null;
  /** Skills its agent must hold, every one (skills.ts). */
  requiredSkills?: readonly string[];
  /** Steps that relax requiredSkills as the chat waits (only with wait). */
  skillSteps?: readonly SkillStep[];
}

/**
 * A conversation's chat as it stands: waiting (with its place and estimate), assigned (its
 * agent), or ended (released, cancelled, expired). Fields that do not apply are null.
 */
export interface Chat {
  conversationId: string;
  state: ChatState;
  priority: number;
  /** When the chat asked for an agent (for a chat assigned at once, when it was assigned). */
  arrivedAt: string;
  /** Waiting: 1 for the next in line. */
  position: number | null;
  /** Waiting: seconds until an agent is expected to take it (null: nobody is working now). */
  estimatedWaitSeconds: number | null;
  /** Waiting: when it expires. */
  expiresAt: string | null;
  maxWaitSeconds: number | null;
  agentId: string | null;
  agentName: string | null;
  assignedAt: string | null;
  /** Released, cancelled or expired: when. */
  endedAt: string | null;
  title: string | null;
  preview: string | null;
  /** The skills its agent must hold ([] for none): for a waiting chat, those in effect now (its steps relax them). */
  requiredSkills: string[];
  /** Waiting: the steps that relax its requirement as it waits ([] for none); null in other states. */
  skillSteps: SkillStep[] | null;
  /** Offered: when the offer to agentId lapses; null in other states. */
  offerExpiresAt: string | null;
}

/** A chat put in the queue: where it stands, and why nobody could take it when it arrived. */
export type WaitingChat = Chat & { considered: Considered[]; nextAvailableAt: string | null };

/** Telling agents of their new chats: queue the push (push/service.ts notify), and say when that failed (the sweep tries again). */
export interface ChatNotices {
  /** Queues the pushes of one chatbot: per push, what queued it or the Error that refused it. */
  tell(chatbotId: string, pushes: ReadonlyArray<{ body: NotifyBody; idempotencyKey: string }>): Promise<unknown[]>;
  failed(error: unknown, row: Pick<NewAssignment, 'chatbot_id' | 'conversation_id' | 'agent_id'>): void;
}

/** How many agents are told at once (see tellLater), the most chats one of them tells together, and how many may wait to be told in memory. */
const TELLING_AT_ONCE = 4;
const TELL_BATCH_MOST = 100;
const TELL_QUEUE_MOST = 20_000;
/**
 * How long apart two looks must find no unit of work to let a tell go, and how long the oldest
 * chat waiting to be told may wait before its tell goes anyway (so a steady load never starves
 * the tells): longer than an opening burst takes to assign on SQLite (1.1–1.6 s), so its tells
 * go once the burst is assigned rather than in between its units. Past it, one teller at a time
 * goes without waiting (the others still wait for a quiet moment): four at once took the event
 * loop from the units still assigning.
 */
const QUIET_MS = 5;
export const TELL_WAIT_MOST_MS = 2_000;

/** How long after an assignment its push may still be on its way: older untold ones are the sweep's. */
export const TELL_GRACE_MS = 30_000;

/** What the stream and the webhooks say when a chat becomes an agent's (`assignment.created`, `assignment.transferred`). */
export interface AssignedEvent {
  chatbotId: string;
  conversationId: string;
  agentId: string;
  agentName: string;
  strategy: Strategy | 'transfer';
  assignedAt: string;
  /** The agent who had it (`assignment.transferred` only). */
  from?: string;
  title: string | null;
  preview: string | null;
  /** When the chat arrived (before assignedAt when it waited in the queue) and its priority. */
  arrivedAt: string;
  priority: number;
  /** The skills it was assigned under, and (`assignment.created` only) which step of its requirement that was (0: as asked; k: after the k-th step relaxed it). */
  requiredSkills: string[];
  skillStep?: number;
  /** `assignment.offered` only: when the offer lapses. */
  offerExpiresAt?: string;
  /** `assignment.accepted` only: when the agent accepted. */
  acceptedAt?: string;
}

/** Who accepts or declines an offer: the agent (its key), or the holder of the offer's secret (the push's Accept and Decline). */
export type OfferHand = { agentId: string } | { secret: string };

const PRIORITY_RULE = `priority must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`;
const MAX_WAIT_RULE = `maxWaitSeconds must be a whole number from 1 to ${MAX_WAIT_SECONDS}, or null`;

function requirePriority(value: number | undefined): number {
  const priority = value ?? PRIORITY_DEFAULT;
  if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) throw new AppError('invalid_request', PRIORITY_RULE);
  return priority;
}

function requireMaxWait(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_WAIT_SECONDS) throw new AppError('invalid_request', MAX_WAIT_RULE);
  return value;
}

function requireConversationId(value: string): string {
  if (!CONVERSATION_ID.test(value)) throw new AppError('invalid_request', CONVERSATION_ID_RULE);
  return value;
}

function requireStrategy(value: string | undefined): Strategy {
  const strategy = value ?? 'least_loaded';
  if (!(STRATEGIES as readonly string[]).includes(strategy)) throw new AppError('invalid_request', `strategy must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`);
  return strategy as Strategy;
}

/**
 * Assignments: who takes an integration's next chat. The choice (choose.ts) and the load it adds
 * are one unit of work under the chatbot's lock (presence.reconcile), so two chats arriving
 * together never both take an agent's last free slot, on one instance or many; the same unit
 * judges the chatbot again, so an agent the chat fills is announced busy (at_capacity) at once.
 * A conversation has at most one open assignment: assigning it again answers that one.
 */
export function assignmentService(db: Kysely<Database>, presence: PresenceService, audit: AuditService, now: () => number, notices?: ChatNotices) {
  const store = assignmentStore(db);

  // Skills as stored (JSON), parsed once per distinct list: a chatbot's members and chats share a few.
  const parsedSkills = new Map<string, string[]>();
  const skillsOf = (json: string | null | undefined): string[] => {
    if (!json || json === '[]') return [];
    let skills = parsedSkills.get(json);
    if (!skills) {
      if (parsedSkills.size >= 10_000) parsedSkills.clear();
      parsedSkills.set(json, (skills = storedSkills(json)));
    }
    return skills;
  };
  const stepsOf = (json: string | null | undefined): SkillStep[] => (!json || json === '[]' ? [] : (JSON.parse(json) as SkillStep[]));

  /** What the stream and the webhooks say of an assignment made or moved. */
  const assignedEvent = (row: NewAssignment, agentName: string, from?: string, skillStep?: number): string =>
    JSON.stringify({
      chatbotId: row.chatbot_id,
      conversationId: row.conversation_id,
      agentId: row.agent_id,
      agentName,
      strategy: row.strategy,
      assignedAt: isoTime(row.assigned_at),
      ...(from === undefined ? {} : { from }),
      title: row.title ?? null,
      preview: row.preview ?? null,
      arrivedAt: isoTime(row.arrived_at ?? row.assigned_at),
      priority: Number(row.priority ?? 0),
      requiredSkills: skillsOf(row.required_skills),
      // Which step assigned it: said by assignment.created (a move is no step).
      ...(from === undefined ? { skillStep: skillStep ?? 0 } : {}),
      ...(row.offer_expires_at === null || row.offer_expires_at === undefined ? {} : { offerExpiresAt: isoTime(row.offer_expires_at) }),
    } satisfies Omit<AssignedEvent, 'assignedAt' | 'strategy' | 'arrivedAt' | 'offerExpiresAt'> & {
      assignedAt: string | null;
      arrivedAt: string | null;
      strategy: string;
      offerExpiresAt?: string | null;
    });
  /** A chat given to an agent: `assignment.offered` when the chatbot asks agents to accept, else `assignment.created`. */
  const givenType = (row: NewAssignment) => (row.offer_expires_at === null ? 'assignment.created' : 'assignment.offered');

  /**
   * The secrets of offers made here, kept with their rows until the push that carries them is
   * queued (only the hash is stored). An offer whose push a crash left unqueued is told by the
   * sweep without one: its notification opens the console instead of accepting by itself.
   */
  const secrets = new WeakMap<NewAssignment, string>();

  /** A chat given to a member, as an offer when the chatbot asks its agents to accept (context: what passing it on needs). */
  function given(members: Members, row: Omit<NewAssignment, 'offer_expires_at' | 'offer_token' | 'offer_exclude'>, context: OfferContext): NewAssignment {
    const timeout = members.offers.timeoutSeconds;
    if (timeout === null) return { ...row, offer_expires_at: null, offer_token: null, offer_exclude: null };
    const { secret, hash } = newOfferSecret();
    const offered: NewAssignment = { ...row, offer_expires_at: offerDeadline(row.assigned_at, timeout), offer_token: hash, offer_exclude: JSON.stringify(context) };
    secrets.set(offered, secret);
    return offered;
  }

  /**
   * Tells the agents of chats that became theirs (the "New chat" pushes), after their units
   * committed and without holding up the answers, a chatbot's in one go; marks them told. A
   * failure leaves a chat untold for the sweep (tellUntold), which queues it once (the push's
   * idempotency key).
   */
  async function tell(rows: readonly NewAssignment[]): Promise<void> {
    if (!notices || rows.length === 0) return;
    const byChatbot = new Map<string, NewAssignment[]>();
    const told: NewAssignment[] = [];
    const at = now();
    for (const row of rows) {
      // An offer that lapsed before its push went is no news: told, with nothing sent.
      if (row.offer_expires_at !== null && row.offer_expires_at !== undefined && Number(row.offer_expires_at) <= at) told.push(row);
      else byChatbot.set(row.chatbot_id, [...(byChatbot.get(row.chatbot_id) ?? []), row]);
    }
    for (const [chatbotId, ofChatbot] of byChatbot) {
      try {
        const answers = await notices.tell(
          chatbotId,
          ofChatbot.map((row) => newChatNotice(row, secrets.get(row), at)),
        );
        for (const [index, row] of ofChatbot.entries()) {
          const answer = answers[index];
          // Refused for good (the agent left the chatbot meanwhile, or the push cannot be made):
          // trying again would be refused again, so it counts as told; only the unexpected is said.
          if (answer instanceof AppError) {
            if (answer.code !== 'invalid_request') notices.failed(answer, row);
          } else if (answer instanceof Error) {
            notices.failed(answer, row);
            continue;
          }
          told.push(row);
        }
      } catch (error) {
        for (const row of ofChatbot) notices.failed(error, row);
      }
    }
    try {
      await store.told(told, now());
    } catch (error) {
      for (const row of told) notices.failed(error, row);
    }
  }

  /**
   * The agents to tell, in the order their chats became theirs: told a few at a time
   * (TELLING_AT_ONCE), so that a burst (a queue draining thousands at the opening) never holds
   * up the units of work that assign, nor takes every database connection. Past TELL_QUEUE_MOST
   * waiting, the rest are left untold here and the sweep tells them (told_at is null).
   */
  const toTell: Array<{ row: NewAssignment; queuedAt: number }> = [];
  /**
   * Waits until no unit of work waits or runs at two looks QUIET_MS apart, or until the oldest
   * chat waiting to be told has waited TELL_WAIT_MOST_MS: assigning comes before telling. A
   * burst's units follow one another with a turn between them, and on SQLite a tell never waits
   * for I/O, so a tell let in between two of them holds up the next; the cap keeps a steady load
   * from starving the tells (past it, one teller at a time goes without waiting). It sleeps
   * between looks rather than spinning the event loop. Whether this teller went because the
   * oldest was overdue (then it clears overdueTelling after its tell).
   */
  async function afterTheUnits(): Promise<boolean> {
    await nextTurn();
    for (let quiet = 0; quiet < 2; ) {
      // Another teller took what there was: nothing to wait for.
      if (toTell.length === 0) return false;
      if (!overdueTelling && toTell[0]!.queuedAt + TELL_WAIT_MOST_MS <= performance.now()) {
        overdueTelling = true;
        return true;
      }
      await sleep(QUIET_MS);
      quiet = presence.idle() ? quiet + 1 : 0;
    }
    return false;
  }
  let overdueTelling = false;
  let tellers = 0;
  function tellLater(rows: readonly NewAssignment[]): void {
    const queuedAt = performance.now();
    for (const row of rows) {
      if (toTell.length >= TELL_QUEUE_MOST) break;
      toTell.push({ row, queuedAt });
    }
    while (tellers < TELLING_AT_ONCE && toTell.length > 0) {
      tellers++;
      void (async () => {
        try {
          while (toTell.length > 0) {
            const overdue = await afterTheUnits();
            try {
              await tell(toTell.splice(0, TELL_BATCH_MOST).map((queued) => queued.row));
            } finally {
              if (overdue) overdueTelling = false;
            }
          }
        } finally {
          tellers--;
        }
      })();
    }
  }

  /**
   * The members as the choice sees them (with what their load is made of), when to record the
   * next assignment, whether chats wait, the chatbot's offer settings and each member's missed
   * offers in a row.
   */
  type Members = Member[] & { assignAt: number; waiting: boolean; offers: OfferSettings; missed: Map<string, number> };

  /**
   * The members as the choice sees them, read inside the unit once per round and chatbot (kept
   * in the round's scratch map), and the moment to record a new assignment at: now, or just
   * after the chatbot's latest (so that assignments in the same millisecond still take turns in
   * round robin). The assignments of the round change the copy as they change the database.
   */
  /** A member as the choice sees it: its list entry, its skills (as stored) and when it was last given a chat. */
  const candidateOf = (
    entry: Pick<Candidate, 'agentId' | 'name' | 'state' | 'reason' | 'activeChats' | 'maxChats'>,
    skills: string | undefined,
    lastAssignedAt: number | null = null,
  ): Candidate => ({
    agentId: entry.agentId,
    name: entry.name,
    state: entry.state,
    reason: entry.reason,
    activeChats: entry.activeChats,
    maxChats: entry.maxChats,
    lastAssignedAt,
    skills: skillsOf(skills),
  });

  async function candidates(run: Run, chatbotId: string, round: Round): Promise<Members> {
    const kept = round.kept(MEMBERS, chatbotId);
    if (kept) return kept;
    const entries = await presence.entriesIn(run, chatbotId);
    const { members: routing, settings } = await store.routing(run, chatbotId);
    const latest = Math.max(Number.NEGATIVE_INFINITY, ...[...routing.values()].map((value) => value.lastAssignedAt ?? Number.NEGATIVE_INFINITY));
    const list: Member[] = entries.map(({ entry, reported, assigned }) => ({
      ...candidateOf(entry, routing.get(entry.agentId)?.skills, routing.get(entry.agentId)?.lastAssignedAt ?? null),
      reported,
      assigned,
    }));
    const members = Object.assign(list, {
      assignAt: Math.max(now(), latest + 1),
      waiting: entries.some((item) => item.waiting),
      offers: settings,
      missed: new Map([...routing].map(([agentId, value]) => [agentId, value.missedOffers])),
    });
    round.keep(MEMBERS, chatbotId, members);
    return members;
  }

  /**
   * One more (or one fewer) open assignment of a member, in the round's copy: its load as the
   * rule counts it, and its state where only the load decides it (full: busy at capacity; room
   * again: available).
   */
  function changeLoad(members: Members, agentId: string, delta: 1 | -1, at?: number): void {
    changeLoadOf(members, agentId, delta, at);
    if (at !== undefined) members.assignAt = at + 1;
  }

  /** An assignment as answered; `considered` as the unit chose (else parsed from the row, as stored). */
  const toAssignment = (row: NewAssignment, chosen: Pick<Candidate, 'name' | 'activeChats' | 'maxChats'>, considered?: Considered[]): Assignment => ({
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    agentName: chosen.name,
    strategy: row.strategy as Assignment['strategy'],
    assignedAt: isoTime(row.assigned_at)!,
    activeChats: chosen.activeChats,
    maxChats: chosen.maxChats,
    considered: considered ?? (JSON.parse(row.considered) as Considered[]),
    offerExpiresAt: time(row.offer_expires_at),
  });

  /** The answer for an assignment as it stands now (its agent's load read again). */
  async function standing(chatbotId: string, row: NewAssignment, considered?: Considered[]): Promise<Assignment> {
    const { agents } = await presence.lists.list(chatbotId);
    const agent = agents.find((entry) => entry.agentId === row.agent_id);
    return toAssignment(row, { name: agent?.name ?? '', activeChats: agent?.activeChats ?? null, maxChats: agent?.maxChats ?? null }, considered);
  }

  /**
   * When someone is next expected available (the availability summary's); for a chat requiring
   * skills, null when no member holds them all (nobody could take it whoever comes).
   */
  async function nextAvailableAt(chatbotId: string, requiredSkills: readonly string[] = [], skills?: ReadonlyMap<string, string>): Promise<string | null> {
    if (requiredSkills.length > 0) {
      const held = skills ?? (await store.skillsByMember(chatbotId));
      if (![...held.values()].some((json) => missingSkills(skillsOf(json), requiredSkills).length === 0)) return null;
    }
    const summary = JSON.parse((await presence.lists.summary(chatbotId)).body.toString('utf8')) as { nextAvailableAt: string | null };
    return summary.nextAvailableAt;
  }

  const keyOf = (actor: Actor | ServiceActor) => (actor.kind === 'key' ? actor.principal.keyId : null);

  type Moved = { kind: 'moved'; row: NewAssignment; from: string } | { kind: 'none'; considered: Considered[]; holderId: string } | { kind: 'missing' };

  /**
   * Inside a unit: moves an open assignment to the named member when it can take the chat,
   * else to the next eligible one (never the one who has it), and records it.
   */
  async function moveIn(
    run: Run,
    round: Round,
    say: (event: SaidEvent) => void,
    actor: Actor | ServiceActor,
    current: AssignmentRow,
    input: { agentId?: string; strategy: Strategy; excludeAgentIds?: readonly string[] },
  ): Promise<Moved> {
    const chatbotId = current.chatbot_id;
    const everyone = await candidates(run, chatbotId, round);
    if (input.agentId !== undefined && !everyone.some((candidate) => candidate.agentId === input.agentId)) return { kind: 'missing' };
    // The holder's own chat does not count against it here, but it is never the target.
    const exclude = new Set([current.agent_id, ...(input.excludeAgentIds ?? [])]);
    const pool = input.agentId === undefined ? everyone : everyone.filter((candidate) => candidate.agentId === input.agentId);
    // The skills the chat required hold wherever it goes.
    const { chosen, considered } = chooseAgent(pool, { strategy: input.strategy, exclude, requiredSkills: skillsOf(current.required_skills) });
    if (!chosen) return { kind: 'none', considered, holderId: current.agent_id };
    const row: NewAssignment = {
      chatbot_id: chatbotId,
      conversation_id: current.conversation_id,
      agent_id: chosen.agentId,
      strategy: 'transfer',
      assigned_at: everyone.assignAt,
      assigned_by: keyOf(actor),
      considered: JSON.stringify(considered),
      title: current.title ?? null,
      preview: current.preview ?? null,
      arrived_at: current.arrived_at ?? null,
      priority: Number(current.priority ?? 0),
      waited_ms: current.waited_ms ?? null,
      required_skills: current.required_skills,
      // Whoever moves a chat decided: it is the new agent's without an offer.
      offer_expires_at: null,
      offer_token: null,
      offer_exclude: null,
    };
    withdrawn(run, current, row.assigned_at);
    await store.move(run, row);
    say({ agentId: row.agent_id, type: 'assignment.transferred', data: assignedEvent(row, chosen.name, current.agent_id) });
    await audit.recordIn(run, actor, 'assignment.transferred', { chatbotId, agentId: row.agent_id, detail: { conversationId: row.conversation_id, from: current.agent_id } });
    changeLoad(everyone, current.agent_id, -1);
    changeLoad(everyone, chosen.agentId, 1, row.assigned_at);
    return { kind: 'moved', row, from: current.agent_id };
  }

  /** How an offer ended, as the reports (and a late answer from its notification) read it. */
  const ended = (row: AssignmentRow, at: number, outcome: OfferOutcome) => ({
    chatbot_id: row.chatbot_id,
    conversation_id: row.conversation_id,
    agent_id: row.agent_id,
    offered_at: Number(row.assigned_at),
    decided_at: at,
    outcome,
    token: row.offer_token ?? null,
  });

  /** An offer taken back (its chat released or moved while it was offered): kept for the reports. */
  function withdrawn(run: Run, row: AssignmentRow, at: number): void {
    if (row.offer_expires_at === null || row.offer_expires_at === undefined) return;
    store.offersEnded(run, [ended(row, at, 'withdrawn')]);
  }

  /** Assignments of a chatbot in one unit of work share a round: each choice sees the ones before it. */
  const TOGETHER = { together: true };
  /** Where a round keeps the members as its assignments see them (candidates). */
  const MEMBERS = roundSlot<Members>('assignment candidates');

  /** A conversation's rows in the unit: its open assignment, or its waiting chat, or neither. */
  interface ChatRows {
    open?: AssignmentRow;
    waiting?: WaitingRow;
  }
  /** Where a round keeps the conversations its assignments and releases read ahead, per chatbot. */
  const CHATS = roundSlot<Map<string, ChatRows> | null>('conversations read ahead');
  /**
   * The conversations of a round's assignments and releases, read in one go before their writes
   * (on PostgreSQL one round trip for the round instead of one per request); each write keeps
   * its conversation's rows true, and a write of anything else drops them (Work.readFirst).
   */
  const readAhead: RoundRead = {
    async read(run, round, wanted) {
      const { open, waiting } = await store.chatsOf(
        run,
        wanted.map(({ chatbotId, key }) => ({ chatbot_id: chatbotId, conversation_id: key })),
      );
      const of = (chatbotId: string) => {
        let chats = round.kept(CHATS, chatbotId);
        if (!chats) round.keep(CHATS, chatbotId, (chats = new Map()));
        return chats;
      };
      for (const { chatbotId, key } of wanted) of(chatbotId).set(key, {});
      for (const row of open) of(row.chatbot_id).set(row.conversation_id, { open: row });
      for (const row of waiting) of(row.chatbot_id).set(row.conversation_id, { waiting: row });
    },
    forget(round, chatbotId) {
      if (round.kept(CHATS, chatbotId)) round.keep(CHATS, chatbotId, null);
    },
  };
  const readingAhead = (conversationId: string) => ({ ...TOGETHER, readFirst: { read: readAhead, key: conversationId } });

  /** A conversation's rows: as the round read them ahead, else read now. */
  async function chatRows(run: Run, round: Round, chatbotId: string, conversationId: string): Promise<ChatRows> {
    const ahead = round.kept(CHATS, chatbotId)?.get(conversationId);
    if (ahead) return ahead;
    const [open, waiting] = await Promise.all([store.find(run, chatbotId, conversationId), store.findWaiting(run, chatbotId, conversationId)]);
    return { open, waiting };
  }

  /** What a write made of a conversation's rows, kept for the round's later works (when it read them ahead). */
  function nowRows(round: Round, chatbotId: string, conversationId: string, rows: ChatRows): void {
    round.kept(CHATS, chatbotId)?.set(conversationId, rows);
  }

  /** What an offer of a waiting chat keeps to go on after a decline or a miss: its exclusions, expiry and requirement as it waited. */
  const contextOfWaiting = (row: WaitingRow): OfferContext => ({
    exclude: JSON.parse(row.exclude_agent_ids) as string[],
    expiresAt: Number(row.expires_at),
    maxWaitSeconds: row.max_wait_seconds === null ? null : Number(row.max_wait_seconds),
    requiredSkills: skillsOf(row.required_skills),
    skillSteps: stepsOf(row.skill_steps),
  });

  /** A waiting chat as the drain sees it. */
  const queued = (row: WaitingRow, at: number) => {
    const effect = skillsInEffect(skillsOf(row.required_skills), stepsOf(row.skill_steps), at - Number(row.arrived_at));
    return {
      conversationId: row.conversation_id,
      strategy: row.strategy as Strategy,
      preferredAgentId: row.preferred_agent_id,
      excludeAgentIds: JSON.parse(row.exclude_agent_ids) as string[],
      requiredSkills: effect.skills,
      skillStep: effect.step,
      row,
    };
  };

  /**
   * Inside a unit, under the chatbot's lock: gives waiting chats to the members who can take
   * them now, in queue order (queue.ts planDrain), each announced as `assignment.created`. The
   * agents it gave chats, and the assignments made (told once the unit committed).
   */
  async function drainIn(run: Run, round: Round, chatbotId: string, say: (event: SaidEvent) => void): Promise<{ changed: string[]; rows: NewAssignment[] }> {
    const members = await candidates(run, chatbotId, round);
    if (!members.waiting) return { changed: [], rows: [] };
    // Chats nobody with room may take (each excludes them) must not hold up those behind a full
    // page: read on, a page at a time, while someone still has room (at most DRAIN_PAGES_MOST).
    const at = now();
    let waiting = await store.waiting(run, chatbotId, at);
    const taken = planDrain(
      waiting.map((row) => queued(row, at)),
      members,
      members.assignAt,
    );
    for (let pages = 1; waiting.length >= DRAIN_MOST && pages < DRAIN_PAGES_MOST && members.some((member) => ineligibility(member) === null); pages++) {
      waiting = await store.waiting(run, chatbotId, at, waiting.at(-1));
      taken.push(
        ...planDrain(
          waiting.map((row) => queued(row, at)),
          members,
          (taken.at(-1)?.at ?? members.assignAt - 1) + 1,
        ),
      );
    }
    const rows: NewAssignment[] = taken.map(({ chat, considered, chosen, at }) =>
      given(
        members,
        {
          chatbot_id: chatbotId,
          conversation_id: chat.conversationId,
          agent_id: chosen.agentId,
          strategy: chat.strategy,
          assigned_at: at,
          assigned_by: chat.row.queued_by,
          considered: JSON.stringify(considered),
          title: chat.row.title,
          preview: chat.row.preview,
          arrived_at: Number(chat.row.arrived_at),
          priority: Number(chat.row.priority),
          waited_ms: at - Number(chat.row.arrived_at),
          // Those it is assigned under (a step may have relaxed them): a transfer asks them again.
          required_skills: JSON.stringify(chat.requiredSkills),
        },
        contextOfWaiting(chat.row),
      ),
    );
    // A few statements however many it takes (a burst at the opening drains thousands at once).
    await store.assignFromQueue(run, rows);
    // Chats read ahead by the round's works may be among them: those works read again.
    if (rows.length > 0) readAhead.forget(round, chatbotId);
    await audit.recordManyIn(
      run,
      SERVICE,
      members.offers.timeoutSeconds === null ? 'assignment.created' : 'assignment.offered',
      rows.map((row) => ({ chatbotId, agentId: row.agent_id, detail: { conversationId: row.conversation_id, strategy: row.strategy, fromQueue: true } })),
    );
    for (const [index, row] of rows.entries())
      say({ agentId: row.agent_id, type: givenType(row), data: assignedEvent(row, taken[index]!.chosen.name, undefined, taken[index]!.chat.skillStep) });
    const last = taken.at(-1);
    if (last) members.assignAt = last.at + 1;
    // members.waiting stays true for the round: chats may be left (nobody may take them, the reads
    // stopped before the end, or one is overdue and not yet expired); a later read finds out.
    return { changed: [...new Set(rows.map((row) => row.agent_id))], rows };
  }

  /**
   * Drains each chatbot's queue in a unit of its own, the agents told after; `first`, inside the
   * unit before the drain, may say there is nothing to drain (false). How many chats it assigned.
   */
  async function drainEach(chatbotIds: readonly string[], first?: (run: Run, chatbotId: string, at: number) => Promise<boolean>): Promise<number> {
    let assigned = 0;
    for (const chatbotId of chatbotIds) {
      const rows =
        (await presence.reconcile<NewAssignment[]>(
          chatbotId,
          undefined,
          async (run, round, say) => {
            if (first && !(await first(run, chatbotId, now()))) return { changed: [], answer: [] };
            const drain = await drainIn(run, round, chatbotId, say);
            return { changed: drain.changed, answer: drain.rows };
          },
          TOGETHER,
        )) ?? [];
      tellLater(rows);
      assigned += rows.length;
    }
    return assigned;
  }

  // Every unit in which a member becomes available where chats wait drains the queue (presence/unit-of-work.ts).
  presence.drainWith({
    async drain(run, round, chatbotId, say) {
      const { changed, rows } = await drainIn(run, round, chatbotId, say);
      return { changed, committed: rows.length > 0 ? () => tellLater(rows) : undefined };
    },
  });

  const time = (at: number | string | null | undefined) => (at === null || at === undefined ? null : isoTime(at)!);

  /** What a waiting chat's estimate is made of, read now: the members as listed, their skills and the recent handle time. */
  async function queueNow(chatbotId: string) {
    const { agents } = await presence.lists.list(chatbotId);
    return { agents, skills: await store.skillsByMember(chatbotId), handle: meanHandleSeconds(await store.handleTimes(chatbotId, now() - 24 * 3600_000)) };
  }

  /** A waiting chat at its place in the queue, with its estimated wait (counting the slots of the members holding the skills it requires). */
  const asWaiting = (row: WaitingRow, position: number, { agents, skills, handle }: Awaited<ReturnType<typeof queueNow>>): Chat => {
    const steps = stepsOf(row.skill_steps);
    const required = [...skillsInEffect(skillsOf(row.required_skills), steps, now() - Number(row.arrived_at)).skills];
    const able = required.length === 0 ? agents : agents.filter((agent) => missingSkills(skillsOf(skills.get(agent.agentId)), required).length === 0);
    return {
      conversationId: row.conversation_id,
      state: 'waiting',
      priority: Number(row.priority),
      arrivedAt: time(row.arrived_at)!,
      position,
      estimatedWaitSeconds: estimateWaitSeconds(position, able, handle),
      expiresAt: time(row.expires_at),
      maxWaitSeconds: row.max_wait_seconds === null ? null : Number(row.max_wait_seconds),
      agentId: null,
      agentName: null,
      assignedAt: null,
      endedAt: null,
      title: row.title,
      preview: row.preview,
      requiredSkills: required,
      skillSteps: steps,
      offerExpiresAt: null,
    };
  };

  /** A waiting chat as answered: its place in the queue and the estimated wait, read now (`reading`: what queueNow read). */
  async function waitingChat(row: WaitingRow, reading?: Awaited<ReturnType<typeof queueNow>>): Promise<Chat> {
    return asWaiting(row, (await store.ahead(row)) + 1, reading ?? (await queueNow(row.chatbot_id)));
  }

  const noWait = { position: null, estimatedWaitSeconds: null, expiresAt: null, maxWaitSeconds: null, endedAt: null, skillSteps: null, offerExpiresAt: null };

  async function openChat(row: AssignmentRow): Promise<Chat> {
    const { agents } = await presence.lists.list(row.chatbot_id);
    return {
      conversationId: row.conversation_id,
      state: row.offer_expires_at === null || row.offer_expires_at === undefined ? 'assigned' : 'offered',
      priority: Number(row.priority ?? 0),
      arrivedAt: time(row.arrived_at ?? row.assigned_at)!,
      ...noWait,
      offerExpiresAt: time(row.offer_expires_at),
      agentId: row.agent_id,
      agentName: agents.find((agent) => agent.agentId === row.agent_id)?.name ?? '',
      assignedAt: time(row.assigned_at),
      title: row.title ?? null,
      preview: row.preview ?? null,
      requiredSkills: skillsOf(row.required_skills),
    };
  }

  async function endedChat(row: EndedRow): Promise<Chat> {
    const { agents } = row.agent_id === null ? { agents: [] } : await presence.lists.list(row.chatbot_id);
    return {
      conversationId: row.conversation_id,
      state: row.state as ChatState,
      priority: Number(row.priority),
      arrivedAt: time(row.arrived_at)!,
      ...noWait,
      endedAt: time(row.ended_at),
      agentId: row.agent_id,
      agentName: row.agent_id === null ? null : (agents.find((agent) => agent.agentId === row.agent_id)?.name ?? ''),
      assignedAt: time(row.assigned_at),
      title: row.title,
      preview: row.preview,
      requiredSkills: skillsOf(row.required_skills),
    };
  }

  /** The answer for a chat put in the queue (or found waiting): its place, and why it waits. */
  async function waitingAnswer(chatbotId: string, row: WaitingRow): Promise<WaitingChat> {
    const reading = await queueNow(chatbotId);
    return {
      ...(await waitingChat(row, reading)),
      considered: JSON.parse(row.considered) as Considered[],
      // The loosest requirement it relaxes to: whoever holds that can take it in time.
      nextAvailableAt: await nextAvailableAt(chatbotId, stepsOf(row.skill_steps).at(-1)?.requiredSkills ?? skillsOf(row.required_skills), reading.skills),
    };
  }

  /** What the stream and the webhooks say of a chat put in the queue, or leaving it without an agent. */
  const queueEvent = (row: WaitingRow, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      chatbotId: row.chatbot_id,
      conversationId: row.conversation_id,
      priority: Number(row.priority),
      arrivedAt: time(row.arrived_at),
      expiresAt: time(row.expires_at),
      maxWaitSeconds: row.max_wait_seconds === null ? null : Number(row.max_wait_seconds),
      title: row.title,
      preview: row.preview,
      requiredSkills: skillsOf(row.required_skills),
      skillSteps: stepsOf(row.skill_steps),
      ...extra,
    });

  /** What an offered chat keeps to go on (offers.ts OfferContext), as stored with it. */
  const contextOf = (row: AssignmentRow): OfferContext =>
    row.offer_exclude
      ? (JSON.parse(row.offer_exclude) as OfferContext)
      : { exclude: [], expiresAt: expiresAt(Number(row.arrived_at ?? row.assigned_at), null), maxWaitSeconds: null, requiredSkills: skillsOf(row.required_skills), skillSteps: [] };

  /**
   * Inside a unit, under the chatbot's lock: offered chats declined or missed by their agents are
   * passed on, in queue order: each offered to the next eligible member (never one who declined
   * or missed it), else back in the queue where its arrival puts it; each step announced once.
   * A miss counts against its agent, who is set away (missed_offer) after the chatbot's
   * awayAfterMissedOffers in a row. The queue then drains into the room this made. The agents
   * whose load or state changed, and the new offers (told once the unit committed).
   */
  async function passOnIn(
    run: Run,
    round: Round,
    say: (event: SaidEvent) => void,
    chatbotId: string,
    rows: readonly AssignmentRow[],
    outcome: 'declined' | 'missed',
    at: number,
    actor: Actor | ServiceActor = SERVICE,
  ): Promise<{ changed: string[]; rows: NewAssignment[] }> {
    const members = await candidates(run, chatbotId, round);
    const changed = new Set<string>();
    store.offersEnded(
      run,
      rows.map((row) => ended(row, at, outcome)),
    );
    for (const row of rows) {
      changeLoad(members, row.agent_id, -1);
      changed.add(row.agent_id);
      say({
        agentId: row.agent_id,
        type: outcome === 'declined' ? 'assignment.declined' : 'assignment.offer_missed',
        data: JSON.stringify({
          chatbotId,
          conversationId: row.conversation_id,
          agentId: row.agent_id,
          offeredAt: time(row.assigned_at),
          [outcome === 'declined' ? 'declinedAt' : 'missedAt']: time(at),
        }),
      });
    }
    await audit.recordManyIn(
      run,
      actor,
      outcome === 'declined' ? 'assignment.declined' : 'assignment.offer_missed',
      rows.map((row) => ({ chatbotId, agentId: row.agent_id, detail: { conversationId: row.conversation_id } })),
    );
    if (outcome === 'missed') {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.agent_id, (counts.get(row.agent_id) ?? members.missed.get(row.agent_id) ?? 0) + 1);
      const away = [...counts].filter(([, missed]) => awayAfterMissing(missed, members.offers.awayAfterMissed)).map(([agentId]) => agentId);
      // Set away, an agent starts counting again: back, one miss does not send it away again.
      for (const agentId of away) counts.set(agentId, 0);
      for (const [agentId, missed] of counts) members.missed.set(agentId, missed);
      store.setMissedOffers(
        run,
        [...counts].map(([agentId, missed]) => ({ chatbot_id: chatbotId, agent_id: agentId, missed })),
      );
      await presence.awayForMissedOffers(run, chatbotId, away, at);
      // The round's copy sees them away: the chats passed on below never go to them.
      for (const member of members) if (away.includes(member.agentId)) Object.assign(member, { state: 'away', reason: 'missed_offer' });
    }
    const offered: NewAssignment[] = [];
    const queued: WaitingRow[] = [];
    const expired: EndedRow[] = [];
    const orderOf = (row: AssignmentRow) => queueOrder(Number(row.priority ?? 0), Number(row.arrived_at ?? row.assigned_at));
    const inOrder = [...rows].sort((a, b) => orderOf(a) - orderOf(b) || (a.conversation_id < b.conversation_id ? -1 : 1));
    for (const row of inOrder) {
      const context = passedOver(contextOf(row), row.agent_id);
      const arrivedAt = Number(row.arrived_at ?? row.assigned_at);
      // Its wait ran out meanwhile: it ends as a waiting chat would, never offered past it.
      if (context.expiresAt <= at) {
        const end: EndedRow = {
          chatbot_id: chatbotId,
          conversation_id: row.conversation_id,
          state: 'expired',
          ended_at: at,
          priority: Number(row.priority ?? 0),
          arrived_at: arrivedAt,
          agent_id: null,
          assigned_at: null,
          title: row.title ?? null,
          preview: row.preview ?? null,
          waited_ms: null,
          required_skills: JSON.stringify(context.requiredSkills),
        };
        expired.push(end);
        say({
          agentId: '',
          type: 'assignment.expired',
          data: JSON.stringify({
            chatbotId,
            conversationId: row.conversation_id,
            priority: end.priority,
            arrivedAt: time(arrivedAt),
            expiresAt: time(context.expiresAt),
            maxWaitSeconds: context.maxWaitSeconds,
            title: end.title,
            preview: end.preview,
            requiredSkills: context.requiredSkills,
            skillSteps: context.skillSteps,
            expiredAt: time(at),
          }),
        });
        continue;
      }
      const effect = skillsInEffect(context.requiredSkills, context.skillSteps, at - arrivedAt);
      const strategy = (STRATEGIES as readonly string[]).includes(row.strategy) ? (row.strategy as Strategy) : 'least_loaded';
      const { chosen, considered } = chooseAgent(members, { strategy, exclude: new Set(context.exclude), requiredSkills: effect.skills });
      if (chosen) {
        const next = given(
          members,
          {
            chatbot_id: chatbotId,
            conversation_id: row.conversation_id,
            agent_id: chosen.agentId,
            strategy: row.strategy,
            assigned_at: members.assignAt,
            assigned_by: row.assigned_by,
            considered: JSON.stringify(considered),
            title: row.title ?? null,
            preview: row.preview ?? null,
            arrived_at: arrivedAt,
            priority: Number(row.priority ?? 0),
            waited_ms: members.assignAt - arrivedAt,
            required_skills: JSON.stringify(effect.skills),
          },
          context,
        );
        changeLoad(members, chosen.agentId, 1, next.assigned_at);
        changed.add(chosen.agentId);
        offered.push(next);
        say({ agentId: next.agent_id, type: givenType(next), data: assignedEvent(next, chosen.name, undefined, effect.step) });
        continue;
      }
      const waiting: WaitingRow = {
        chatbot_id: chatbotId,
        conversation_id: row.conversation_id,
        priority: Number(row.priority ?? 0),
        queue_order: queueOrder(Number(row.priority ?? 0), arrivedAt),
        arrived_at: arrivedAt,
        expires_at: context.expiresAt,
        max_wait_seconds: context.maxWaitSeconds,
        strategy,
        preferred_agent_id: null,
        exclude_agent_ids: JSON.stringify(context.exclude),
        title: row.title ?? null,
        preview: row.preview ?? null,
        considered: JSON.stringify(considered),
        queued_by: row.assigned_by,
        required_skills: JSON.stringify(context.requiredSkills),
        skill_steps: JSON.stringify(context.skillSteps),
        next_step_at: nextStepAt(arrivedAt, context.skillSteps, at),
      };
      queued.push(waiting);
      members.waiting = true;
      say({ agentId: '', type: 'assignment.waiting', data: queueEvent(waiting) });
    }
    await store.passOn(run, rows, offered, queued, expired);
    readAhead.forget(round, chatbotId);
    await audit.recordManyIn(
      run,
      SERVICE,
      'assignment.offered',
      offered
        .filter((row) => row.offer_expires_at !== null)
        .map((row) => ({ chatbotId, agentId: row.agent_id, detail: { conversationId: row.conversation_id, strategy: row.strategy } })),
    );
    await audit.recordManyIn(
      run,
      SERVICE,
      'assignment.created',
      offered
        .filter((row) => row.offer_expires_at === null)
        .map((row) => ({ chatbotId, agentId: row.agent_id, detail: { conversationId: row.conversation_id, strategy: row.strategy } })),
    );
    await audit.recordManyIn(
      run,
      SERVICE,
      'assignment.waiting',
      queued.map((row) => ({ chatbotId, detail: { conversationId: row.conversation_id, priority: Number(row.priority) } })),
    );
    await audit.recordManyIn(
      run,
      SERVICE,
      'assignment.expired',
      expired.map((row) => ({ chatbotId, detail: { conversationId: row.conversation_id } })),
    );
    // The room the decline or miss made: chats waiting for it are given now (never back to whoever passed them over).
    const drain = await drainIn(run, round, chatbotId, say);
    for (const agentId of drain.changed) changed.add(agentId);
    return { changed: [...changed], rows: [...offered, ...drain.rows] };
  }

  /**
   * An offer to one agent, found under the chatbot's lock: the row, or why there is none for this
   * hand. A secret of an offer that ended (a late click on its notification) is told so (409
   * offer_ended); one that was never an offer's is 404 (a guess, counted by the route).
   */
  function offerFor(row: AssignmentRow | undefined, hand: OfferHand, conversationId: string): AssignmentRow {
    const mine = row && ('agentId' in hand ? row.agent_id === hand.agentId : offerSecretMatches(hand.secret, row.offer_token));
    if (row && mine) return row;
    throw new AppError('not_found', `no offer of conversation ${conversationId} is open to you in this chatbot`);
  }

  /** Runs an answer to an offer; a secret that opens none is looked up among the offers that ended (after the unit: never inside it). */
  async function answering<T>(hand: OfferHand, chatbotId: string, conversationId: string, unit: () => Promise<T>): Promise<T> {
    try {
      return await unit();
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found' && 'secret' in hand && (await store.offerEndedWith(chatbotId, conversationId, offerSecretHash(hand.secret))))
        throw new AppError('offer_ended', `the offer of conversation ${conversationId} ended: it was accepted, declined, missed or withdrawn`);
      throw error;
    }
  }

  return {
    /**
     * Gives the conversation to an eligible member (the preferred one when eligible): 'created'
     * with the assignment; 'existing' when the conversation already had one (a retry);
     * 'waiting' when nobody can take it and the request asked to wait (or it was waiting
     * already); 'none' with every member's reason when nobody can take it. Chats already
     * waiting go first: the queue drains in the same unit before the new chat is judged.
     */
    async assign(actor: Actor, chatbotId: string, input: AssignInput): Promise<{ created: Assignment } | { existing: Assignment } | { waiting: WaitingChat } | { none: NoAgent }> {
      const conversationId = requireConversationId(input.conversationId);
      const strategy = requireStrategy(input.strategy);
      const priority = requirePriority(input.priority);
      const maxWaitSeconds = requireMaxWait(input.maxWaitSeconds);
      const requiredSkills = input.requiredSkills === undefined ? [] : requireSkills(input.requiredSkills, 'requiredSkills', MAX_REQUIRED_SKILLS);
      const requiredJson = JSON.stringify(requiredSkills);
      const steps = input.skillSteps === undefined ? [] : requireSkillSteps(input.skillSteps, requiredSkills, MAX_WAIT_SECONDS);
      if (steps.length > 0 && !input.wait) throw new AppError('invalid_request', 'skillSteps relax a requirement as a chat waits: send them with wait: true');
      const late = steps.findIndex((step) => step.afterSeconds >= (maxWaitSeconds ?? MAX_WAIT_SECONDS));
      if (late >= 0)
        throw new AppError(
          'invalid_request',
          `skillSteps.${late}.afterSeconds (${steps[late]!.afterSeconds}) must come before the chat expires (maxWaitSeconds ${maxWaitSeconds ?? MAX_WAIT_SECONDS})`,
        );
      type Outcome =
        | { kind: 'created'; row: NewAssignment; considered: Considered[]; drained: NewAssignment[] }
        | { kind: 'existing'; row: AssignmentRow }
        | { kind: 'waiting'; row: WaitingRow; drained: NewAssignment[] }
        | { kind: 'none'; considered: Considered[]; drained: NewAssignment[] };
      const outcome = await presence.reconcile<Outcome>(
        chatbotId,
        undefined,
        async (run, round, say) => {
          const chat = await chatRows(run, round, chatbotId, conversationId);
          if (chat.open) return { changed: [], answer: { kind: 'existing', row: chat.open } };
          if (chat.waiting) return { changed: [], answer: { kind: 'waiting', row: chat.waiting, drained: [] } };
          const members = await candidates(run, chatbotId, round);
          // Those who waited first: the queue takes what it can before this chat is judged.
          const drain = await drainIn(run, round, chatbotId, say);
          const { chosen, considered } = chooseAgent(members, {
            strategy,
            preferredAgentId: input.preferredAgentId ?? null,
            exclude: new Set(input.excludeAgentIds ?? []),
            requiredSkills,
          });
          const at = members.assignAt;
          if (!chosen && input.wait) {
            const row: WaitingRow = {
              chatbot_id: chatbotId,
              conversation_id: conversationId,
              priority,
              queue_order: queueOrder(priority, at),
              arrived_at: at,
              expires_at: expiresAt(at, maxWaitSeconds),
              max_wait_seconds: maxWaitSeconds,
              strategy,
              preferred_agent_id: input.preferredAgentId ?? null,
              exclude_agent_ids: JSON.stringify(input.excludeAgentIds ?? []),
              title: input.title ?? null,
              preview: input.preview ?? null,
              considered: JSON.stringify(considered),
              queued_by: keyOf(actor),
              required_skills: requiredJson,
              skill_steps: JSON.stringify(steps),
              next_step_at: nextStepAt(at, steps, at),
            };
            store.enqueue(run, row);
            nowRows(round, chatbotId, conversationId, { waiting: row });
            members.waiting = true;
            await audit.recordIn(run, actor, 'assignment.waiting', { chatbotId, detail: { conversationId, priority } });
            say({ agentId: '', type: 'assignment.waiting', data: queueEvent(row) });
            return { changed: drain.changed, answer: { kind: 'waiting', row, drained: drain.rows } };
          }
          if (!chosen) return { changed: drain.changed, answer: { kind: 'none', considered, drained: drain.rows } };
          const row = given(
            members,
            {
              chatbot_id: chatbotId,
              conversation_id: conversationId,
              agent_id: chosen.agentId,
              strategy,
              assigned_at: at,
              assigned_by: keyOf(actor),
              considered: JSON.stringify(considered),
              title: input.title ?? null,
              preview: input.preview ?? null,
              arrived_at: at,
              priority,
              waited_ms: 0,
              required_skills: requiredJson,
            },
            // Declined or missed, it goes on to the next agent, else waits in the queue (whether or not the request asked to wait).
            { exclude: [...(input.excludeAgentIds ?? [])], expiresAt: expiresAt(at, maxWaitSeconds), maxWaitSeconds, requiredSkills, skillSteps: steps },
          );
          store.insert(run, row);
          nowRows(round, chatbotId, conversationId, { open: { ...row, orphaned_at: null, told_at: null } });
          await audit.recordIn(run, actor, row.offer_expires_at === null ? 'assignment.created' : 'assignment.offered', {
            chatbotId,
            agentId: row.agent_id,
            detail: { conversationId, strategy },
          });
          changeLoad(members, chosen.agentId, 1, row.assigned_at);
          say({ agentId: row.agent_id, type: givenType(row), data: assignedEvent(row, chosen.name) });
          return { changed: [...new Set([...drain.changed, chosen.agentId])], answer: { kind: 'created', row, considered, drained: drain.rows } };
        },
        readingAhead(conversationId),
      );
      if (!outcome) throw new Error('the assignment unit ran no write');
      if (outcome.kind !== 'existing') tellLater(outcome.drained);
      if (outcome.kind === 'none') return { none: { considered: outcome.considered, nextAvailableAt: await nextAvailableAt(chatbotId, requiredSkills) } };
      if (outcome.kind === 'existing') return { existing: await standing(chatbotId, outcome.row) };
      if (outcome.kind === 'waiting') return { waiting: await waitingAnswer(chatbotId, outcome.row) };
      // Told once the answer is made: on SQLite the push's reads would otherwise go first.
      // The explanation as chosen: parsing back what was just stored would cost more than choosing.
      const created = await standing(chatbotId, outcome.row, outcome.considered);
      tellLater([outcome.row]);
      return { created };
    },

    /**
     * Ends the conversation's chat: an assigned one is released (its agent has room again, and
     * the queue drains into it in the same unit), a waiting one cancelled (the visitor left).
     * Which it was.
     */
    async release(actor: Actor, chatbotId: string, conversationId: string): Promise<'released' | 'cancelled'> {
      requireConversationId(conversationId);
      const ended = await presence.reconcile<'released' | 'cancelled' | undefined>(
        chatbotId,
        undefined,
        async (run, round, say) => {
          const at = now();
          const { open: released, waiting: cancelled } = await chatRows(run, round, chatbotId, conversationId);
          if (released) {
            withdrawn(run, released, at);
            store.releaseKnown(run, released, at);
            nowRows(round, chatbotId, conversationId, {});
            const holder = released.agent_id;
            await audit.recordIn(run, actor, 'assignment.released', { chatbotId, agentId: holder, detail: { conversationId } });
            say({ agentId: holder, type: 'assignment.released', data: JSON.stringify({ chatbotId, conversationId, agentId: holder }) });
            const kept = round.kept(MEMBERS, chatbotId);
            if (kept) changeLoad(kept, holder, -1);
            return { changed: [holder], answer: 'released' };
          }
          if (!cancelled) return { changed: [], answer: undefined };
          store.cancelKnown(run, cancelled, at);
          nowRows(round, chatbotId, conversationId, {});
          await audit.recordIn(run, actor, 'assignment.cancelled', { chatbotId, detail: { conversationId } });
          say({ agentId: '', type: 'assignment.cancelled', data: queueEvent(cancelled, { cancelledAt: time(at) }) });
          return { changed: [], answer: 'cancelled' };
        },
        readingAhead(conversationId),
      );
      if (!ended) throw new AppError('not_found', `conversation ${conversationId} has no open assignment or waiting chat in this chatbot`);
      return ended;
    },

    /** The conversation's chat as it stands (waiting, assigned, or how it ended); not_found when it never had one. */
    async chat(chatbotId: string, conversationId: string): Promise<Chat> {
      requireConversationId(conversationId);
      const found = await store.stateOf(chatbotId, conversationId);
      if (found.waiting) return waitingChat(found.waiting);
      if (found.open) return openChat(found.open);
      if (found.ended) return endedChat(found.ended);
      throw new AppError('not_found', `conversation ${conversationId} has no chat in this chatbot`);
    },

    /** The chatbot's waiting chats in queue order (higher priority first, then arrival), a page at a time, each with its place. */
    async queue(chatbotId: string, page: Page) {
      const rows = await store.queue(chatbotId, page);
      const first = rows[0];
      const before = first ? await store.ahead(first) : 0;
      const reading = await queueNow(chatbotId);
      // Every member as it stands now, for why each chat still waits (its skills as held now).
      const members = reading.agents.map((agent) => candidateOf(agent, reading.skills.get(agent.agentId)));
      let position = before;
      return pageAnswer(
        rows,
        page,
        (row) => ({ at: Number(row.queue_order), id: row.conversation_id }),
        (row): Chat & { considered: Considered[] } => {
          const chat = asWaiting(row, ++position, reading);
          const { considered } = chooseAgent(members, {
            strategy: row.strategy as Strategy,
            preferredAgentId: row.preferred_agent_id,
            exclude: new Set(JSON.parse(row.exclude_agent_ids) as string[]),
            requiredSkills: chat.requiredSkills,
          });
          return { ...chat, considered };
        },
      );
    },

    /**
     * Expires the waiting chats whose wait ran out, in one unit per chatbot under its lock (so
     * once across instances), each announced as `assignment.expired`. How many expired.
     */
    async expireDue(): Promise<number> {
      let expired = 0;
      for (const chatbotId of await store.chatbotsWaiting(now())) {
        expired +=
          (await presence.reconcile<number>(
            chatbotId,
            undefined,
            async (run, _round, say) => {
              const at = now();
              const rows = await store.expire(run, chatbotId, at);
              for (const row of rows) {
                await audit.recordIn(run, SERVICE, 'assignment.expired', { chatbotId, detail: { conversationId: row.conversation_id } });
                say({ agentId: '', type: 'assignment.expired', data: queueEvent(row, { expiredAt: time(at) }) });
              }
              return { changed: [], answer: rows.length };
            },
            TOGETHER,
          )) ?? 0;
      }
      return expired;
    },

    /**
     * Waiting chats whose requirement relaxes now (a step of skillSteps is due): each chatbot's
     * queue drained again under its lock, with each chat judged by the requirement in effect,
     * and each chat's next step set (so a step is taken once across instances). Run every
     * second with the expiries. How many chats it assigned.
     */
    async relaxDue(): Promise<number> {
      return drainEach(await store.chatbotsWithStepsDue(now()), async (run, chatbotId, at) => {
        const due = await store.stepsDue(run, chatbotId, at);
        // The chats assigned by the drain leave the queue; the others wait for their next step (none: null).
        store.setNextSteps(
          run,
          due.map((row) => ({ chatbot_id: chatbotId, conversation_id: row.conversation_id, next_step_at: nextStepAt(Number(row.arrived_at), stepsOf(row.skill_steps), at) })),
        );
        return due.length > 0;
      });
    },

    /**
     * The backstop: drains every chatbot with waiting chats, each in a unit of its own. Capacity
     * that frees drains the queue in the unit that frees it; this catches a queue longer than
     * one drain reads, or room no unit announced. How many chats it assigned.
     */
    async drainWaiting(): Promise<number> {
      return drainEach(await store.chatbotsWaiting());
    },

    /**
     * Moves an open assignment: to the named member when it can take the chat, else to the
     * next eligible one (never the one who has it). 'none' when nobody can take it: the chat
     * stays where it was.
     */
    async transfer(
      actor: Actor | ServiceActor,
      chatbotId: string,
      conversationId: string,
      input: { agentId?: string; strategy?: Strategy; excludeAgentIds?: readonly string[] },
    ): Promise<{ moved: Assignment } | { none: NoAgent; holderId: string }> {
      requireConversationId(conversationId);
      const strategy = requireStrategy(input.strategy);
      const outcome = await presence.reconcile<Moved>(
        chatbotId,
        undefined,
        async (run, round, say) => {
          const current = await store.find(run, chatbotId, conversationId);
          const moved: Moved = current ? await moveIn(run, round, say, actor, current, { ...input, strategy }) : { kind: 'missing' };
          return { changed: moved.kind === 'moved' ? [moved.from, moved.row.agent_id] : [], answer: moved };
        },
        TOGETHER,
      );
      if (!outcome) throw new Error('the transfer unit ran no write');
      if (outcome.kind === 'missing') {
        throw new AppError(
          'not_found',
          input.agentId !== undefined
            ? `no open assignment of ${conversationId}, or no member ${input.agentId}, in this chatbot`
            : `conversation ${conversationId} has no open assignment in this chatbot`,
        );
      }
      if (outcome.kind === 'none') return { none: { considered: outcome.considered, nextAvailableAt: await nextAvailableAt(chatbotId) }, holderId: outcome.holderId };
      const moved = await standing(chatbotId, outcome.row);
      tellLater([outcome.row]);
      return { moved };
    },

    /**
     * The agent's open assignments among `conversationIds` are orphaned (it left): in one unit of
     * work, under the chatbot's lock, decides that the agent is gone and has been for the
     * chatbot's wait (absence.ts; nothing happens for an agent who is not), claims each one not
     * announced yet (so once across instances), moves them where the
     * chatbot asks (`autoReassign`: by least_loaded; one nobody can take stays), and announces
     * `assignment.orphaned` with the conversations and the moves on the stream and to the
     * webhooks. Null when none was left to claim (another instance announced them).
     */
    async orphan(chatbotId: string, agentId: string, conversationIds: readonly string[], autoReassign: boolean, at: number): Promise<Orphaned | null> {
      const announced = await presence.reconcile<{ orphaned: Orphaned; rows: NewAssignment[] } | null>(
        chatbotId,
        undefined,
        async (run, round, say) => {
          // Decided here, under the chatbot's lock: the agent must be gone for its chats now and
          // have been for the chatbot's wait, whatever the sweep read before.
          const absence = await store.absence(run, chatbotId, agentId);
          if (!absence || absence.reassignAfterSeconds === null || !isAbsent(absence.state)) return { changed: [], answer: null };
          const claimed: AssignmentRow[] = [];
          for (const conversationId of conversationIds) {
            const current = await store.find(run, chatbotId, conversationId);
            if (!current || current.agent_id !== agentId || current.orphaned_at !== null) continue;
            const due = orphanedAt(absence.state, absence.since, Number(current.assigned_at), absence.reassignAfterSeconds);
            if (due === null || due > at) continue;
            const row = await store.claimOrphaned(run, { chatbot_id: chatbotId, conversation_id: conversationId, agent_id: agentId, at });
            if (row) claimed.push(row);
          }
          if (claimed.length === 0) return { changed: [], answer: null };
          const conversations = claimed.map((row) => row.conversation_id);
          const moved: Orphaned['moved'] = [];
          const rows: NewAssignment[] = [];
          for (const current of autoReassign ? claimed : []) {
            const outcome = await moveIn(run, round, say, SERVICE, current, { strategy: 'least_loaded' });
            if (outcome.kind === 'moved') {
              moved.push({ conversationId: current.conversation_id, agentId: outcome.row.agent_id });
              rows.push(outcome.row);
            }
          }
          const orphaned: Orphaned = { chatbotId, agentId, conversations, moved };
          say({ agentId, type: 'assignment.orphaned', data: JSON.stringify(orphaned) });
          return { changed: moved.length > 0 ? [agentId, ...new Set(moved.map((move) => move.agentId))] : [], answer: { orphaned, rows } };
        },
        TOGETHER,
      );
      if (!announced) return null;
      tellLater(announced.rows);
      return announced.orphaned;
    },

    /**
     * Tells the agents of assignments whose push a crash (or a failure) left unqueued, made more
     * than TELL_GRACE_MS and less than a push's lifetime (15 min) ago: each queued once whatever
     * instance sweeps (its idempotency key).
     * How many it told.
     */
    async tellUntold(): Promise<number> {
      // No older than a push is kept for delivery: a chat that old is no news (and rows from before
      // the agent was told at all were marked told by the migration).
      const at = now();
      const rows = await store.untold(at - NEW_CHAT_TTL_SECONDS * 1000, at - TELL_GRACE_MS, 500);
      for (let from = 0; from < rows.length; from += TELL_BATCH_MOST) await tell(rows.slice(from, from + TELL_BATCH_MOST));
      return rows.length;
    },

    /** Resolves once no agent waits to be told here (tests wait for it before they look at the whole database). */
    async tellsSettled(): Promise<void> {
      while (tellers > 0 || toTell.length > 0) await sleep(5);
    },

    /** Waiting times (p50, p90) and how chats ended, per local day or week of arrival and priority (wait-report.ts). */
    async waitReport(chatbotId: string, query: ReportQuery): Promise<WaitRow[]> {
      const periods = reportPeriods(query);
      const chats = await store.arrivedBetween(chatbotId, periods[0]!.start, periods.at(-1)!.end);
      return waitReport(chats, periods);
    },

    /**
     * Gives a member its skills in the chatbot (the list replaces the one it had), in a unit of
     * work under the chatbot's lock: chats waiting for a skill it now holds are assigned in the
     * same unit when it has room. The skills as they stand.
     */
    async setSkills(actor: Actor, chatbotId: string, agentId: string, skills: unknown): Promise<{ chatbotId: string; agentId: string; skills: string[] }> {
      const wanted = requireSkills(skills, 'skills', MAX_MEMBER_SKILLS);
      const json = JSON.stringify(wanted);
      const found = await presence.reconcile<boolean>(
        chatbotId,
        undefined,
        async (run, round) => {
          const before = await store.memberSkills(run, chatbotId, agentId);
          if (before === undefined) return { changed: [], answer: false };
          if (before === json) return { changed: [], answer: true };
          store.setMemberSkills(run, chatbotId, agentId, json);
          // The round's copy of the members (its later assignments choose from it) holds them too.
          const kept = round.kept(MEMBERS, chatbotId)?.find((member) => member.agentId === agentId);
          if (kept) kept.skills = wanted;
          await audit.recordIn(run, actor, 'member.skills_changed', { chatbotId, agentId, detail: { from: skillsOf(before), to: wanted } });
          // Judged as a change of its load is: where chats wait and it has room, the queue drains.
          return { changed: [agentId], answer: true };
        },
        TOGETHER,
      );
      if (!found) throw new AppError('not_found', `agent ${agentId} is not a member of chatbot ${chatbotId}`);
      return { chatbotId, agentId, skills: wanted };
    },

    /**
     * The agent accepts the chat offered to it (by its key, or by the offer's secret from the
     * push): under the chatbot's lock, the chat becomes its own, announced as
     * `assignment.accepted`; its missed offers in a row go back to 0. Accepting a chat already
     * accepted answers it again (a retry). 409 offer_expired once the offer's time ran out (it
     * moves on within a second), 404 when no offer of the conversation is open to this hand.
     */
    async accept(actor: Actor | ServiceActor, hand: OfferHand, chatbotId: string, conversationId: string): Promise<Assignment> {
      requireConversationId(conversationId);
      const row = await answering(hand, chatbotId, conversationId, () =>
        presence.reconcile<AssignmentRow>(
          chatbotId,
          undefined,
          async (run, round, say) => {
            const at = now();
            const offered = offerFor(await store.find(run, chatbotId, conversationId), hand, conversationId);
            if (offered.offer_expires_at === null || offered.offer_expires_at === undefined) return { changed: [], answer: offered };
            if (Number(offered.offer_expires_at) <= at)
              throw new AppError('offer_expired', `the offer of conversation ${conversationId} lapsed at ${time(offered.offer_expires_at)}; it goes to the next agent`);
            await store.accept(run, offered);
            store.offersEnded(run, [ended(offered, at, 'accepted')]);
            const accepted: AssignmentRow = { ...offered, offer_expires_at: null, offer_token: null, offer_exclude: null };
            nowRows(round, chatbotId, conversationId, { open: accepted });
            round.kept(MEMBERS, chatbotId)?.missed.set(offered.agent_id, 0);
            const name = (await candidates(run, chatbotId, round)).find((member) => member.agentId === offered.agent_id)?.name ?? '';
            await audit.recordIn(run, actor, 'assignment.accepted', {
              chatbotId,
              agentId: offered.agent_id,
              detail: { conversationId, via: 'agentId' in hand ? 'key' : 'notification' },
            });
            say({ agentId: offered.agent_id, type: 'assignment.accepted', data: JSON.stringify({ ...JSON.parse(assignedEvent(accepted, name)), acceptedAt: time(at) }) });
            return { changed: [], answer: accepted };
          },
          TOGETHER,
        ),
      );
      if (!row) throw new Error('the accept unit ran no write');
      return standing(chatbotId, row);
    },

    /**
     * The agent declines the chat offered to it (by its key, or the offer's secret): under the
     * chatbot's lock the chat goes to the next eligible agent (never back to this one) or waits in
     * the queue, announced as `assignment.declined` and then `assignment.offered` (or
     * `assignment.created`) or `assignment.waiting`. A decline is no miss: it never sets the
     * agent away. 409 offer_accepted for a chat the agent already accepted; 404 when no offer of
     * the conversation is open to this hand. The chat as it stands after.
     */
    async decline(actor: Actor | ServiceActor, hand: OfferHand, chatbotId: string, conversationId: string): Promise<Chat> {
      requireConversationId(conversationId);
      const passed = await answering(hand, chatbotId, conversationId, () =>
        presence.reconcile<NewAssignment[]>(
          chatbotId,
          undefined,
          async (run, round, say) => {
            const at = now();
            const offered = offerFor(await store.find(run, chatbotId, conversationId), hand, conversationId);
            if (offered.offer_expires_at === null || offered.offer_expires_at === undefined)
              throw new AppError('offer_accepted', `conversation ${conversationId} was accepted already: it is yours; transfer or release it instead`);
            // Lapsed: it is a miss (the sweep passes it on within a second), not a decline.
            if (Number(offered.offer_expires_at) <= at)
              throw new AppError('offer_expired', `the offer of conversation ${conversationId} lapsed at ${time(offered.offer_expires_at)}; it goes to the next agent`);
            const { changed, rows } = await passOnIn(run, round, say, chatbotId, [offered], 'declined', at, actor);
            return { changed, answer: rows };
          },
          TOGETHER,
        ),
      );
      if (!passed) throw new Error('the decline unit ran no write');
      tellLater(passed);
      return this.chat(chatbotId, conversationId);
    },

    /**
     * Offers whose time ran out, passed on: each chatbot's in one unit under its lock (so once
     * across instances, whichever sweeps first), each announced as `assignment.offer_missed`
     * and then offered on or queued (passOnIn). Run every quarter second; after a restart the
     * first sweep finds those that lapsed meanwhile. How many it passed on.
     */
    async expireOffers(): Promise<number> {
      let missed = 0;
      for (const chatbotId of await store.chatbotsWithOffersDue(now())) {
        const rows =
          (await presence.reconcile<NewAssignment[]>(
            chatbotId,
            undefined,
            async (run, round, say) => {
              const at = now();
              const due = await store.offersDue(run, chatbotId, at);
              if (due.length === 0) return { changed: [], answer: [] };
              missed += due.length;
              const { changed, rows } = await passOnIn(run, round, say, chatbotId, due, 'missed', at);
              return { changed, answer: rows };
            },
            TOGETHER,
          )) ?? [];
        tellLater(rows);
      }
      return missed;
    },

    /** Offers per agent over a report's period: accepted, declined, missed, withdrawn, and the median seconds to accept (offers.ts). */
    async offerReport(chatbotId: string, query: ReportQuery) {
      const periods = reportPeriods(query);
      const from = periods[0]!.start;
      const to = periods.at(-1)!.end;
      const rows = await store.offersBetween(chatbotId, from, to);
      const { agents } = await presence.lists.list(chatbotId);
      const names = new Map(agents.map((agent) => [agent.agentId, agent.name]));
      return {
        from: isoTime(from)!,
        to: isoTime(to)!,
        agents: tallyOffers(rows.map((row) => ({ agentId: row.agent_id, offeredAt: Number(row.offered_at), decidedAt: Number(row.decided_at), outcome: row.outcome }))).map(
          (tally) => ({
            ...tally,
            name: names.get(tally.agentId) ?? null,
          }),
        ),
      };
    },

    /** Forgets chats that ended more than `days` ago (as long as the availability history is kept). */
    async pruneEnded(days: number): Promise<void> {
      await store.pruneEnded(now() - days * 86_400_000);
    },

    /** Open assignments of the chatbot (of one agent), oldest first. */
    async list(chatbotId: string, agentId: string | undefined, page: Page) {
      const rows = await store.list(chatbotId, agentId, page);
      const { agents } = await presence.lists.list(chatbotId);
      const names = new Map(agents.map((agent) => [agent.agentId, agent]));
      return pageAnswer(
        rows,
        page,
        (row) => ({ at: Number(row.assigned_at), id: row.conversation_id }),
        (row) => {
          const agent = names.get(row.agent_id);
          return {
            conversationId: row.conversation_id,
            agentId: row.agent_id,
            agentName: agent?.name ?? '',
            strategy: row.strategy,
            assignedAt: isoTime(row.assigned_at)!,
            title: row.title ?? null,
            preview: row.preview ?? null,
            requiredSkills: skillsOf(row.required_skills),
            offerExpiresAt: time(row.offer_expires_at),
          };
        },
      );
    },
  };
}

export type AssignmentService = ReturnType<typeof assignmentService>;
