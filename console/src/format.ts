/**
 * How the console words an agent's availability: pure functions of an entry and the time, so
 * each sentence the console shows is tested as a table (test/format.test.ts).
 */
import type { AgentEntry, AgentState, OrphanedAssignments, StatusChoice } from '@inbox-agents/sdk';

export const STATE_LABELS: Record<AgentState, string> = {
  available: 'Available',
  away: 'Away',
  busy: 'Busy',
  dnd: 'Do not disturb',
  offline: 'Offline',
};

/** What an agent (or a supervisor) can choose, in menu order, with its label. */
export const STATUS_CHOICES: ReadonlyArray<[StatusChoice, string]> = (['available', 'away', 'busy', 'dnd', 'offline'] as const).map((choice) => [choice, STATE_LABELS[choice]]);

/** "just now", "3 min ago", "2 h ago", "4 days ago". */
export function ago(iso: string | null, now: number): string | null {
  if (iso === null) return null;
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** "10 min", "2 h", "3 days": how long since a moment. */
function elapsed(iso: string, now: number): string {
  const minutes = Math.max(1, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

/** A chat in My chats: what it is about (its title, else the conversation id), and how long it has been the agent's. */
export function chatLine(chat: { conversationId: string; title: string | null; assignedAt: string }, now: number): { what: string; held: string } {
  return { what: chat.title ?? chat.conversationId, held: `Yours for ${elapsed(chat.assignedAt, now)}` };
}

/** The notice of a chat that just became the agent's: "New chat: Refund", "Chat passed to you: conv-7"; null for an event that gives the agent nothing. */
export function newChatNotice(event: { type: string; agentId: string; conversationId: string; title?: string | null }, myAgentId: string): string | null {
  if (event.agentId !== myAgentId) return null;
  if (event.type === 'assignment.created') return `New chat: ${event.title ?? event.conversationId}`;
  if (event.type === 'assignment.transferred') return `Chat passed to you: ${event.title ?? event.conversationId}`;
  return null;
}

/** An offer's heading: "Chat offered to you: Refund" (the conversation id without a title). */
export const offerHeading = (offer: { conversationId: string; title: string | null }): string => `Chat offered to you: ${offer.title ?? offer.conversationId}`;

/** Time left to accept an offer, as a countdown: "0:27", "1:05"; "0:00" once lapsed. */
export function offerCountdown(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A time of day in the viewer's zone, "14:30". */
export function timeOfDay(iso: string, timeZone?: string): string {
  return clock(iso, timeZone);
}

/** The browser's IANA time zone. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Said beside times in another zone than the browser's: "Times are in Europe/Berlin (this browser: UTC)."; null when they agree. */
export function zoneNote(zone: string, here: string = browserZone()): string | null {
  return zone === here ? null : `Times are in ${zone} (this browser: ${here}).`;
}

/**
 * The status the agent chose, as far as its entry tells: what Enter in the status text applies
 * the text to. Idle and at capacity are an available agent's; offline by choice is offline;
 * otherwise (not connected, outside working hours) the entry does not say: null.
 */
export function chosenStatusOf(entry: Pick<AgentEntry, 'state' | 'reason'>): StatusChoice | null {
  switch (entry.reason) {
    case 'chosen':
      return entry.state;
    case 'ready':
    case 'idle':
    case 'at_capacity':
      return 'available';
    case 'chosen_offline':
      return 'offline';
    default:
      return null;
  }
}

function clock(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

type Describable = Pick<AgentEntry, 'state' | 'reason' | 'statusText' | 'statusUntil' | 'lastActiveAt' | 'activeChats' | 'maxChats'>;

/**
 * The state and why it holds, as a person would say it: "Away: idle for 10 min", "Offline:
 * outside working hours", "Busy: In a meeting, until 14:30", "Busy: at capacity (5 of 5 chats)".
 */
export function describeState(entry: Describable, now: number, timeZone?: string): string {
  const label = STATE_LABELS[entry.state];
  switch (entry.reason) {
    case 'idle':
      return entry.lastActiveAt ? `${label}: idle for ${elapsed(entry.lastActiveAt, now)}` : `${label}: idle`;
    case 'outside_working_hours':
      return `${label}: outside working hours`;
    case 'missed_offer':
      return `${label}: missed a chat offer`;
    case 'no_sign_of_life':
      return `${label}: not connected`;
    case 'chosen_offline':
      return label;
    case 'at_capacity':
      return `${label}: at capacity (${entry.activeChats ?? 0} of ${entry.maxChats ?? 0} chats)`;
    case 'chosen':
    case 'ready': {
      // Available as chosen shows its text and end too ("Available: Back from lunch, until 14:00").
      const parts = [entry.statusText, entry.statusUntil ? `until ${clock(entry.statusUntil, timeZone)}` : null].filter(Boolean);
      return parts.length ? `${label}: ${parts.join(', ')}` : label;
    }
    default:
      return label;
  }
}

/** Why a state holds, in words, for a history or a list ("ready" is what an available agent is). */
const REASON_WORDS: Record<AgentEntry['reason'], string> = {
  ready: 'ready for chats',
  chosen: 'chosen',
  chosen_offline: 'set offline',
  missed_offer: 'missed a chat offer',
  idle: 'idle',
  at_capacity: 'at capacity',
  no_sign_of_life: 'not connected',
  outside_working_hours: 'outside working hours',
};

/** A reason code as a person reads it; an unknown one with its underscores as spaces. */
export function reasonWords(reason: string): string {
  return REASON_WORDS[reason as AgentEntry['reason']] ?? reason.replaceAll('_', ' ');
}

/** A day and time, on the 24-hour clock as every time the console shows: "Mon 7 Dec 14:30". */
export function dayAndTime(iso: string, timeZone?: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  return `${day} ${clock(iso, timeZone)}`;
}

/** "2 of 5 chats", "3 chats", or null when nothing was reported. */
export function load(entry: Pick<AgentEntry, 'activeChats' | 'maxChats'>): string | null {
  if (entry.activeChats === null) return null;
  if (entry.maxChats === null) return entry.activeChats === 1 ? '1 chat' : `${entry.activeChats} chats`;
  return `${entry.activeChats} of ${entry.maxChats} chats`;
}

/** One line of the team list: name, state and why, last activity, load. */
export function teamLine(entry: Describable & Pick<AgentEntry, 'name'>, now: number, timeZone?: string): string {
  const active = ago(entry.lastActiveAt, now);
  return [`${entry.name}: ${describeState(entry, now, timeZone)}`, active ? `last active ${active}` : null, load(entry)].filter(Boolean).join(' · ');
}

/** The supervisor's line of an agent: the team line, and how long the agent has been in this state ("in it for 12 min"). */
export function wallboardLine(entry: Describable & Pick<AgentEntry, 'name' | 'since'>, now: number, timeZone?: string, skills: readonly string[] = []): string {
  const line = entry.since ? `${teamLine(entry, now, timeZone)} · in it for ${elapsed(entry.since, now)}` : teamLine(entry, now, timeZone);
  return skills.length === 0 ? line : `${line} · skills: ${skills.join(', ')}`;
}

/**
 * How the time-in-state report shows durations. The chart reads in minutes when the longest
 * agent's total is under 2 h and in hours from there, to two decimals so a stack adds up to the
 * table (one decimal drew 0:03 as 0.1 min). The table reads minutes:seconds under 1 h and
 * hours:minutes from there.
 */
export function reportScale(longestSeconds: number): { unit: string; amount: (seconds: number) => number; clockName: string; clock: (seconds: number) => string } {
  const unitSeconds = longestSeconds < 2 * 3600 ? 60 : 3600;
  const short = longestSeconds < 3600;
  const two = (value: number) => String(Math.floor(value)).padStart(2, '0');
  return {
    unit: unitSeconds === 60 ? 'minutes' : 'hours',
    amount: (seconds) => Math.round((seconds / unitSeconds) * 100) / 100,
    clockName: short ? 'minutes:seconds' : 'hours:minutes',
    clock: (seconds) => (short ? `${Math.floor(seconds / 60)}:${two(seconds % 60)}` : `${Math.floor(seconds / 3600)}:${two((seconds % 3600) / 60)}`),
  };
}

/**
 * What the supervisor is told when an agent's open chats are announced orphaned: who left how
 * many chats, where those the service moved went, and which still wait for someone.
 */
export function orphanedNote(event: OrphanedAssignments, names: ReadonlyMap<string, string>): string {
  const name = (agentId: string) => names.get(agentId) ?? agentId;
  const count = event.conversations.length;
  const moved = event.moved.map((move) => `${move.conversationId} to ${name(move.agentId)}`);
  const waiting = event.conversations.filter((conversationId) => !event.moved.some((move) => move.conversationId === conversationId));
  return [
    `${name(event.agentId)} is gone from ${count === 1 ? '1 open chat' : `${count} open chats`}.`,
    moved.length > 0 ? `Moved ${moved.join(', ')}.` : null,
    waiting.length > 0 ? `Waiting for someone: ${waiting.join(', ')}.` : null,
  ]
    .filter(Boolean)
    .join(' ');
}

/** Why a push to a device was skipped, as the agent is told after a test notification. */
const SKIPPED_WORDS: Record<string, string> = {
  fcm_not_configured: "this service is not set up to send through Firebase (FCM), which the phone app's devices need; an operator sets FCM_SERVICE_ACCOUNT_FILE",
  muted: 'you muted this type of notification',
  do_not_disturb: 'you are on do not disturb',
  outside_working_hours: 'you are outside your working hours',
  connected: 'this console is open, and pushes while it is open are off',
};

/**
 * What the agent is told after "Send me a test notification", from its deliveries: how many
 * devices it is on its way to, and why any were skipped, in words ("No device yet" only when
 * there is none).
 */
export function testNotificationOutcome(deliveries: ReadonlyArray<{ state: string; reason?: string | null }>): string {
  const sent = deliveries.filter((delivery) => delivery.state !== 'skipped').length;
  const reasons = [...new Set(deliveries.filter((delivery) => delivery.state === 'skipped').map((delivery) => delivery.reason ?? 'unknown'))];
  if (sent === 0 && (reasons.length === 0 || reasons.every((reason) => reason === 'no_devices'))) {
    return 'No device yet: nothing was sent. Enable browser notifications first (or add the app on your phone), then send a test.';
  }
  const why = reasons.filter((reason) => reason !== 'no_devices').map((reason) => SKIPPED_WORDS[reason] ?? reason.replaceAll('_', ' '));
  if (sent === 0) return `Nothing was sent: ${why.join('; ')}.`;
  const onItsWay = `A test notification is on its way to ${sent === 1 ? 'your device' : `your ${sent} devices`}.`;
  return why.length === 0 ? onItsWay : `${onItsWay} Some devices were skipped: ${why.join('; ')}.`;
}

/** A waiting chat as the supervisor's queue shows it. */
export interface QueuedChatView {
  conversationId: string;
  priority: number;
  arrivedAt: string;
  title: string | null;
  estimatedWaitSeconds: number | null;
  considered: ReadonlyArray<{ outcome: string }>;
  /** The skills it requires now (none: anyone). */
  requiredSkills?: readonly string[];
}

/** The queue in one line: "3 chats waiting, the longest for 4 min; priority 5: 1, priority 0: 2", or "No chat is waiting." */
export function queueSummary(chats: readonly QueuedChatView[], now: number, more = false): string {
  if (chats.length === 0) return 'No chat is waiting.';
  const longest = chats.reduce((oldest, chat) => Math.min(oldest, Date.parse(chat.arrivedAt)), Number.POSITIVE_INFINITY);
  const byPriority = new Map<number, number>();
  for (const chat of chats) byPriority.set(chat.priority, (byPriority.get(chat.priority) ?? 0) + 1);
  const counts = [...byPriority.entries()].sort(([a], [b]) => b - a).map(([priority, count]) => `priority ${priority}: ${count}`);
  const count = `${chats.length}${more ? '+' : ''} ${chats.length === 1 && !more ? 'chat' : 'chats'} waiting`;
  return `${count}, the longest for ${elapsed(new Date(longest).toISOString(), now)}; ${counts.join(', ')}`;
}

/** Why a chat waits, from its members' outcomes: "2 at capacity, 1 not available", or "no members". */
export function whyWaiting(considered: ReadonlyArray<{ outcome: string }>): string {
  if (considered.length === 0) return 'no members';
  const counts = new Map<string, number>();
  for (const member of considered) counts.set(member.outcome, (counts.get(member.outcome) ?? 0) + 1);
  return [...counts.entries()].map(([outcome, count]) => `${count} ${outcome.replaceAll('_', ' ')}`).join(', ');
}

/** A waiting chat's line: "Refund (priority 5), needs es, waiting 3 min, about 2 min more: 2 at capacity". */
export function queuedLine(chat: QueuedChatView, now: number): string {
  const needs = chat.requiredSkills && chat.requiredSkills.length > 0 ? `, needs ${chat.requiredSkills.join(', ')}` : '';
  const what = `${chat.title ?? chat.conversationId}${chat.priority === 0 ? '' : ` (priority ${chat.priority})`}${needs}`;
  const more = chat.estimatedWaitSeconds === null ? 'nobody is working' : `about ${Math.max(1, Math.round(chat.estimatedWaitSeconds / 60))} min more`;
  return `${what}, waiting ${elapsed(chat.arrivedAt, now)}, ${more}: ${whyWaiting(chat.considered)}`;
}

/** A row of the waiting report as its label: "2026-12-07", or "2026-12-07, priority 5" for any priority but 0. */
export function waitLabel(row: { period: string; priority: number }): string {
  return row.priority === 0 ? row.period : `${row.period}, priority ${row.priority}`;
}
