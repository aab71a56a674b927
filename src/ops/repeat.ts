/**
 * Runs `task` every `intervalMs`, never two at once: the next run is timed from the end of the
 * one before, so a slow run (a busy database) delays the next instead of overlapping it, as
 * `setInterval` would. A failed run is told to `failed` and the runs go on. `stop` ends the
 * runs and waits for one in progress.
 */
export function repeatWithoutOverlap(task: () => Promise<unknown>, intervalMs: number, failed: (error: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const later = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = task().then(
        () => later(),
        (error: unknown) => {
          try {
            failed(error);
          } finally {
            later();
          }
        },
      );
    }, intervalMs);
    timer.unref();
  };
  later();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
