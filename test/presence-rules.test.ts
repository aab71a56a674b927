import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAvailableAt } from '../src/availability/next-available.js';
import { judgeMembers } from '../src/presence/judge.js';
import { listedEntry, setByOf } from '../src/presence/entry.js';
import { announcedOf, sameAnnouncement, sameStateAnnounced, shownFrom, shownText, type Announced, type Shown } from '../src/presence/announced.js';
import type { MemberPresenceRow } from '../src/presence/member-store.js';
import type { SignOfLife } from '../src/presence/device-store.js';
import type { StatusUpdate } from '../src/presence/store.js';
import { foldPosts, foldStatusUpdates, rounds, standingOf } from '../src/presence/rounds.js';
import type { Work } from '../src/presence/unit-of-work.js';
import { memberRow } from './helpers/member-row.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0);
const S = 1000;
const DEFAULTS = { ttlMillis: 150 * S, graceMillis: 20 * S };

describe('the unit of work: rounds', () => {
  const work = (chatbotId: string, agentIds?: string[]): Work => ({ chatbotId, agentIds });
  const together = (chatbotId: string): Work => ({ chatbotId, together: true });
  const shape = (works: Work[]) => rounds(works).map((round) => round.map((w) => `${w.chatbotId}:${w.agentIds?.join('+') ?? '*'}`));
  const rows: Array<[string, Work[], string[][]]> = [
    ['distinct agents share one round', [work('c1', ['a']), work('c1', ['b']), work('c2', ['a'])], [['c1:a', 'c1:b', 'c2:a']]],
    ['the same agent twice: one round, in the order submitted', [work('c1', ['a']), work('c1', ['b']), work('c1', ['a'])], [['c1:a', 'c1:b', 'c1:a']]],
    [
      'repeats of a few agents: still one round, whatever the busiest has',
      [work('c1', ['a']), work('c1', ['a']), work('c1', ['b']), work('c1', ['c']), work('c1', ['b']), work('c1', ['a'])],
      [['c1:a', 'c1:a', 'c1:b', 'c1:c', 'c1:b', 'c1:a']],
    ],
    [
      'an agent before and after its whole chatbot: a round each side',
      [work('c1', ['a']), work('c1', ['a']), work('c1'), work('c1', ['a'])],
      [['c1:a', 'c1:a'], ['c1:*'], ['c1:a']],
    ],
    ['a whole chatbot after its agents: a round of its own', [work('c1', ['a']), work('c1'), work('c2', ['x'])], [['c1:a', 'c2:x'], ['c1:*']]],
    ['an agent after its chatbot was judged whole waits for that round', [work('c1'), work('c1', ['a']), work('c1', ['b'])], [['c1:*'], ['c1:a', 'c1:b']]],
    ['an agent after its whole chatbot: a new round', [work('c1'), work('c1', ['a'])], [['c1:*'], ['c1:a']]],
    ['other chatbots never clash', [work('c1'), work('c2'), work('c3', ['a'])], [['c1:*', 'c2:*', 'c3:a']]],
    ['a work touching nobody joins the round', [work('c1', ['a']), work('c1', [])], [['c1:a', 'c1:']]],
    [
      'whole-chatbot works that go together (assignments) share one round, after the agents before them',
      [work('c1', ['a']), together('c1'), together('c1'), together('c2'), together('c1')],
      [
        ['c1:a', 'c2:*'],
        ['c1:*', 'c1:*', 'c1:*'],
      ],
    ],
    [
      'a work for an agent after them waits for their round; the next ones start another',
      [together('c1'), work('c1', ['a']), together('c1'), work('c1')],
      [['c1:*'], ['c1:a'], ['c1:*'], ['c1:*']],
    ],
  ];
  for (const [name, works, expected] of rows) it(name, () => assert.deepEqual(shape(works), expected));
});

