import type { Kysely } from 'kysely';
import type { ChangeTracker } from './changes.js';
import type { PreparedRunner, SectionRunner } from './prepared.js';
import type { Database } from './schema.js';

/** What opening a database gives (either dialect), and how it is opened: database.ts opens one. */
export interface OpenDatabase {
  dialect: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /** Invalidation signals for the caches built on this database. */
  changes: ChangeTracker;
  /** PostgreSQL: runs a prepared statement (see prepareQuery). */
  runPrepared?: PreparedRunner;
  /**
   * Runs `work` as one transaction on a connection of its own, its statements through `run`
   * (prepared queries' in()): on SQLite the one connection, held so that no Kysely query runs
   * meanwhile, and statements synchronous; on PostgreSQL a pool connection whose statements
   * are prepared once per connection and pipelined (postgres.js): each is sent at once, and
   * only a statement whose rows the work waits for costs a round trip. Values are always bound
   * parameters. Inside, run nothing but through `run`.
   *
   * `locks`: keys (chatbot ids) no other section holds until this one ends. On PostgreSQL
   * transaction advisory locks, taken in one global order (so two sections locking overlapping
   * keys never deadlock), sent with BEGIN ahead of the section's first statement in one round
   * trip (so held from before that statement runs); SQLite's write transaction already excludes
   * every other writer. On PostgreSQL, writes whose rows are not wanted are not waited for
   * (Run.write): a unit's round trips are its statements that answer rows, and the COMMIT. The
   * first statement to fail fails the section with its own error, and nothing of it stays.
   */
  section<T>(work: (run: SectionRunner) => Promise<T>, options?: { locks?: readonly string[] }): Promise<T>;
  /** The connection pool's use (PostgreSQL); null on SQLite, which has one connection. */
  poolStats(): { inUse: number; idle: number; waiting: number } | null;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** SQLite: the absolute path of the file this open created (a new, empty database); absent otherwise. */
  created?: string;
}

export interface DatabaseOptions {
  /** PostgreSQL only: the most connections the pool opens. */
  poolSize?: number;
  /** SQLite only: refuse a file that does not exist yet, rather than create an empty database. */
  mustExist?: boolean;
  /** PostgreSQL only: listen for other processes' changes (the service does; the CLI need not). */
  watchOutsideChanges?: boolean;
  /** PostgreSQL only: told each statement as it is sent, with its bound parameters (tests watch what reaches the server). */
  onStatement?: (sql: string, parameters: readonly unknown[]) => void;
}
