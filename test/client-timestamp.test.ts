import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientTimestamp } from '../src/presence/client-timestamp.js';

describe('clientTimestamp parsing', () => {
  it('reads every accepted form as epoch milliseconds', () => {
    const cases: Array<[string | number, number]> = [
      ['1732400000000', 1732400000000],
      [1732400000000, 1732400000000],
      ['978307200000', Date.UTC(2001, 0, 1)],
      ['2024-11-23T22:13:20Z', Date.UTC(2024, 10, 23, 22, 13, 20)],
      ['2024-11-23T22:13:20.5Z', Date.UTC(2024, 10, 23, 22, 13, 20, 500)],
      ['2024-11-23T22:13:20.123456789Z', Date.UTC(2024, 10, 23, 22, 13, 20, 123)],
      ['2024-11-23T22:13Z', Date.UTC(2024, 10, 23, 22, 13)],
      ['2024-11-24T00:13:20+02:00', Date.UTC(2024, 10, 23, 22, 13, 20)],
      ['2024-11-23T20:13:20-0200', Date.UTC(2024, 10, 23, 22, 13, 20)],
      ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ];
    for (const [input, expected] of cases) assert.equal(parseClientTimestamp(input), expected, String(input));
  });

  it('refuses everything else with invalid_client_timestamp', () => {
    for (const input of [
      '',
      ' 1',
      '1.5',
      '-1',
      '1e12',
      '2023-02-29T00:00:00Z',
      '2024-11-23',
      '2024-11-23T24:00:00Z',
      '2024-11-23T22:13:20',
      'now',
      1.5,
      -1,
      Number.MAX_SAFE_INTEGER + 2,
    ]) {
      assert.throws(
        () => parseClientTimestamp(input),
        (error: { code?: string }) => error.code === 'invalid_client_timestamp',
        String(input),
      );
    }
  });

  it('refuses a number that is plainly seconds (before 2001 in milliseconds), saying so', () => {
    for (const input of ['1732400000', 1732400000, '978307199999', '0', 0, '123456789']) {
      assert.throws(
        () => parseClientTimestamp(input),
        (error: { code?: string; message?: string }) => error.code === 'invalid_client_timestamp' && /epoch milliseconds; this looks like seconds/.test(error.message ?? ''),
        String(input),
      );
    }
    assert.equal(parseClientTimestamp('1999-12-31T23:59:59Z'), Date.UTC(1999, 11, 31, 23, 59, 59), 'a written date is not mistaken for seconds');
  });
});
