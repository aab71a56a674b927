import { instantOf, localTime } from './working-hours.js';
import type { AvailabilityState } from './rule.js';

/**
 * The time-in-state report, pure: how long each agent spent in each state per day or week of a
 * date range in a time zone, from the history's intervals. Periods are local calendar days (or
 * ISO weeks from Monday) in that zone, so a day across a daylight-saving change has 23 or 25
 * hours, and an interval across midnight counts in both days.
 */

export interface Interval {
  agentId: string;
  state: AvailabilityState;
  from: number;
  /** Null: the agent's current interval, counted up to `now`. */
  to: number | null;
}

export interface Period {
  /** The local date the period begins on, YYYY-MM-DD (a week: its Monday, or the range's first day). */
  label: string;
  start: number;
  end: number;
}

export interface ReportRow {
  agentId: string;
  period: string;
  seconds: Record<AvailabilityState, number>;
  firstAvailableAt: number | null;
  lastAvailableAt: number | null;
}

/** A local calendar date, YYYY-MM-DD, as its parts; null when it is no such date. */
export function dateParts(date: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

const isoDate = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** The days from `from` to `to` (inclusive) as UTC midnights of those calendar dates. */
export function calendarDays(from: string, to: string): number[] {
  const a = dateParts(from)!;
  const b = dateParts(to)!;
  const days: number[] = [];
  for (let day = Date.UTC(a.year, a.month - 1, a.day); day <= Date.UTC(b.year, b.month - 1, b.day); day += DAY) days.push(day);
  return days;
}

/** The periods of a date range in a zone: one per local day, or one per ISO week (Monday first), clipped to the range. */
export function periodsOf(from: string, to: string, timeZone: string, groupBy: 'day' | 'week'): Period[] {
  const startOf = (utcMidnight: number) => {
    const d = new Date(utcMidnight);
    return instantOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, timeZone);
  };
  const days = calendarDays(from, to);
  const periods: Period[] = [];
  for (const day of days) {
    const monday = new Date(day).getUTCDay() === 1;
    if (groupBy === 'day' || periods.length === 0 || monday) periods.push({ label: isoDate(day), start: startOf(day), end: startOf(day + DAY) });
    else periods[periods.length - 1]!.end = startOf(day + DAY);
  }
  return periods;
}

const STATES: AvailabilityState[] = ['available', 'away', 'busy', 'dnd', 'offline'];

/** Seconds per state, and first and last moments available, per agent and period; only agents with history in the period. */
export function timeInState(intervals: readonly Interval[], periods: readonly Period[], now: number): ReportRow[] {
  const byAgent = new Map<string, Interval[]>();
  for (const interval of intervals) byAgent.set(interval.agentId, [...(byAgent.get(interval.agentId) ?? []), interval]);
  const rows: ReportRow[] = [];
  for (const [agentId, own] of [...byAgent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const period of periods) {
      const seconds = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<AvailabilityState, number>;
      let firstAvailableAt: number | null = null;
      let lastAvailableAt: number | null = null;
      let any = false;
      for (const interval of own) {
        const start = Math.max(interval.from, period.start);
        const end = Math.min(interval.to ?? now, period.end, now);
        if (end <= start) continue;
        any = true;
        seconds[interval.state] += (end - start) / 1000;
        if (interval.state === 'available') {
          firstAvailableAt = firstAvailableAt === null ? start : Math.min(firstAvailableAt, start);
          lastAvailableAt = lastAvailableAt === null ? end : Math.max(lastAvailableAt, end);
        }
      }
      if (!any) continue;
      for (const state of STATES) seconds[state] = Math.round(seconds[state]);
      rows.push({ agentId, period: period.label, seconds, firstAvailableAt, lastAvailableAt });
    }
  }
  return rows;
}

/** The rows as CSV (RFC 4180): a header line, then one line per row, times in ISO-8601 UTC. */
export function reportCsv(rows: readonly ReportRow[], names: ReadonlyMap<string, string | null>): string {
  const header = ['agentId', 'agentName', 'period', ...STATES.map((state) => `${state}Seconds`), 'firstAvailableAt', 'lastAvailableAt'];
  const time = (millis: number | null) => (millis === null ? '' : new Date(millis).toISOString());
  const lines = rows.map((row) =>
    [row.agentId, names.get(row.agentId) ?? '', row.period, ...STATES.map((state) => String(row.seconds[state])), time(row.firstAvailableAt), time(row.lastAvailableAt)]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, quotes doubled. A
 * field a spreadsheet would run as a formula (starting with =, +, -, @, a tab or CR) is kept as
 * text with a leading apostrophe, as OWASP advises for CSV files people open.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The local date of an instant in a zone, YYYY-MM-DD. */
export function localDate(at: number, timeZone: string): string {
  const local = localTime(at, timeZone);
  return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}
