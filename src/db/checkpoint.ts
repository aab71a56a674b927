import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's write-ahead log is copied back into the database file by checkpoints. Left to
 * SQLite, the commit that fills the log past its limit does it, on the service's one thread,
 * fsync included: a burst of writes (ten thousand agents going idle at one moment) would stop
 * every request and stream for the checkpoints' duration. Instead a worker thread with a
 * connection of its own runs a passive checkpoint every interval: passive checkpoints never
 * wait for, nor block, the service's readers and writers.
 *
 * SQLite's own checkpoint stays as a safety net at a larger log size (AUTOCHECKPOINT_PAGES), for
 * a worker that falls behind.
 */
export const AUTOCHECKPOINT_PAGES = 10_000;
const INTERVAL_MS = 1_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next interval */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the database file at `path` from a worker thread. */
export function startCheckpointer(path: string, intervalMs = INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
  // A failing checkpointer leaves SQLite's own checkpoint in charge; it never stops the service.
  worker.on('error', () => undefined);
  worker.unref();
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (worker.threadId === -1) return resolve();
        worker.once('exit', () => resolve());
        // Held while it stops, so that a process awaiting the close waits for it.
        worker.ref();
        worker.postMessage('stop');
        // A worker stuck in a checkpoint is ended rather than waited for.
        setTimeout(() => void worker.terminate(), 2_000).unref();
      });
      return stopped;
    },
  };
}
