import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAvailableAt } from '../src/availability/next-available.js';
import { judgeMembers } from '../src/presence/judge.js';
import { listedEntry } from '../src/presence/entry.js';
import type { MemberPresenceRow } from '../src/presence/member-store.js';
import { rounds, type Work } from '../src/presence/unit-of-work.js';
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
    ['the same agent twice: a second round, in order', [work('c1', ['a']), work('c1', ['b']), work('c1', ['a'])], [['c1:a', 'c1:b'], ['c1:a']]],
    [
      'repeats of a few agents pack into as many rounds as the busiest has works',
      [work('c1', ['a']), work('c1', ['a']), work('c1', ['b']), work('c1', ['c']), work('c1', ['b']), work('c1', ['a'])],
      [['c1:a', 'c1:b', 'c1:c'], ['c1:a', 'c1:b'], ['c1:a']],
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
  const { entry, visible, since } = listedEntry(row, at, DEFAULTS);
  return {
    ...row,
    announced_online: entry.online ? 1 : 0,
    announced_connected: entry.connected ? 1 : 0,
    announced_devices: entry.devices,
    announced_visible: visible,
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
