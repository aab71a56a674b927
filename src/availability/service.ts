import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { isTimeZone } from './working-hours.js';
import { calendarDays, dateParts, periodsOf, timeInState, type Interval, type Period, type ReportRow } from './report.js';
import type { AvailabilityReason, AvailabilityState } from './rule.js';
import type { HistoryStore } from './store.js';
import { REPORT_MAX_DAYS } from './schemas.js';

export { REPORT_MAX_DAYS };

/** The most rows (agents × periods) a report may answer (REPORT_MAX_DAYS: the most days, schemas.ts). */
export const REPORT_MAX_ROWS = 100_000;

export interface ReportQuery {
  from: string;
  to: string;
  tz?: string;
  groupBy?: 'day' | 'week';
}

/** The periods a report's query asks for (local days or weeks of [from, to] in tz); refuses what it cannot answer, naming the field. */
export function reportPeriods(query: ReportQuery): Period[] {
  const timeZone = query.tz ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new AppError('invalid_request', 'tz must be an IANA time zone such as Europe/Berlin or UTC');
  if (!dateParts(query.from)) throw new AppError('invalid_request', 'from must be a date, YYYY-MM-DD');
  if (!dateParts(query.to)) throw new AppError('invalid_request', 'to must be a date, YYYY-MM-DD');
  if (query.to < query.from) throw new AppError('invalid_request', 'to must be on or after from');
  if (calendarDays(query.from, query.to).length > REPORT_MAX_DAYS) throw new AppError('invalid_request', `a report spans at most ${REPORT_MAX_DAYS} days`);
  return periodsOf(query.from, query.to, timeZone, query.groupBy ?? 'day');
}

/** Availability history and the reports read from it; history itself is written where changes are announced. */
export function availabilityService(store: HistoryStore, now: () => number) {
  return {
    /** One agent's intervals on a chatbot, newest first, a page at a time. */
    async history(chatbotId: string, agentId: string, page: Page) {
      const rows = await store.page(chatbotId, agentId, page);
      return pageAnswer(
        rows,
        page,
        (row) => ({ at: Number(row.from_at), id: row.id }),
        (row) => ({
          id: row.id,
          state: row.state as AvailabilityState,
          reason: row.reason as AvailabilityReason,
          statusText: row.status_text,
          from: isoTime(row.from_at)!,
          to: isoTime(row.to_at),
          setBy: row.set_by,
        }),
      );
    },

    /** Time in each state per agent and local day or week of [from, to] in `tz`; refuses what it cannot answer, naming the field. */
    async timeInState(chatbotId: string, query: ReportQuery): Promise<{ rows: ReportRow[]; names: Map<string, string | null> }> {
      const periods = reportPeriods(query);
      const start = periods[0]!.start;
      const end = periods.at(-1)!.end;
      const rows = await store.overlapping(chatbotId, start, end);
      const agents = new Set(rows.map((row) => row.agent_id)).size;
      if (agents * periods.length > REPORT_MAX_ROWS) {
        throw new AppError('invalid_request', `the report would have ${agents * periods.length} rows, over ${REPORT_MAX_ROWS}; narrow the dates or use groupBy=week`);
      }
      const intervals: Interval[] = rows.map((row) => ({
        agentId: row.agent_id,
        state: row.state as AvailabilityState,
        from: Number(row.from_at),
        to: row.to_at === null ? null : Number(row.to_at),
      }));
      const names = new Map(rows.map((row) => [row.agent_id, row.agent_name]));
      return { rows: timeInState(intervals, periods, now()), names };
    },

    /** Deletes intervals that ended more than `days` ago. */
    prune: (days: number) => store.prune(now() - days * 86_400_000),
  };
}
export type AvailabilityService = ReturnType<typeof availabilityService>;
