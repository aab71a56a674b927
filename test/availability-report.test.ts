import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, periodsOf, reportCsv, timeInState, type Interval } from '../src/availability/report.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('time-in-state report (pure)', () => {
  it('splits an interval across midnight in the requested zone, not UTC', () => {
    // 23:00 to 01:00 Berlin time (CET, UTC+1) on 2026-01-15/16 is 22:00 to 00:00 UTC: one UTC day, two Berlin days.
    const intervals: Interval[] = [{ agentId: 'ag_a', state: 'available', from: at('2026-01-15T22:00:00Z'), to: at('2026-01-16T00:00:00Z') }];
    const berlin = timeInState(intervals, periodsOf('2026-01-15', '2026-01-16', 'Europe/Berlin', 'day'), at('2026-02-01T00:00:00Z'));
    assert.deepEqual(
      berlin.map((row) => [row.period, row.seconds.available, new Date(row.firstAvailableAt!).toISOString(), new Date(row.lastAvailableAt!).toISOString()]),
      [
        ['2026-01-15', 3600, '2026-01-15T22:00:00.000Z', '2026-01-15T23:00:00.000Z'],
        ['2026-01-16', 3600, '2026-01-15T23:00:00.000Z', '2026-01-16T00:00:00.000Z'],
      ],
    );
    const utc = timeInState(intervals, periodsOf('2026-01-15', '2026-01-16', 'UTC', 'day'), at('2026-02-01T00:00:00Z'));
    assert.deepEqual(
      utc.map((row) => [row.period, row.seconds.available]),
      [['2026-01-15', 7200]],
    );
  });

  it('a day across a daylight-saving change has 23 hours in Berlin (spring) and 25 in New York (autumn)', () => {
    const [spring] = periodsOf('2026-03-29', '2026-03-29', 'Europe/Berlin', 'day');
    assert.equal((spring!.end - spring!.start) / H, 23);
    const [autumn] = periodsOf('2026-11-01', '2026-11-01', 'America/New_York', 'day');
    assert.equal((autumn!.end - autumn!.start) / H, 25);
    // An agent offline all of that New York day: 25 hours of offline, none lost or doubled.
    const rows = timeInState([{ agentId: 'ag_a', state: 'offline', from: autumn!.start - H, to: autumn!.end + H }], [autumn!], autumn!.end + 2 * H);
    assert.deepEqual(rows[0]!.seconds, { available: 0, away: 0, busy: 0, dnd: 0, offline: 25 * 3600 });
    assert.equal(rows[0]!.firstAvailableAt, null);
  });

  it('weeks begin on Monday and are clipped to the range; the current interval counts up to now', () => {
    const periods = periodsOf('2026-11-20', '2026-11-30', 'UTC', 'week');
    assert.deepEqual(
      periods.map((period) => [period.label, (period.end - period.start) / (24 * H)]),
      [
        ['2026-11-20', 3],
        ['2026-11-23', 7],
        ['2026-11-30', 1],
      ],
    );
    const now = at('2026-11-24T12:00:00Z');
    const rows = timeInState(
      [
        { agentId: 'ag_b', state: 'busy', from: at('2026-11-22T12:00:00Z'), to: at('2026-11-23T12:00:00Z') },
        { agentId: 'ag_b', state: 'available', from: at('2026-11-23T12:00:00Z'), to: null },
        { agentId: 'ag_a', state: 'dnd', from: at('2026-11-21T00:00:00Z'), to: at('2026-11-21T00:30:00Z') },
      ],
      periods,
      now,
    );
    assert.deepEqual(
      rows.map((row) => [row.agentId, row.period, row.seconds]),
      [
        ['ag_a', '2026-11-20', { available: 0, away: 0, busy: 0, dnd: 1800, offline: 0 }],
        ['ag_b', '2026-11-20', { available: 0, away: 0, busy: 12 * 3600, dnd: 0, offline: 0 }],
        ['ag_b', '2026-11-23', { available: 24 * 3600, away: 0, busy: 12 * 3600, dnd: 0, offline: 0 }],
      ],
      'agents in id order; no row for a period without history; nothing counted after now',
    );
  });

  it("CSV has a header and one line per row, RFC 4180 line ends, the agent's name beside its id", () => {
    const row = (agentId: string) => ({
      agentId,
      period: '2026-11-23',
      seconds: { available: 60, away: 0, busy: 0, dnd: 0, offline: 5 },
      firstAvailableAt: at('2026-11-23T08:00:00Z'),
      lastAvailableAt: at('2026-11-23T08:01:00Z'),
    });
    const csv = reportCsv(
      [row('ag_a'), row('ag_gone')],
      new Map([
        ['ag_a', 'Smith, "Ally"'],
        ['ag_gone', null],
      ]),
    );
    assert.equal(
      csv,
      'agentId,agentName,period,availableSeconds,awaySeconds,busySeconds,dndSeconds,offlineSeconds,firstAvailableAt,lastAvailableAt\r\n' +
        'ag_a,"Smith, ""Ally""",2026-11-23,60,0,0,0,5,2026-11-23T08:00:00.000Z,2026-11-23T08:01:00.000Z\r\n' +
        'ag_gone,,2026-11-23,60,0,0,0,5,2026-11-23T08:00:00.000Z,2026-11-23T08:01:00.000Z\r\n',
    );
  });

  it('one CSV field: quoted when RFC 4180 says so, a formula kept as text', () => {
    const table: Array<[string, string]> = [
      ['Ally', 'Ally'],
      ['', ''],
      ['Smith, Ally', '"Smith, Ally"'],
      ['Say "hi"', '"Say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['cr\rinside', '"cr\rinside"'],
      ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
      ['+1 555', "'+1 555"],
      ['-2', "'-2"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['Zoë 😀', 'Zoë 😀'],
    ];
    for (const [value, expected] of table) assert.equal(csvField(value), expected, JSON.stringify(value));
  });
});
