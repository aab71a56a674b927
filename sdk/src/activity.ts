import { ok, type InboxClient } from './client.js';

/** The input events that mean a person is at the page. */
export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

/** The smallest piece of `document` the reporter reads: its visibility. */
interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

interface InputSource {
  addEventListener(type: string, listener: () => void, options?: { passive?: boolean; capture?: boolean }): void;
  removeEventListener(type: string, listener: () => void, options?: { capture?: boolean }): void;
}

export interface ActivityReporterOptions {
  api: InboxClient;
  chatbotId: string;
  /** Where input is listened for. Defaults to `window`. */
  target?: InputSource;
  /** Whose visibility counts. Defaults to `document`. */
  document?: VisibilitySource;
  /** The least time between two reports; the service stores at most one per 30 s anyway. */
  intervalMs?: number;
  /** Each report that failed (the next input tries again). */
  onError?: (error: unknown) => void;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * Decides, for one input at `now`, whether to report now, later (at the end of the window) or not
 * at all. Pure: the reporter keeps `lastReportAt` and whether a trailing report is already due.
 */
export function activityDecision(
  now: number,
  lastReportAt: number | null,
  trailingDue: boolean,
  intervalMs: number,
): { action: 'report' } | { action: 'schedule'; at: number } | { action: 'none' } {
  if (lastReportAt === null || now - lastReportAt >= intervalMs) return { action: 'report' };
  if (trailingDue) return { action: 'none' };
  return { action: 'schedule', at: lastReportAt + intervalMs };
}

export interface ActivityReporter {
  /** Removes the listeners and any pending report. */
  stop(): void;
}

/**
 * Tells the service that the person is active: on input and when the page becomes visible, at
 * most one `POST me/activity` per `intervalMs` (30 s) — the first input reports at once, later ones
 * inside the window make one report at its end. Input on a hidden page does not count. Starts with
 * a report when the page is visible (opening it is activity).
 *
 *   const reporter = startActivityReporter({ api, chatbotId });
 *   // on sign-out: reporter.stop();
 */
export function startActivityReporter(options: ActivityReporterOptions): ActivityReporter {
  const target = options.target ?? (globalThis as unknown as { window: InputSource }).window;
  const doc = options.document ?? (globalThis as unknown as { document: VisibilitySource }).document;
  const intervalMs = options.intervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  let lastReportAt: number | null = null;
  let trailing: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const report = (): void => {
    lastReportAt = now();
    options.api
      .POST('/v1/inbox/{chatbotId}/agents/me/activity', { params: { path: { chatbotId: options.chatbotId } } })
      .then(ok)
      .catch((error: unknown) => {
        // A failed report does not hold the window: the next input reports again.
        lastReportAt = null;
        options.onError?.(error);
      });
  };
  const onActivity = (): void => {
    if (stopped || doc.visibilityState !== 'visible') return;
    const decision = activityDecision(now(), lastReportAt, trailing !== null, intervalMs);
    if (decision.action === 'report') report();
    else if (decision.action === 'schedule') {
      trailing = setTimeout(() => {
        trailing = null;
        if (!stopped) report();
      }, decision.at - now());
    }
  };

  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, onActivity, { passive: true, capture: true });
  doc.addEventListener('visibilitychange', onActivity);
  onActivity();

  return {
    stop() {
      stopped = true;
      if (trailing) clearTimeout(trailing);
      trailing = null;
      for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, onActivity, { capture: true });
      doc.removeEventListener('visibilitychange', onActivity);
    },
  };
}
