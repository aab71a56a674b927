import { csvField, type Period } from '../availability/report.js';

/**
 * The waiting report, pure: per period (the local day or week a chat arrived) and priority, how
 * many chats arrived, how they stand or ended (assigned, released, cancelled, expired, still
 * waiting), and how long the assigned ones waited for their agent (p50 and p90, seconds; a chat
 * assigned at once waited 0 s). The store reads the chats; the periods come from
 * availability/report.ts, so both reports cut days the same way.
 */

/** A chat as the report reads it: when it arrived, its priority, its state, and how long it waited for its first agent (null: none took it). */
export interface ReportedChat {
  arrivedAt: number;
  priority: number;
  state: 'waiting' | 'assigned' | 'released' | 'cancelled' | 'expired';
  waitedMs: number | null;
}

export interface WaitRow {
  period: string;
  priority: number;
  chats: number;
  /** Given an agent (still assigned or released since). */
  assigned: number;
  cancelled: number;
  expired: number;
  waiting: number;
  /** Seconds the assigned ones waited, the median and the 90th percentile (nearest rank); null without any. */
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
}

/** The nearest-rank percentile of sorted values (null when there are none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One row per period and priority with any chat, periods in order, higher priority first within one. */
export function waitReport(chats: readonly ReportedChat[], periods: readonly Period[]): WaitRow[] {
  const rows: WaitRow[] = [];
  for (const period of periods) {
    const inPeriod = chats.filter((chat) => chat.arrivedAt >= period.start && chat.arrivedAt < period.end);
    const priorities = [...new Set(inPeriod.map((chat) => chat.priority))].sort((a, b) => b - a);
    for (const priority of priorities) {
      const these = inPeriod.filter((chat) => chat.priority === priority);
      const waits = these
        .filter((chat) => chat.waitedMs !== null)
        .map((chat) => Math.max(0, Math.round(chat.waitedMs! / 1000)))
        .sort((a, b) => a - b);
      const count = (state: ReportedChat['state']) => these.filter((chat) => chat.state === state).length;
      rows.push({
        period: period.label,
        priority,
        chats: these.length,
        assigned: count('assigned') + count('released'),
        cancelled: count('cancelled'),
        expired: count('expired'),
        waiting: count('waiting'),
        waitP50Seconds: percentile(waits, 50),
        waitP90Seconds: percentile(waits, 90),
      });
    }
  }
  return rows;
}

/** The rows as CSV (RFC 4180), as the time-in-state report's. */
export function waitReportCsv(rows: readonly WaitRow[]): string {
  const header = ['period', 'priority', 'chats', 'assigned', 'cancelled', 'expired', 'waiting', 'waitP50Seconds', 'waitP90Seconds'];
  const lines = rows.map((row) =>
    [row.period, row.priority, row.chats, row.assigned, row.cancelled, row.expired, row.waiting, row.waitP50Seconds ?? '', row.waitP90Seconds ?? '']
      .map((value) => csvField(String(value)))
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
