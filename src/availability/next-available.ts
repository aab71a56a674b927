import { isOpen, nextOpening, type WorkingHours } from './working-hours.js';

/** What one member says about when someone is next available. */
export interface MemberOutlook {
  /** When the rule makes the member available by itself with nothing else changing (a chosen status lapsing); null: not by itself. */
  dueAt: number | null;
  /** The schedule's answer: the next opening of the member's working hours, if the member chose to be online and would be available then; null otherwise. */
  openingAt: number | null;
}

/**
 * When a chat widget may say "we're back at 9:00", while nobody is available: the earliest
 * moment a member is due back by itself, or the schedule's answer, the next opening of a member
 * who chose to be online; when no member gives an opening, the next opening of the chatbot's
 * default hours. Null when neither says anything (nobody chose to be online, no schedule).
 * Pure; the caller answers null while someone is available.
 */
export function nextAvailableAt(members: readonly MemberOutlook[], chatbotOpeningAt: number | null): number | null {
  let due: number | null = null;
  let opening: number | null = null;
  for (const member of members) {
    if (member.dueAt !== null && (due === null || member.dueAt < due)) due = member.dueAt;
    if (member.openingAt !== null && (opening === null || member.openingAt < opening)) opening = member.openingAt;
  }
  const scheduled = opening ?? chatbotOpeningAt;
  if (due === null) return scheduled;
  return scheduled === null ? due : Math.min(due, scheduled);
}

/** The next opening of a schedule while it is closed at `at` (null: open now, or none within a week). */
export function openingAfter(hours: WorkingHours | null, at: number): number | null {
  if (!hours || isOpen(hours, at)) return null;
  return nextOpening(hours, at);
}
