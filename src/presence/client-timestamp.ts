import { AppError } from '../errors.js';

const RULE =
  'clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone, e.g. "1732400000000" or "2024-11-23T22:13:20.000Z"';

/** 2001-01-01T00:00:00Z in epoch milliseconds: a number below it is a clock in seconds (today is about 1.8e9 s), not a moment. */
export const EARLIEST_MILLIS = 978_307_200_000;

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseIso(text: string): number | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = Number(digits.slice(2) || '0');
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/**
 * Reads a clientTimestamp in any of the accepted forms as epoch milliseconds. The seed's
 * example is a string of digits; ISO-8601 and JSON numbers are accepted for convenience. A
 * number before 2001 in milliseconds is refused as plainly seconds.
 */
export function parseClientTimestamp(value: string | number): number {
  let millis: number | null = null;
  if (typeof value === 'number') {
    millis = Number.isSafeInteger(value) && value >= 0 ? value : null;
  } else if (/^\d{1,16}$/.test(value)) {
    millis = Number(value);
  } else {
    millis = parseIso(value);
  }
  if (millis === null || !Number.isSafeInteger(millis) || millis < 0) throw new AppError('invalid_client_timestamp', RULE);
  // In seconds it would lose to every timestamp in milliseconds under last writer wins: 200
  // `applied: false` forever. Said plainly instead.
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    if (millis < EARLIEST_MILLIS) {
      throw new AppError(
        'invalid_client_timestamp',
        `clientTimestamp must be epoch milliseconds; this looks like seconds (${value} is before 2001 in milliseconds): multiply by 1000`,
      );
    }
  }
  return millis;
}

/**
 * Refuses a timestamp too far ahead of the server clock: under last writer wins, one device with
 * a fast clock would otherwise freeze the agent's status until real time caught up.
 */
export function assertNotTooFarAhead(clientMillis: number, serverMillis: number, maxAheadSeconds: number): void {
  const aheadMillis = clientMillis - serverMillis;
  if (aheadMillis > maxAheadSeconds * 1000) {
    throw new AppError(
      'client_timestamp_in_future',
      `clientTimestamp is ${Math.round(aheadMillis / 1000)} s ahead of the server clock; at most ${maxAheadSeconds} s is accepted (check the device clock)`,
    );
  }
}

const MAX_STATUS_MILLIS = 366 * 24 * 60 * 60 * 1000;

/** A chosen status's `until` as epoch ms (null: it does not lapse), refused unless in the future and at most 366 days ahead. */
export function chosenStatusUntil(until: string | null | undefined, at: number): number | null {
  const millis = until === undefined || until === null ? null : Date.parse(until);
  if (millis !== null && !(millis > at && millis <= at + MAX_STATUS_MILLIS))
    throw new AppError('invalid_request', 'until must be a date-time in the future, at most 366 days ahead');
  return millis;
}
