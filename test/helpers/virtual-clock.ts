import type { Timers } from '../../src/presence/deadlines.js';
import { TestClock } from './context.js';

interface VirtualTimer {
  due: number;
  order: number;
  callback: () => void;
}

/**
 * A clock the test moves, with timers that fire when it reaches their moment: handed to the app
 * (AppDependencies.timers), it drives the deadline schedule the way the wall clock does, so that
 * behaviour at default settings (a 150 s TTL, a 20 s grace, 600 s of idle time) is tested
 * without waiting for it.
 */
export class VirtualClock extends TestClock {
  readonly #timers = new Set<VirtualTimer>();
  #order = 0;

  readonly timers: Timers = {
    setTimeout: (callback, ms) => {
      const timer = { due: this.current + Math.max(0, ms), order: this.#order++, callback };
      this.#timers.add(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      this.#timers.delete(handle as VirtualTimer);
    },
  };

  /**
   * Moves the clock to `target`, stopping at each timer's moment on the way (in order of
   * moment, then of setting) to fire it, and letting `settle` finish what it started before
   * the next.
   */
  async advanceTo(target: number, settle: () => Promise<void>): Promise<void> {
    for (let fired = 0; ; fired++) {
      if (fired > 10_000) throw new Error('timers kept firing without the clock reaching its target');
      let next: VirtualTimer | undefined;
      for (const timer of this.#timers) if (timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.order < next.order))) next = timer;
      if (!next) break;
      this.#timers.delete(next);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }
}
