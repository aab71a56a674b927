import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repeatWithoutOverlap } from '../src/ops/repeat.js';

describe('a task repeated without overlap (the orphan sweep)', () => {
  it('a run slower than the interval is never joined by the next; a failed run is told and the runs go on; stop waits for the run in progress', async () => {
    // The repeat's timers do not hold the process open (unref): this one does, for the test.
    const awake = setInterval(() => undefined, 1000);
    let running = 0;
    let most = 0;
    let runs = 0;
    const failures: unknown[] = [];
    let stopping: (() => void) | undefined;
    const enough = new Promise<void>((resolve) => (stopping = resolve));
    const repeat = repeatWithoutOverlap(
      async () => {
        running++;
        most = Math.max(most, running);
        runs++;
        // Each run takes ten intervals.
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        if (runs === 2) throw new Error('a failed run');
        if (runs === 4) stopping!();
      },
      2,
      (error) => failures.push(error),
    );
    await enough;
    await repeat.stop();
    assert.equal(running, 0, 'stop waited for the run in progress');
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(runs, after, 'no run after stop');
    assert.equal(most, 1, 'never two at once');
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /a failed run/);
    clearInterval(awake);
  });
});
