/** How long to wait before reconnecting: from `initialMs`, doubling per failure, up to `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/**
 * The delay before attempt number `failures` (1 after the first failure): the capped exponential
 * step, of which a random half to all is taken ("equal jitter"), so a crowd of clients that lost
 * the same server does not come back at the same instant. `random` answers in [0, 1).
 */
export function nextDelay(failures: number, backoff: Backoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Seconds of a `Retry-After` header (delta-seconds or an HTTP date) in milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  // An HTTP date starts with the day's name ("Wed, 02 Dec 2026 10:00:30 GMT"); Date.parse alone would read "-5" as a year.
  if (!/^[A-Za-z]{3}, /.test(header.trim())) return null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