describe('the unit of work: one row per agent and device', () => {
  const update = (agent_id: string, online: number, client_ts: number, at: number, chatbot_id = 'c1'): StatusUpdate => ({
    chatbot_id,
    agent_id,
    online,
    client_ts,
    updated_at: at,
    last_seen_at: at,
    online_changed_at: online ? at : null,
  });
  const statusRows: Array<[string, StatusUpdate[], StatusUpdate[]]> = [
    ['one update stays as it is', [update('a', 1, 5, 100)], [update('a', 1, 5, 100)]],
    [
      'distinct agents are not folded',
      [update('a', 1, 5, 100), update('b', 0, 3, 101), update('a', 0, 1, 102, 'c2')],
      [update('a', 1, 5, 100), update('b', 0, 3, 101), update('a', 0, 1, 102, 'c2')],
    ],
    ['the greatest clientTimestamp wins, with the latest sign of life', [update('a', 1, 9, 100), update('a', 0, 4, 103)], [{ ...update('a', 1, 9, 100), last_seen_at: 103 }]],
    ['a later, newer update wins', [update('a', 1, 4, 100), update('a', 0, 9, 103)], [update('a', 0, 9, 103)]],
    ['of equal clientTimestamps, the later submitted (as the stored row would be overwritten)', [update('a', 1, 7, 100), update('a', 0, 7, 101)], [update('a', 0, 7, 101)]],
    [
      'a flapping burst ends where its newest update says',
      [update('a', 1, 1, 100), update('a', 0, 2, 101), update('a', 1, 3, 102), update('a', 0, 4, 103), update('a', 1, 5, 104)],
      [update('a', 1, 5, 104)],
    ],
  ];
  for (const [name, updates, expected] of statusRows) it(`status updates: ${name}`, () => assert.deepEqual(foldStatusUpdates(updates), expected));

  // What each folded update is answered, from what stood after the winner (client_ts as PostgreSQL returns a bigint: a string).
  const stood = { chatbot_id: 'c1', agent_id: 'a', online: 0, client_ts: '9' as unknown as number, updated_at: 103, last_seen_at: 104 };
  const answerRows: Array<[string, StatusUpdate, { online: number; client_ts: number; updated_at: number }]> = [
    ['the winner: what stood', update('a', 0, 9, 103), { online: 0, client_ts: 9, updated_at: 103 }],
    ['an older update: refused, answered with the winner', update('a', 1, 4, 101), { online: 0, client_ts: 9, updated_at: 103 }],
    ['a tie submitted before the winner: applied in its turn, its own values', update('a', 1, 9, 101), { online: 1, client_ts: 9, updated_at: 101 }],
  ];
  for (const [name, folded, expected] of answerRows)
    it(`answers: ${name}`, () => {
      const { online, client_ts, updated_at } = standingOf(folded, stood);
      assert.deepEqual({ online, client_ts: Number(client_ts), updated_at }, expected);
    });
  it('answers: a stored row newer than the whole round refuses every update of it', () => {
    const newer = { ...stood, client_ts: 20, online: 1 };
    for (const folded of [update('a', 0, 9, 103), update('a', 1, 4, 101)]) assert.deepEqual(standingOf(folded, newer), newer);
  });

  const post = (agent_id: string, key_id: string, at: number): SignOfLife => ({ chatbot_id: 'c1', agent_id, key_id, at });
  const postRows: Array<[string, SignOfLife[], SignOfLife[]]> = [
    ['devices of one agent stay apart', [post('a', 'k1', 100), post('a', 'k2', 90)], [post('a', 'k1', 100), post('a', 'k2', 90)]],
    [
      'a device posting twice: its latest, even when it arrived first',
      [post('a', 'k1', 105), post('a', 'k1', 100), post('b', 'k1', 101)],
      [post('a', 'k1', 105), post('b', 'k1', 101)],
    ],
  ];
  for (const [name, posts, expected] of postRows) it(`posts: ${name}`, () => assert.deepEqual(foldPosts(posts), expected));
});

/** A member as the store reads it, chosen online, alive through a posting device, everything else default. */
const member = (overrides: Partial<MemberPresenceRow> = {}): MemberPresenceRow =>
  memberRow({
    online: 1,
    updated_at: NOW - 60 * S,
    last_seen_at: NOW - 10 * S,
    online_changed_at: NOW - 60 * S,
    devices: [{ keyId: 'k', postedAt: NOW - 10 * S, closedAt: null, streams: 0 }],
    ...overrides,
  });

/** The member as if its entry at `at` had been announced, with `nextChangeAt` stored. */
function announced(row: MemberPresenceRow, at: number, stored: number | null): MemberPresenceRow {
  const { entry, shown, since } = listedEntry(row, at, DEFAULTS);
  return {
    ...row,
    announced_online: entry.online ? 1 : 0,
    announced_connected: entry.connected ? 1 : 0,
    announced_devices: entry.devices,
    announced_visible: shownText(shown),
    announced_since: since,
    announced_next_change_at: stored,
  };
}

