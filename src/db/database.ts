import type { Kysely } from 'kysely';
import type { ChangeTracker } from './changes.js';
import type { PreparedRunner, SyncRunner } from './prepared.js';
import { openPostgres } from './postgres.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export interface OpenDatabase {
  dialect: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /** Invalidation signals for the caches built on this database. */
  changes: ChangeTracker;
  /** PostgreSQL: runs a named prepared statement (see prepareQuery). */
  runPrepared?: PreparedRunner;
  /**
   * SQLite: runs `work` as one write transaction on the one connection, its statements run
   * synchronously (prepared queries' sync()). Absent on PostgreSQL, where work goes through
   * Kysely transactions.
   */
  section?: <T>(work: (run: SyncRunner) => T | Promise<T>) => Promise<T>;
  /** The connection pool's use (PostgreSQL); null on SQLite, which has one connection. */
  poolStats(): { inUse: number; idle: number; waiting: number } | null;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: the most connections the pool opens. */
  poolSize?: number;
  /** SQLite only: refuse a file that does not exist yet, rather than create an empty database. */
  mustExist?: boolean;
  /** PostgreSQL only: listen for other processes' changes (the service does; the CLI need not). */
  watchOutsideChanges?: boolean;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the database DATABASE_URL names: a PostgreSQL URL, or else a SQLite file path. Pending
 * migrations run before it is returned.
 */
export function openDatabase(url: string, options: DatabaseOptions = {}): Promise<OpenDatabase> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
}
