import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ago,
  offerCountdown,
  offerHeading,
  queuedLine,
  queueSummary,
  whyWaiting,
  chatLine,
  chosenStatusOf,
  newChatNotice,
  dayAndTime,
  describeState,
  load,
  orphanedNote,
  reasonWords,
  reportScale,
  teamLine,
  wallboardLine,
  testNotificationOutcome,
  zoneNote,
} from '../src/format.js';

const now = Date.parse('2026-12-02T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const base = { state: 'available', reason: 'ready', statusText: null, statusUntil: null, lastActiveAt: null, activeChats: null, maxChats: null } as const;

describe('how the console says an agent is', () => {
  const cases: Array<[string, Partial<Parameters<typeof describeState>[0]>, string]> = [
    ['available', {}, 'Available'],
    ['idle, from the last activity', { state: 'away', reason: 'idle', lastActiveAt: minutesAgo(10) }, 'Away: idle for 10 min'],
    ['idle for hours', { state: 'away', reason: 'idle', lastActiveAt: minutesAgo(125) }, 'Away: idle for 2 h'],
    ['outside working hours', { state: 'offline', reason: 'outside_working_hours' }, 'Offline: outside working hours'],
    ['chose offline', { state: 'offline', reason: 'chosen_offline' }, 'Offline'],
    ['no sign of life', { state: 'offline', reason: 'no_sign_of_life' }, 'Offline: not connected'],
    ['a chosen status with text and end', { state: 'busy', reason: 'chosen', statusText: 'In a meeting', statusUntil: '2026-12-02T10:30:00Z' }, 'Busy: In a meeting, until 10:30'],
    ['a chosen status alone', { state: 'dnd', reason: 'chosen' }, 'Do not disturb'],
    ['away with an end only', { state: 'away', reason: 'chosen', statusUntil: '2026-12-02T11:00:00Z' }, 'Away: until 11:00'],
    ['at capacity', { state: 'busy', reason: 'at_capacity', activeChats: 5, maxChats: 5 }, 'Busy: at capacity (5 of 5 chats)'],
    ['available with a text and an end', { statusText: 'Back from lunch', statusUntil: '2026-12-02T14:00:00Z' }, 'Available: Back from lunch, until 14:00'],
    ['available with a text', { statusText: 'Covering for Ana' }, 'Available: Covering for Ana'],
  ];
  for (const [name, entry, expected] of cases) it(name, () => assert.equal(describeState({ ...base, ...entry }, now, 'UTC'), expected));
});

describe('how long ago', () => {
  const cases: Array<[number | null, string | null]> = [
    [null, null],
    [0, 'just now'],
    [0.9, 'just now'],
    [3, '3 min ago'],
    [59, '59 min ago'],
    [60, '1 h ago'],
    [60 * 24, '1 day ago'],
    [60 * 24 * 3, '3 days ago'],
    [-5, 'just now'], // a clock a little ahead
  ];
  for (const [minutes, expected] of cases) it(`${minutes} min → ${expected}`, () => assert.equal(ago(minutes === null ? null : minutesAgo(minutes), now), expected));
});

describe('load and the team line', () => {
  it('load against capacity', () => {
    assert.equal(load({ activeChats: null, maxChats: 5 }), null);
    assert.equal(load({ activeChats: 2, maxChats: 5 }), '2 of 5 chats');
    assert.equal(load({ activeChats: 1, maxChats: null }), '1 chat');
    assert.equal(load({ activeChats: 3, maxChats: null }), '3 chats');
  });
  it('a line says name, state and why, last activity and load', () => {
    assert.equal(
      teamLine({ ...base, name: 'Ada', state: 'busy', reason: 'chosen', statusText: 'In a meeting', lastActiveAt: minutesAgo(3), activeChats: 2, maxChats: 5 }, now, 'UTC'),
      'Ada: Busy: In a meeting · last active 3 min ago · 2 of 5 chats',
    );
    assert.equal(teamLine({ ...base, name: 'Grace' }, now), 'Grace: Available');
    // The supervisor's line also says how long the state has held.
    assert.equal(wallboardLine({ ...base, name: 'Grace', since: minutesAgo(12) }, now), 'Grace: Available · in it for 12 min');
    // And the skills the agent holds, when it holds any.
    assert.equal(wallboardLine({ ...base, name: 'Grace', since: minutesAgo(12) }, now, undefined, ['billing', 'es']), 'Grace: Available · in it for 12 min · skills: billing, es');
  });
});

describe('how the report shows durations', () => {
  // [longest total, a duration, chart unit, chart amount, table column name, table cell]
  const cases: Array<[number, number, string, number, string, string]> = [
    [53, 47, 'minutes', 0.78, 'minutes:seconds', '0:47'],
    [53, 3, 'minutes', 0.05, 'minutes:seconds', '0:03'], // one decimal drew this as 0.1
    [3599, 3599, 'minutes', 59.98, 'minutes:seconds', '59:59'],
    [5400, 5400, 'minutes', 90, 'hours:minutes', '1:30'],
    [7200, 5400, 'hours', 1.5, 'hours:minutes', '1:30'],
    [7200, 7260, 'hours', 2.02, 'hours:minutes', '2:01'],
    [0, 0, 'minutes', 0, 'minutes:seconds', '0:00'],
  ];
  for (const [longest, seconds, unit, amount, clockName, cell] of cases) {
    it(`${seconds} s of at most ${longest} s → ${amount} ${unit}, ${cell}`, () => {
      const scale = reportScale(longest);
      assert.deepEqual([scale.unit, scale.amount(seconds), scale.clockName, scale.clock(seconds)], [unit, amount, clockName, cell]);
    });
  }
  it('a stack adds up to the table: 0:47 + 0:03 + 0:03 is 0:53', () => {
    const scale = reportScale(53);
    assert.equal(Math.round((scale.amount(47) + scale.amount(3) + scale.amount(3)) * 100) / 100, scale.amount(53));
  });
});

describe('the status Enter applies the status text to', () => {
  const cases: Array<[string, Pick<Parameters<typeof chosenStatusOf>[0], 'state' | 'reason'>, string | null]> = [
    ['a chosen status', { state: 'busy', reason: 'chosen' }, 'busy'],
    ['online with no status chosen', { state: 'available', reason: 'ready' }, 'available'],
    ['idle: the agent chose available', { state: 'away', reason: 'idle' }, 'available'],
    ['at capacity: the agent chose available', { state: 'busy', reason: 'at_capacity' }, 'available'],
    ['offline by choice', { state: 'offline', reason: 'chosen_offline' }, 'offline'],
    ['not connected: the entry does not say', { state: 'offline', reason: 'no_sign_of_life' }, null],
    ['outside working hours: the entry does not say', { state: 'offline', reason: 'outside_working_hours' }, null],
  ];
  for (const [what, entry, expected] of cases) it(`${what}: ${expected}`, () => assert.equal(chosenStatusOf(entry), expected));
});

describe('times in another zone than the browser say so', () => {
  it('the same zone says nothing', () => assert.equal(zoneNote('Europe/Berlin', 'Europe/Berlin'), null));
  it('another zone names both', () => assert.equal(zoneNote('Europe/Berlin', 'America/New_York'), 'Times are in Europe/Berlin (this browser: America/New_York).'));
});

describe('what the supervisor is told of orphaned chats', () => {
  const names = new Map([
    ['ag_ada', 'Ada'],
    ['ag_grace', 'Grace'],
  ]);
  const event = (conversations: string[], moved: Array<[string, string]> = []) => ({
    chatbotId: 'cb_1',
    agentId: 'ag_ada',
    conversations,
    moved: moved.map(([conversationId, agentId]) => ({ conversationId, agentId })),
  });
  const cases: Array<[string, ReturnType<typeof event>, string]> = [
    ['one chat, not moved', event(['c-1']), 'Ada is gone from 1 open chat. Waiting for someone: c-1.'],
    [
      'all moved',
      event(
        ['c-1', 'c-2'],
        [
          ['c-1', 'ag_grace'],
          ['c-2', 'ag_grace'],
        ],
      ),
      'Ada is gone from 2 open chats. Moved c-1 to Grace, c-2 to Grace.',
    ],
    ['some moved, one waits', event(['c-1', 'c-2'], [['c-2', 'ag_grace']]), 'Ada is gone from 2 open chats. Moved c-2 to Grace. Waiting for someone: c-1.'],
    ['an agent no longer listed: its id', { ...event(['c-1']), agentId: 'ag_gone' }, 'ag_gone is gone from 1 open chat. Waiting for someone: c-1.'],
  ];
  for (const [what, given, expected] of cases) it(what, () => assert.equal(orphanedNote(given, names), expected));
});

describe('reasons and times as a person reads them', () => {
  it('reason codes in words, never raw', () => {
    const table: Array<[string, string]> = [
      ['ready', 'ready for chats'],
      ['chosen_offline', 'set offline'],
      ['no_sign_of_life', 'not connected'],
      ['outside_working_hours', 'outside working hours'],
      ['at_capacity', 'at capacity'],
      ['idle', 'idle'],
      ['something_new', 'something new'],
    ];
    for (const [reason, words] of table) assert.equal(reasonWords(reason), words, reason);
  });

  it('a day and time on the 24-hour clock, like every other time', () => {
    assert.equal(dayAndTime('2026-12-07T14:30:00Z', 'UTC'), 'Mon 7 Dec 14:30');
    assert.equal(dayAndTime('2026-12-07T09:05:00Z', 'UTC'), 'Mon 7 Dec 09:05');
    assert.doesNotMatch(dayAndTime('2026-12-07T21:05:00Z', 'UTC'), /AM|PM/i);
  });
});

describe('what a test notification tells the agent', () => {
  it('no device, a device FCM cannot reach, devices on their way, some skipped', () => {
    assert.match(testNotificationOutcome([{ state: 'skipped', reason: 'no_devices' }]), /^No device yet/);
    const fcm = testNotificationOutcome([{ state: 'skipped', reason: 'fcm_not_configured' }]);
    assert.match(fcm, /^Nothing was sent: this service is not set up to send through Firebase \(FCM\)/);
    assert.doesNotMatch(fcm, /No device yet/, 'a device is listed: never "no device"');
    assert.equal(testNotificationOutcome([{ state: 'pending', reason: null }]), 'A test notification is on its way to your device.');
    assert.equal(
      testNotificationOutcome([
        { state: 'pending', reason: null },
        { state: 'pending', reason: null },
        { state: 'skipped', reason: 'fcm_not_configured' },
      ]),
      "A test notification is on its way to your 2 devices. Some devices were skipped: this service is not set up to send through Firebase (FCM), which the phone app's devices need; an operator sets FCM_SERVICE_ACCOUNT_FILE.",
    );
    assert.equal(testNotificationOutcome([{ state: 'skipped', reason: 'muted' }]), 'Nothing was sent: you muted this type of notification.');
  });
});

describe('My chats and the new-chat notice', () => {
  it('a chat is its title (else its conversation) and how long it has been mine', () => {
    assert.deepEqual(chatLine({ conversationId: 'conv-1', title: 'Refund', assignedAt: minutesAgo(12) }, now), { what: 'Refund', held: 'Yours for 12 min' });
    assert.deepEqual(chatLine({ conversationId: 'conv-2', title: null, assignedAt: minutesAgo(0) }, now), { what: 'conv-2', held: 'Yours for 1 min' });
    assert.deepEqual(chatLine({ conversationId: 'conv-3', title: null, assignedAt: minutesAgo(185) }, now).held, 'Yours for 3 h');
  });
  const cases: Array<[string, Parameters<typeof newChatNotice>[0], string | null]> = [
    ['a new chat of mine', { type: 'assignment.created', agentId: 'me', conversationId: 'c1', title: 'Refund' }, 'New chat: Refund'],
    ['without a title: the conversation', { type: 'assignment.created', agentId: 'me', conversationId: 'c1', title: null }, 'New chat: c1'],
    ['passed to me', { type: 'assignment.transferred', agentId: 'me', conversationId: 'c2' }, 'Chat passed to you: c2'],
    ["another agent's", { type: 'assignment.created', agentId: 'other', conversationId: 'c3' }, null],
    ['released: no news', { type: 'assignment.released', agentId: 'me', conversationId: 'c1' }, null],
  ];
  for (const [what, event, expected] of cases) it(what, () => assert.equal(newChatNotice(event, 'me'), expected));
});

describe("the supervisor's queue", () => {
  const chat = (minutes: number, priority = 0, overrides: Partial<Parameters<typeof queuedLine>[0]> = {}) => ({
    conversationId: `c-${minutes}`,
    priority,
    arrivedAt: minutesAgo(minutes),
    title: null,
    estimatedWaitSeconds: 120,
    considered: [{ outcome: 'at_capacity' }, { outcome: 'at_capacity' }, { outcome: 'not_available' }],
    ...overrides,
  });
  it('summed up: how many, the longest wait, how many per priority (highest first)', () => {
    assert.equal(queueSummary([], now), 'No chat is waiting.');
    assert.equal(queueSummary([chat(4), chat(2, 5), chat(1)], now), '3 chats waiting, the longest for 4 min; priority 5: 1, priority 0: 2');
    assert.equal(queueSummary([chat(1)], now, true), '1+ chats waiting, the longest for 1 min; priority 0: 1');
  });
  it('why a chat waits, from its members', () => {
    assert.equal(whyWaiting([]), 'no members');
    assert.equal(whyWaiting(chat(1).considered), '2 at capacity, 1 not available');
  });
  it('one waiting chat: what, priority when not 0, how long, how much longer, why', () => {
    assert.equal(queuedLine(chat(3, 5, { title: 'Refund' }), now), 'Refund (priority 5), waiting 3 min, about 2 min more: 2 at capacity, 1 not available');
    assert.equal(queuedLine(chat(3, 0, { estimatedWaitSeconds: null, considered: [{ outcome: 'not_available' }] }), now), 'c-3, waiting 3 min, nobody is working: 1 not available');
    assert.equal(
      queuedLine(chat(2, 0, { requiredSkills: ['es'], considered: [{ outcome: 'missing_skill' }, { outcome: 'at_capacity' }] }), now),
      'c-2, needs es, waiting 2 min, about 2 min more: 1 missing skill, 1 at capacity',
    );
  });
});

describe('an offer’s countdown and heading', () => {
  const expiresAt = '2026-12-08T10:01:05.000Z';
  const cases: Array<[now: string, shown: string]> = [
    ['2026-12-08T10:00:00.000Z', '1:05'],
    ['2026-12-08T10:00:38.200Z', '0:27'],
    ['2026-12-08T10:01:04.001Z', '0:01'],
    ['2026-12-08T10:01:05.000Z', '0:00'],
    ['2026-12-08T10:02:00.000Z', '0:00'],
  ];
  for (const [now, shown] of cases) it(`${now} → ${shown}`, () => assert.equal(offerCountdown(expiresAt, Date.parse(now)), shown));
  it('the heading names the chat by its title, else its conversation', () => {
    assert.equal(offerHeading({ conversationId: 'c-1', title: 'Refund' }), 'Chat offered to you: Refund');
    assert.equal(offerHeading({ conversationId: 'c-1', title: null }), 'Chat offered to you: c-1');
  });
});
