import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineSchedule } from '../src/presence/deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadline schedule', () => {
  it('calls back for each agent once its deadline passes, grouped by chatbot, and not before', async () => {
    const due: Array<[string, string[]]> = [];
    const schedule = new DeadlineSchedule((chatbotId, agentIds) => due.push([chatbotId, [...agentIds].sort()]));
    const start = Date.now();
    schedule.schedule('cb1', 'a', start + 300);
    schedule.schedule('cb1', 'b', start + 300);
    schedule.schedule('cb2', 'c', start + 300);
    schedule.schedule('cb1', 'late', start + 900);
    await sleep(150);
    assert.deepEqual(due, [], 'nothing is due yet');
    await sleep(400);
    assert.deepEqual(due.sort(), [
      ['cb1', ['a', 'b']],
      ['cb2', ['c']],
    ]);
    await sleep(600);
    assert.deepEqual(due.at(-1), ['cb1', ['late']]);
    assert.equal(schedule.size, 0);
    schedule.stop();
  });

  it('moving a deadline (a heartbeat) replaces the old one, and null clears it', async () => {
    const due: string[] = [];
    const schedule = new DeadlineSchedule((_chatbotId, agentIds) => due.push(...agentIds));
    const start = Date.now();
    schedule.schedule('cb', 'moved', start + 200);
    schedule.schedule('cb', 'cleared', start + 200);
    schedule.schedule('cb', 'moved', start + 700);
    schedule.schedule('cb', 'cleared', null);
    assert.equal(schedule.size, 1);
    await sleep(450);
    assert.deepEqual(due, [], 'the old deadline does not fire');
    await sleep(500);
    assert.deepEqual(due, ['moved']);
    schedule.stop();
  });

  it('an earlier deadline re-arms the timer', async () => {
    const due: string[] = [];
    const schedule = new DeadlineSchedule((_chatbotId, agentIds) => due.push(...agentIds));
    const start = Date.now();
    schedule.schedule('cb', 'far', start + 5000);
    schedule.schedule('cb', 'near', start + 200);
    await sleep(500);
    assert.deepEqual(due, ['near']);
    schedule.stop();
  });

  it('many deadlines set and moved in any order each fire once, never before their moment', async () => {
    const fired = new Map<string, number>();
    const firedAt = new Map<string, number>();
    const schedule = new DeadlineSchedule((_chatbotId, agentIds) => {
      for (const agentId of agentIds) {
        fired.set(agentId, (fired.get(agentId) ?? 0) + 1);
        firedAt.set(agentId, Date.now());
      }
    });
    const start = Date.now();
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
    await sleep(800);
    schedule.stop();
    assert.equal(fired.size, expected.size, 'each agent with a deadline fired, the cleared ones not');
    for (const [agent, count] of fired) assert.equal(count, 1, `${agent} fired once`);
    for (const [agent, at] of expected) assert.ok(firedAt.get(agent)! >= at, `${agent} fired no earlier than its deadline`);
    assert.equal(schedule.size, 0);
  });
});
