import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { deriveAvailability, sameVisible, type AvailabilityInputs } from '../src/availability/rule.js';
import { instantOf, isOpen, localTime, nextBoundary, type WorkingHours } from '../src/availability/working-hours.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0); // a Tuesday, 12:00 UTC
const MIN = 60_000;
const base: AvailabilityInputs = {
  online: true,
  explicitOnlineAt: NOW - 60 * MIN,
  aliveUntil: NOW + 5 * MIN,
  status: null,
  lastActiveAt: null,
  idleAfterMs: 10 * MIN,
  activeChats: null,
  maxChats: null,
  workingHours: null,
};
const officeUtc: WorkingHours = { timeZone: 'UTC', weekly: { tue: [{ from: '09:00', to: '17:00' }] } };

describe('availability rule: the table', () => {
  const rows: Array<[string, Partial<AvailabilityInputs>, string, string, string | null, number | null]> = [
    ['a live agent with nothing else is available', {}, 'available', 'ready', null, NOW + 5 * MIN],
    ['a live agent on an open stream never changes by itself', { aliveUntil: Infinity }, 'available', 'ready', null, null],
    ['online: false is offline, whatever else holds', { online: false, status: { status: 'dnd', text: 'Focus', until: null } }, 'offline', 'chosen_offline', 'Focus', null],
    ['no sign of life is offline', { aliveUntil: NOW - 1 }, 'offline', 'no_sign_of_life', null, null],
    ['never seen is offline', { aliveUntil: null }, 'offline', 'no_sign_of_life', null, null],
    ['a chosen dnd holds until it lapses', { status: { status: 'dnd', text: 'In a meeting', until: NOW + 2 * MIN } }, 'dnd', 'chosen', 'In a meeting', NOW + 2 * MIN],
    ['a chosen busy with no until lasts until liveness ends', { status: { status: 'busy', text: null, until: null } }, 'busy', 'chosen', null, NOW + 5 * MIN],
    ['a lapsed chosen status is available again', { status: { status: 'away', text: 'Lunch', until: NOW - 1 } }, 'available', 'ready', null, NOW + 5 * MIN],
    ['a chosen available carries its text', { status: { status: 'available', text: 'Back', until: null }, aliveUntil: Infinity }, 'available', 'ready', 'Back', null],
    ['at capacity is busy', { activeChats: 3, maxChats: 3 }, 'busy', 'at_capacity', null, NOW + 5 * MIN],
    ['under capacity is available', { activeChats: 2, maxChats: 3 }, 'available', 'ready', null, NOW + 5 * MIN],
    ['a chosen away beats capacity', { activeChats: 3, maxChats: 3, status: { status: 'away', text: null, until: null } }, 'away', 'chosen', null, NOW + 5 * MIN],
    ['no activity for idleAfter is away, idle', { lastActiveAt: NOW - 11 * MIN }, 'away', 'idle', null, NOW + 5 * MIN],
    ['recent activity is available until idleAfter passes', { lastActiveAt: NOW - 9 * MIN, aliveUntil: Infinity }, 'available', 'ready', null, NOW + MIN],
    ['capacity beats idle', { lastActiveAt: NOW - 11 * MIN, activeChats: 1, maxChats: 1 }, 'busy', 'at_capacity', null, NOW + 5 * MIN],
    ['inside working hours changes nothing', { workingHours: officeUtc, aliveUntil: Infinity }, 'available', 'ready', null, Date.UTC(2026, 10, 24, 17, 0)],
    [
      'outside working hours is offline, until the next opening',
      { workingHours: { timeZone: 'UTC', weekly: { tue: [{ from: '13:00', to: '17:00' }] } }, explicitOnlineAt: Date.UTC(2026, 10, 17, 14, 0), aliveUntil: Infinity },
      'offline',
      'outside_working_hours',
      null,
      Date.UTC(2026, 10, 24, 13, 0),
    ],
    [
      'online: true outside hours overrides them until the next opening, then the closing ends the day',
      { workingHours: { timeZone: 'UTC', weekly: { tue: [{ from: '13:00', to: '17:00' }] } }, explicitOnlineAt: NOW - MIN, aliveUntil: Infinity },
      'available',
      'ready',
      null,
      Date.UTC(2026, 10, 24, 17, 0),
    ],
    ['chosen offline beats working hours', { online: false, workingHours: officeUtc }, 'offline', 'chosen_offline', null, null],
  ];
  for (const [name, inputs, state, reason, statusText, nextChangeAt] of rows) {
    it(name, () => {
      const result = deriveAvailability({ ...base, ...inputs }, NOW);
      assert.deepEqual(result, { state, reason, statusText, nextChangeAt });
    });
  }
});

