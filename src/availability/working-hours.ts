import { AppError } from '../errors.js';

/**
 * Working hours: a weekly schedule in an IANA time zone, and the two questions the availability
 * rule asks of it: is it open at an instant, and when does that next change. Local times are
 * turned into instants with `Intl` (the time-zone data Node ships, kept current with it), so
 * daylight-saving changes follow the zone's rules rather than a fixed offset.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening on a day, in local time: "09:00" to "17:30"; `to` may be "24:00". */
export interface Opening {
  from: string;
  to: string;
}

export interface WorkingHours {
  timeZone: string;
  /** Openings per weekday; a day left out is closed. A night shift is two openings: "22:00"–"24:00" and the next day's "00:00"–"06:00". */
  weekly: Partial<Record<Weekday, Opening[]>>;
}

/** How many days ahead a boundary is looked for: a week, plus a day for a zone's offset. */
const DAYS_AHEAD = 8;
const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is a zone this runtime knows (an IANA name such as "Europe/Berlin"). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" (00:00 to 24:00) as minutes of the day, or null when it is not such a time. */
export function minutesOf(time: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minute: number;
}

const SHORT_WEEKDAYS: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The wall-clock date and time of an instant in a zone. */
export function localTime(at: number, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: SHORT_WEEKDAYS[parts.weekday!]!,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (local minus UTC). */
function offsetAt(at: number, timeZone: string): number {
  const local = localTime(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local date and minute of the day happen in a zone. A local time skipped by a
 * daylight-saving change (02:30 on the night clocks go forward) resolves to the instant just
 * after the gap; one that happens twice resolves to the first.
 */
export function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, 0, minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  if (first === second) return first;
  // Two different offsets: either the time is skipped (neither candidate shows it) or repeated.
  const shows = (at: number) => {
    const local = localTime(at, timeZone);
    return Date.UTC(local.year, local.month - 1, local.day, 0, local.minute) === asUtc;
  };
  if (shows(first) && shows(second)) return Math.min(first, second);
  if (shows(first)) return first;
  if (shows(second)) return second;
  return Math.max(first, second);
}

/**
 * Answers per schedule and minute: openings begin and end on whole local minutes, so every
 * instant of a minute has the same answers, and a list of agents sharing a schedule asks the
 * same questions many times. Each schedule object is kept while it is in use (see entry.ts).
 */
const MEMO_LIMIT = 4096;
function memoized<T>(memo: WeakMap<WorkingHours, Map<number, T>>, hours: WorkingHours, at: number, compute: () => T): T {
  const minute = Math.floor(at / MINUTE);
  let byMinute = memo.get(hours);
  if (!byMinute) memo.set(hours, (byMinute = new Map()));
  const known = byMinute.get(minute);
  if (known !== undefined) return known;
  if (byMinute.size >= MEMO_LIMIT) byMinute.clear();
  const value = compute();
  byMinute.set(minute, value);
  return value;
}
const openMemo = new WeakMap<WorkingHours, Map<number, boolean>>();
const boundaryMemo = new WeakMap<WorkingHours, Map<number, number | null>>();

/** Whether the schedule is open at an instant. */
export function isOpen(hours: WorkingHours, at: number): boolean {
  return memoized(openMemo, hours, at, () => openAt(hours, at));
}

function openAt(hours: WorkingHours, at: number): boolean {
  const local = localTime(at, hours.timeZone);
  return (hours.weekly[local.weekday] ?? []).some((opening) => minutesOf(opening.from)! <= local.minute && local.minute < minutesOf(opening.to)!);
}

/** The first instant after `at` at which the schedule opens or closes (null: it never does). */
export function nextBoundary(hours: WorkingHours, at: number): number | null {
  return memoized(boundaryMemo, hours, at, () => boundaryAfter(hours, at));
}

function boundaryAfter(hours: WorkingHours, at: number): number | null {
  const open = isOpen(hours, at);
  const today = localTime(at, hours.timeZone);
  const candidates: number[] = [];
  for (let ahead = 0; ahead <= DAYS_AHEAD; ahead++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    for (const opening of hours.weekly[weekday] ?? []) {
      for (const time of [opening.from, opening.to]) {
        const instant = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutesOf(time)!, hours.timeZone);
        if (instant > at) candidates.push(instant);
      }
    }
  }
  candidates.sort((a, b) => a - b);
  // Adjacent openings (a night shift split at midnight) touch without a change: skip those.
  for (const candidate of candidates) if (isOpen(hours, candidate) !== open) return candidate;
  return null;
}

/** The first instant at or after `at` at which the schedule is open (null: never within a week). */
export function nextOpening(hours: WorkingHours, at: number): number | null {
  if (isOpen(hours, at)) return at;
  return nextBoundary(hours, at);
}

/** At most this many openings per day. */
export const MAX_OPENINGS_PER_DAY = 4;

/** What is wrong with a schedule a client sent, in words that name the field; null when nothing. */
export function workingHoursProblem(hours: WorkingHours): string | null {
  if (!isTimeZone(hours.timeZone)) return 'workingHours.timeZone must be an IANA time zone such as Europe/Berlin or UTC';
  for (const [day, openings] of Object.entries(hours.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `workingHours.weekly.${day} is not a weekday; use mon, tue, wed, thu, fri, sat, sun`;
    if (!Array.isArray(openings) || openings.length > MAX_OPENINGS_PER_DAY) return `workingHours.weekly.${day} must be a list of at most ${MAX_OPENINGS_PER_DAY} openings`;
    for (const opening of openings) {
      const from = minutesOf(opening.from);
      const to = minutesOf(opening.to);
      if (from === null || to === null || from >= to) return `workingHours.weekly.${day}: each opening runs from "HH:MM" to a later "HH:MM" (at most "24:00")`;
    }
  }
  return null;
}

/** A schedule as stored (JSON, keys in a fixed order), or null; refused naming the field when wrong. */
export function requireWorkingHours(value: WorkingHours | null): string | null {
  if (value === null) return null;
  const problem = workingHoursProblem(value);
  if (problem) throw new AppError('invalid_request', problem);
  const weekly = Object.fromEntries(WEEKDAYS.filter((day) => value.weekly[day]?.length).map((day) => [day, value.weekly[day]!.map(({ from, to }) => ({ from, to }))]));
  return JSON.stringify({ timeZone: value.timeZone, weekly });
}
