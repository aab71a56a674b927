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
    assert.deepEqual(due.sort(), [['cb1', ['a', 'b']], ['cb2', ['c']]]);
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
});