describe('working hours across daylight-saving changes', () => {
  const berlin: WorkingHours = { timeZone: 'Europe/Berlin', weekly: { sun: [{ from: '01:00', to: '04:00' }], mon: [{ from: '09:00', to: '17:00' }] } };
  const newYork: WorkingHours = { timeZone: 'America/New_York', weekly: { sun: [{ from: '01:00', to: '04:00' }], mon: [{ from: '09:00', to: '17:00' }] } };

  it('Berlin: the Sunday shift in which clocks go forward (2026-03-29) lasts two hours, Monday opens at 09:00 CEST', () => {
    const open = instantOf(2026, 3, 29, 60, 'Europe/Berlin');
    assert.equal(new Date(open).toISOString(), '2026-03-29T00:00:00.000Z', '01:00 CET');
    const close = nextBoundary(berlin, open);
    assert.equal(new Date(close!).toISOString(), '2026-03-29T02:00:00.000Z', '04:00 CEST is two real hours later');
    const monday = nextBoundary(berlin, close!);
    assert.equal(new Date(monday!).toISOString(), '2026-03-30T07:00:00.000Z', '09:00 CEST');
  });

  it('New York: the Sunday shift in which clocks go back (2026-11-01) lasts four hours', () => {
    const open = instantOf(2026, 11, 1, 60, 'America/New_York');
    assert.equal(new Date(open).toISOString(), '2026-11-01T05:00:00.000Z', '01:00 EDT, the first of the two');
    const close = nextBoundary(newYork, open);
    assert.equal(new Date(close!).toISOString(), '2026-11-01T09:00:00.000Z', '04:00 EST');
    assert.equal(isOpen(newYork, Date.UTC(2026, 10, 1, 6, 30)), true, '01:30 EST, the repeated hour, is open');
  });

  it('a local time skipped by the change resolves to just after the gap', () => {
    const skipped = instantOf(2026, 3, 29, 150, 'Europe/Berlin'); // 02:30 does not happen
    assert.equal(new Date(skipped).toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(localTime(skipped, 'Europe/Berlin').minute, 3 * 60 + 30);
  });

  it('a night shift split at midnight has no boundary at midnight', () => {
    const night: WorkingHours = { timeZone: 'UTC', weekly: { mon: [{ from: '22:00', to: '24:00' }], tue: [{ from: '00:00', to: '06:00' }] } };
    const close = nextBoundary(night, Date.UTC(2026, 10, 23, 23, 0));
    assert.equal(new Date(close!).toISOString(), '2026-11-24T06:00:00.000Z');
  });
});

describe('availability rule: properties', () => {
  const moment = fc.integer({ min: NOW - 3 * 24 * 60 * MIN, max: NOW + 3 * 24 * 60 * MIN });
  const opening = fc
    .tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 1, max: 96 }))
    .map(([start, length]) => {
      const end = Math.min(96, start + length);
      const time = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
      return { from: time(start), to: time(Math.min(Math.max(end, start + 1), 96)) };
    })
    .filter((o) => o.from < o.to);
  const hours: fc.Arbitrary<WorkingHours | null> = fc.option(
    fc.record({
      timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'),
      weekly: fc.dictionary(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'), fc.array(opening, { maxLength: 2 })),
    }),
  );
  const inputs: fc.Arbitrary<AvailabilityInputs> = fc.record({
    online: fc.boolean(),
    explicitOnlineAt: fc.option(moment),
    aliveUntil: fc.option(fc.oneof(moment, fc.constant(Infinity))),
    status: fc.option(
      fc.record({
        status: fc.constantFrom('available' as const, 'away' as const, 'busy' as const, 'dnd' as const),
        text: fc.option(fc.constantFrom('In a meeting', 'Lunch')),
        until: fc.option(moment),
      }),
    ),
    lastActiveAt: fc.option(moment),
    idleAfterMs: fc.integer({ min: 30_000, max: 86_400_000 }),
    activeChats: fc.option(fc.integer({ min: 0, max: 5 })),
    maxChats: fc.option(fc.integer({ min: 0, max: 5 })),
    workingHours: hours,
  });

  it('nothing visible changes before nextChangeAt, and something does at it', () => {
    fc.assert(
      fc.property(inputs, moment, fc.double({ min: 0, max: 1, noNaN: true }), (given, now, fraction) => {
        const at = deriveAvailability(given, now);
        const horizon = at.nextChangeAt ?? now + 8 * 24 * 60 * MIN;
        const probe = now + Math.floor((horizon - now) * fraction);
        if (probe < horizon) assert.ok(sameVisible(deriveAvailability(given, probe), at), `changed at ${probe}, before ${at.nextChangeAt}`);
        if (at.nextChangeAt !== null) {
          assert.ok(at.nextChangeAt > now);
          assert.ok(!sameVisible(deriveAvailability(given, at.nextChangeAt), at), 'nextChangeAt changes something visible');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the state is offline exactly when the seed would list the agent offline, barring working hours', () => {
    fc.assert(
      fc.property(inputs, moment, (given, now) => {
        const seedOnline = given.online && given.aliveUntil !== null && now < given.aliveUntil;
        const { state } = deriveAvailability({ ...given, workingHours: null }, now);
        assert.equal(state !== 'offline', seedOnline);
      }),
      { numRuns: 2000 },
    );
  });
});