describe('judging members', () => {
  it('a member never announced is news, with its next change to store and the state change it opens', () => {
    const { claims, decided, reschedule } = judgeMembers([member()], NOW, DEFAULTS);
    assert.equal(claims.length, 1);
    assert.equal(claims[0]!.claim.next_change_at, NOW + 140 * S);
    const { id, ...state } = claims[0]!.state!;
    assert.deepEqual(state, { state: 'available', reason: 'ready', statusText: null, from: NOW, setBy: null });
    assert.match(id, /^his_/, 'the interval it opens');
    assert.equal(claims[0]!.claim.history_id, id, 'kept with the announcement, to be closed by the next change');
    assert.equal(claims[0]!.closes, null, 'nothing was open');
    assert.deepEqual(decided, [{ chatbotId: 'cb', agentId: 'ag', nextChangeAt: NOW + 140 * S }]);
    assert.deepEqual(reschedule, []);
  });

  it('what was announced is no news; a later next change (a heartbeat) stores nothing, an earlier or missing one is stored', () => {
    const row = member();
    assert.deepEqual(judgeMembers([announced(row, NOW, NOW + 100 * S)], NOW, DEFAULTS).reschedule, [], 'stored earlier than the true one: kept');
    assert.deepEqual(
      judgeMembers([announced(row, NOW, NOW + 200 * S)], NOW, DEFAULTS).reschedule,
      [{ chatbot_id: 'cb', agent_id: 'ag', next_change_at: NOW + 140 * S }],
      'stored too late',
    );
    assert.deepEqual(judgeMembers([announced(row, NOW, null)], NOW, DEFAULTS).reschedule, [{ chatbot_id: 'cb', agent_id: 'ag', next_change_at: NOW + 140 * S }], 'none stored');
    assert.deepEqual(judgeMembers([announced(row, NOW, NOW + 100 * S)], NOW, DEFAULTS).claims, []);
  });

  it('a second device coming alive is news (the count changes), though the state does not', () => {
    const before = announced(member(), NOW, NOW + 140 * S);
    const { claims } = judgeMembers([{ ...before, devices: [...before.devices, { keyId: 'phone', postedAt: NOW, closedAt: null, streams: 0 }] }], NOW, DEFAULTS);
    assert.equal(claims.length, 1);
    assert.equal(claims[0]!.claim.devices, 2);
    assert.equal(claims[0]!.state, null, 'no new history interval: the state is the same');
    assert.deepEqual([claims[0]!.closes, claims[0]!.claim.history_id], [null, before.announced_history_id], 'the open interval stays open');
  });

  it('an agent offline outside working hours keeps the opening as its next change', () => {
    const hours = JSON.stringify({ timeZone: 'UTC', weekly: { tue: [{ from: '13:00', to: '17:00' }] } });
    const row = member({ working_hours: hours, devices: [], last_seen_at: null, online_changed_at: Date.UTC(2026, 10, 17, 14, 0) });
    const [decided] = judgeMembers([row], NOW, DEFAULTS).decided;
    assert.equal(decided!.nextChangeAt, Date.UTC(2026, 10, 24, 13, 0));
  });
});

describe("the schedule's answer: nextAvailableAt", () => {
  const at9 = Date.UTC(2026, 10, 25, 9, 0);
  const at10 = Date.UTC(2026, 10, 25, 10, 0);
  const lapse = Date.UTC(2026, 10, 24, 12, 30);
  const rows: Array<[string, Array<{ dueAt: number | null; openingAt: number | null }>, number | null, number | null]> = [
    ['nobody says anything: null', [{ dueAt: null, openingAt: null }], null, null],
    ['a status lapsing brings one back', [{ dueAt: lapse, openingAt: null }], null, lapse],
    [
      'the next opening of a member who chose to be online',
      [
        { dueAt: null, openingAt: at10 },
        { dueAt: null, openingAt: at9 },
      ],
      null,
      at9,
    ],
    ['the earlier of a lapse and an opening', [{ dueAt: lapse, openingAt: at9 }], null, lapse],
    ["the chatbot's default hours when no member gives an opening", [{ dueAt: null, openingAt: null }], at9, at9],
    ["a member's own opening before the chatbot's default", [{ dueAt: null, openingAt: at10 }], at9, at10],
    ['no members: the default hours alone', [], at9, at9],
  ];
  for (const [name, members, chatbotOpening, expected] of rows) it(name, () => assert.equal(nextAvailableAt(members, chatbotOpening), expected));
});

