/**
 * When to try a delivery again, for pushes and webhooks alike: the backoff, the receiver's
 * Retry-After, and the message's TTL. Pure.
 */

/** The longest Retry-After honoured (28 days, Web Push's longest TTL); a longer one is read as this. */
export const MAX_RETRY_AFTER_SECONDS = 2_419_200;

/** A retry is not worth making with less than this left of the TTL; the last one is made this long before it. */
const LAST_ATTEMPT_MARGIN_MS = 1_000;

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
/** RFC 9110 5.6.7's three forms of an HTTP-date: IMF-fixdate, then the obsolete RFC 850 and asctime forms. */
const HTTP_DATE = new RegExp(
  [
    `^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-(${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}$`,
  ].join('|'),
);

/**
 * Seconds to wait from a Retry-After header (RFC 9110 10.2.3): delay-seconds (digits only) or an
 * HTTP-date; null for anything else. Strict on purpose: a lenient date parser reads "-5" or
 * "2026" as a year and parks a delivery for ever, or sends it at once.
 */
export function retryAfterSeconds(value: string | string[] | undefined, now: number): number | null {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return null;
  if (/^\d{1,12}$/.test(raw)) return Math.min(Number(raw), MAX_RETRY_AFTER_SECONDS);
  if (!HTTP_DATE.test(raw)) return null;
  const date = Date.parse(raw.endsWith('GMT') ? raw : `${raw} GMT`);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMillis(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * When to try again after a failure worth retrying: the backoff, never sooner than Retry-After.
 * While the TTL lasts, a wait that would overshoot it is cut short so that one last attempt is
 * made just before the TTL (unless Retry-After forbids it). Null: no attempt fits before the
 * TTL any more.
 */
export function nextAttempt(at: number, expiresAt: number, backoff: number, retryAfterMillis: number): number | null {
  const lastChance = expiresAt - LAST_ATTEMPT_MARGIN_MS;
  const next = Math.min(at + Math.max(backoff, retryAfterMillis), lastChance);
  return next > at && next >= at + retryAfterMillis ? next : null;
}
