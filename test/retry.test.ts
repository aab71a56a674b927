import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMillis, MAX_RETRY_AFTER_SECONDS, nextAttempt, retryAfterSeconds } from '../src/delivery/retry.js';
import { fcmOutcome } from '../src/push/fcm.js';
import { webPushOutcome } from '../src/push/webpush.js';
import { webhookOutcome } from '../src/webhooks/worker.js';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('Retry-After, read strictly (RFC 9110 10.2.3)', () => {
  const table: Array<[string | string[] | undefined, number | null]> = [
    ['120', 120],
    [' 30 ', 30],
    ['0', 0],
    [['7', '9'], 7],
    ['Sat, 05 Dec 2026 12:00:30 GMT', 30],
    ['Saturday, 05-Dec-26 12:01:00 GMT', 60],
    ['Sat Dec  5 12:02:00 2026', 120],
    ['Sat, 05 Dec 2026 11:00:00 GMT', 0],
    ['99999999999', MAX_RETRY_AFTER_SECONDS],
    ['-5', null],
    ['1.5', null],
    ['2026', 2026],
    ['2026-12-05T12:00:30Z', null],
    ['soon', null],
    ['', null],
    [undefined, null],
    ['Sat, 05 Dec 2026 12:00:30 PST', null],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} is ${expected === null ? 'not a Retry-After' : `${expected} s`}`, () => {
      assert.equal(retryAfterSeconds(value, NOW), expected);
    });
  }
});

describe('backoff and the next attempt', () => {
  it('doubles per attempt up to the ceiling, half of it fixed and half random', () => {
    const table: Array<[number, number, number]> = [
      // attempt, random, expected ms (base 1 s, max 60 s)
      [1, 0, 500],
      [1, 1, 1_000],
      [2, 0, 1_000],
      [3, 1, 4_000],
      [10, 0, 30_000],
      [10, 1, 60_000],
    ];
    for (const [attempt, random, expected] of table)
      assert.equal(
        backoffMillis(attempt, 1_000, 60_000, () => random),
        expected,
        `attempt ${attempt}, random ${random}`,
      );
  });

  it('waits the backoff, never sooner than Retry-After, and makes a last attempt just before the TTL', () => {
    const at = NOW;
    const table: Array<[string, number, number, number, number | null]> = [
      ['the backoff', at + 60_000, 2_000, 0, at + 2_000],
      ['Retry-After longer than the backoff', at + 60_000, 2_000, 10_000, at + 10_000],
      ['the backoff longer than Retry-After', at + 60_000, 8_000, 3_000, at + 8_000],
      ['cut short to a last attempt before the TTL', at + 5_000, 8_000, 0, at + 4_000],
      ['Retry-After past the TTL: none', at + 5_000, 1_000, 10_000, null],
      ['nothing left of the TTL: none', at + 500, 1_000, 0, null],
    ];
    for (const [name, expiresAt, backoff, retryAfter, expected] of table) assert.equal(nextAttempt(at, expiresAt, backoff, retryAfter), expected, name);
  });
});

describe('what an answer means', () => {
  it('Web Push (RFC 8030): 2xx sent, 404/410 gone, 401/403 our credentials, 429/5xx retried with Retry-After, else failed', () => {
    const table: Array<[number, number | null, string, number | undefined]> = [
      [201, null, 'sent', undefined],
      [404, null, 'gone', undefined],
      [410, null, 'gone', undefined],
      [401, null, 'misconfigured', undefined],
      [403, null, 'misconfigured', undefined],
      [429, 30, 'retry', 30],
      [503, null, 'retry', undefined],
      [500, 5, 'retry', 5],
      [400, null, 'failed', undefined],
      [413, null, 'failed', undefined],
    ];
    for (const [status, retryAfter, kind, seconds] of table) {
      const outcome = webPushOutcome(status, 'said', retryAfter);
      assert.equal(outcome.kind, kind, String(status));
      assert.equal(outcome.kind === 'retry' ? outcome.retryAfterSeconds : undefined, seconds, String(status));
    }
  });

  it('FCM v1: its error codes decide, then the status', () => {
    const fcmError = (status: string, errorCode?: string, field?: string) =>
      JSON.stringify({
        error: {
          status,
          message: 'said',
          details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', ...(errorCode ? { errorCode } : {}) }, ...(field ? [{ fieldViolations: [{ field }] }] : [])],
        },
      });
    const table: Array<[string, number, string, string]> = [
      ['sent', 200, '{"name":"projects/p/messages/1"}', 'sent'],
      ['unregistered token', 404, fcmError('NOT_FOUND', 'UNREGISTERED'), 'gone'],
      ['another sender', 403, fcmError('PERMISSION_DENIED', 'SENDER_ID_MISMATCH'), 'gone'],
      ['a malformed token', 400, fcmError('INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'message.token'), 'gone'],
      ['another invalid argument', 400, fcmError('INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'message.android.ttl'), 'failed'],
      ['our credentials', 401, fcmError('UNAUTHENTICATED'), 'misconfigured'],
      ['APNs credentials', 401, fcmError('UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR'), 'misconfigured'],
      ['quota', 429, fcmError('RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), 'retry'],
      ['unavailable', 503, fcmError('UNAVAILABLE', 'UNAVAILABLE'), 'retry'],
      ["a proxy's page", 502, '<html>bad gateway</html>', 'retry'],
    ];
    for (const [name, status, body, kind] of table) assert.equal(fcmOutcome(status, body, null).kind, kind, name);
    const quota = fcmOutcome(429, fcmError('RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), 60);
    assert.equal(quota.kind === 'retry' ? quota.retryAfterSeconds : null, 60, 'with the Retry-After it came with');
  });

  it('webhooks: 2xx sent; 5xx, 408 and 429 retried; other refusals final', () => {
    const table: Array<[number, string]> = [
      [200, 'sent'],
      [204, 'sent'],
      [500, 'retry'],
      [503, 'retry'],
      [408, 'retry'],
      [429, 'retry'],
      [400, 'failed'],
      [401, 'failed'],
      [410, 'failed'],
      [301, 'failed'],
    ];
    for (const [status, outcome] of table) assert.equal(webhookOutcome(status), outcome, String(status));
  });
});