describe('who set the status that stands (setBy)', () => {
  it('the chosen status setter while it decides, the online flag setter while that does, nobody when the clock or devices decide', () => {
    const row = (status: string | null) => ({ status, status_set_by: 'ag_status_setter', online_set_by: 'ag_online_setter' });
    const table: Array<[{ state: string; reason: string }, string | null, boolean, string | null]> = [
      [{ state: 'away', reason: 'chosen' }, 'away', true, 'ag_status_setter'],
      [{ state: 'offline', reason: 'chosen_offline' }, 'away', true, 'ag_online_setter'],
      [{ state: 'available', reason: 'ready' }, 'available', true, 'ag_status_setter'],
      [{ state: 'available', reason: 'ready' }, 'available', false, 'ag_online_setter'],
      [{ state: 'available', reason: 'ready' }, null, false, 'ag_online_setter'],
      [{ state: 'away', reason: 'idle' }, 'available', true, null],
      [{ state: 'busy', reason: 'at_capacity' }, 'available', true, null],
      [{ state: 'offline', reason: 'outside_working_hours' }, 'available', true, null],
      [{ state: 'offline', reason: 'no_sign_of_life' }, 'away', true, null],
    ];
    for (const [derived, status, holds, expected] of table) {
      assert.equal(setByOf(derived, row(status), holds), expected, `${derived.reason} with ${status} (holds: ${holds})`);
    }
  });
});

describe('what was announced, compared as values (announced.ts)', () => {
  const shown = (overrides: Partial<Shown> = {}): Shown => ({ state: 'away', reason: 'chosen', statusText: 'Lunch "at" 12\\n', until: NOW + 60 * S, ...overrides });
  const announcement = (overrides: Partial<Announced> = {}): Announced => ({ online: true, connected: false, devices: 1, shown: shown(), ...overrides });

  it('the stored text reads back as the same values, any text included', () => {
    for (const value of [shown(), shown({ statusText: null, until: null }), shown({ statusText: 'ünï ✓ $1 \\ "' })]) assert.deepEqual(shownFrom(shownText(value)), value);
    assert.equal(shownFrom(null), null);
  });

  const cases: Array<[string, Announced | null, Announced, boolean, boolean]> = [
    // what, last announced, now, no news, same state
    ['the same: no news', announcement(), announcement(), true, true],
    ['nothing announced yet: news', null, announcement(), false, false],
    ['announced before the availability model: news', announcement({ shown: null }), announcement(), false, false],
    ['another device alive: news, same state', announcement(), announcement({ devices: 2 }), false, true],
    ['connected: news, same state', announcement(), announcement({ connected: true }), false, true],
    ['online flag: news, same state', announcement(), announcement({ online: false }), false, true],
    ['a new until alone: news, same state', announcement(), announcement({ shown: shown({ until: NOW }) }), false, true],
    ['another text: a new state', announcement(), announcement({ shown: shown({ statusText: 'Lunch' }) }), false, false],
    ['another reason: a new state', announcement(), announcement({ shown: shown({ reason: 'idle' }) }), false, false],
    ['another state: a new state', announcement(), announcement({ shown: shown({ state: 'dnd' }) }), false, false],
  ];
  for (const [what, last, now, same, sameState] of cases) {
    it(what, () => {
      assert.equal(sameAnnouncement(last, now), same);
      assert.equal(sameStateAnnounced(last, now.shown!), sameState);
    });
  }

  it('a member row as stored reads back as what its entry announced', () => {
    const row = member();
    const { entry, shown: entryShown } = listedEntry(row, NOW, DEFAULTS);
    const last = announcedOf(announced(row, NOW, null));
    assert.ok(sameAnnouncement(last, { online: entry.online, connected: entry.connected, devices: entry.devices, shown: entryShown }));
    assert.equal(announcedOf(row), null, 'nothing announced yet');
  });
});
