import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inAvailableAudience, skipReason, type Recipient } from '../src/push/routing.js';

const reachable: Recipient = { mutedTypes: [], connected: false, pushWhenConnected: false, state: 'available', reason: 'ready' };

describe('who gets a push (the routing rule)', () => {
  const rows: Array<[string, Partial<Recipient>, 'normal' | 'critical', string | null]> = [
    ['an available agent gets it', {}, 'normal', null],
    ['a muted type is skipped', { mutedTypes: ['conversation.new'] }, 'normal', 'muted'],
    ['critical overrides a mute', { mutedTypes: ['conversation.new'] }, 'critical', null],
    ['do not disturb is skipped', { state: 'dnd', reason: 'chosen' }, 'normal', 'do_not_disturb'],
    ['critical reaches do not disturb', { state: 'dnd', reason: 'chosen' }, 'critical', null],
    ['outside working hours is skipped', { state: 'offline', reason: 'outside_working_hours' }, 'normal', 'outside_working_hours'],
    ['critical reaches outside working hours', { state: 'offline', reason: 'outside_working_hours' }, 'critical', null],
    ['busy and away agents named in the audience get it', { state: 'busy', reason: 'at_capacity' }, 'normal', null],
    ['a connected agent sees it live: skipped', { connected: true }, 'normal', 'connected'],
    ['unless it asked for pushes while connected', { connected: true, pushWhenConnected: true }, 'normal', null],
    ['critical does not push to an open console', { connected: true }, 'critical', 'connected'],
    ['a mute is reported before do not disturb', { mutedTypes: ['conversation.new'], state: 'dnd', reason: 'chosen' }, 'normal', 'muted'],
  ];
  for (const [name, recipient, priority, expected] of rows) {
    it(name, () => assert.equal(skipReason({ ...reachable, ...recipient }, { type: 'conversation.new', priority }), expected));
  }

  const selfRows: Array<[string, Partial<Recipient>]> = [
    ['a test to oneself reaches a muted type', { mutedTypes: ['inbox.test'] }],
    ['a test to oneself reaches do not disturb', { state: 'dnd', reason: 'chosen' }],
    ['a test to oneself reaches outside working hours', { state: 'offline', reason: 'outside_working_hours' }],
    ['a test to oneself reaches an open console', { connected: true }],
  ];
  for (const [name, recipient] of selfRows) {
    it(name, () => assert.equal(skipReason({ ...reachable, ...recipient }, { type: 'inbox.test', priority: 'critical', toSelf: true }), null));
  }

  it('the audience "available" is exactly the agents whose state is available', () => {
    assert.deepEqual((['available', 'away', 'busy', 'dnd', 'offline'] as const).filter(inAvailableAudience), ['available']);
  });
});
