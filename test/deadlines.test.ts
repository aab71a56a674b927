import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineSchedule } from '../src/presence/deadlines.js';
import { VirtualClock } from './helpers/virtual-clock.js';

/**
 * The deadline schedule on a clock the test moves (its timers fire when the clock reaches them):
 * "not before" and "once" are checked at exact moments, never by sleeping and hoping.
 */
const settled = () => Promise.resolve();

function scheduleOn(clock: VirtualClock, onDue: (chatbotId: string, agentIds: readonly string[]) => void) {
  return new DeadlineSchedule(onDue, clock.now, clock.timers);
}

describe('deadline schedule', () => {
  it('calls back for each agent once its deadline passes, grouped by chatbot, and not before', async () => {
    const clock = new VirtualClock();
    const due: Array<[string, string[]]> = [];
    const schedule = scheduleOn(clock, (chatbotId, agentIds) => due.push([chatbotId, [...agentIds].sort()]));
    const start = clock.now();
    schedule.schedule('cb1', 'a', start + 300);
    schedule.schedule('cb1', 'b', start + 300);
    schedule.schedule('cb2', 'c', start + 300);
    schedule.schedule('cb1', 'late', start + 900);
    await clock.advanceTo(start + 299, settled);
    assert.deepEqual(due, [], 'nothing is due a millisecond before');
    await clock.advanceTo(start + 300, settled);
    assert.deepEqual(due.sort(), [
      ['cb1', ['a', 'b']],
      ['cb2', ['c']],
    ]);
    await clock.advanceTo(start + 899, settled);
    assert.equal(due.length, 2, 'the late one waits for its moment');
    await clock.advanceTo(start + 900, settled);
    assert.deepEqual(due.at(-1), ['cb1', ['late']]);
    assert.equal(schedule.size, 0);
    schedule.stop();
  });

  it('moving a deadline (a heartbeat) replaces the old one, and null clears it', async () => {
    const clock = new VirtualClock();
    const due: string[] = [];
    const schedule = scheduleOn(clock, (_chatbotId, agentIds) => due.push(...agentIds));
    const start = clock.now();
    schedule.schedule('cb', 'moved', start + 200);
    schedule.schedule('cb', 'cleared', start + 200);
    schedule.schedule('cb', 'moved', start + 700);
    schedule.schedule('cb', 'cleared', null);
    assert.equal(schedule.size, 1);
    await clock.advanceTo(start + 699, settled);
    assert.deepEqual(due, [], 'the old deadline does not fire');
    await clock.advanceTo(start + 700, settled);
    assert.deepEqual(due, ['moved']);
    await clock.advanceTo(start + 10_000, settled);
    assert.deepEqual(due, ['moved'], 'and nothing fires afterwards');
    schedule.stop();
  });

  it('an earlier deadline re-arms the timer', async () => {
    const clock = new VirtualClock();
    const due: string[] = [];
    const schedule = scheduleOn(clock, (_chatbotId, agentIds) => due.push(...agentIds));
    const start = clock.now();
    schedule.schedule('cb', 'far', start + 5000);
    schedule.schedule('cb', 'near', start + 200);
    await clock.advanceTo(start + 200, settled);
    assert.deepEqual(due, ['near']);
    await clock.advanceTo(start + 5000, settled);
    assert.deepEqual(due, ['near', 'far']);
    schedule.stop();
  });

  it('many deadlines set and moved in any order each fire once, never before their moment', async () => {
    const clock = new VirtualClock();
    const fired = new Map<string, number>();
    const firedAt = new Map<string, number>();
    const schedule = scheduleOn(clock, (_chatbotId, agentIds) => {
      for (const agentId of agentIds) {
        fired.set(agentId, (fired.get(agentId) ?? 0) + 1);
        firedAt.set(agentId, clock.now());
      }
    });
    const start = clock.now();
    const expected = new Map<string, number>();
    // 2,000 agents over 400 ms in shuffled order; every third one moved later, every seventh cleared.
    for (let i = 0; i < 2_000; i++) {
      const agent = `a${(i * 7919) % 2_000}`;
      const at = start + 50 + ((i * 104_729) % 400);
      schedule.schedule('cb', agent, at);
      expected.set(agent, at);
      if (i % 3 === 0) {
        schedule.schedule('cb', agent, at + 150);
        expected.set(agent, at + 150);
      }
      if (i % 7 === 0) {
        schedule.schedule('cb', agent, null);
        expected.delete(agent);
      }
    }
    await clock.advanceTo(start + 1_000, settled);
    schedule.stop();
    assert.equal(fired.size, expected.size, 'each agent with a deadline fired, the cleared ones not');
    for (const [agent, count] of fired) assert.equal(count, 1, `${agent} fired once`);
    for (const [agent, at] of expected) assert.ok(firedAt.get(agent)! >= at, `${agent} fired no earlier than its deadline`);
    assert.equal(schedule.size, 0);
  });
});
