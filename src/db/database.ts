import type { DatabaseOptions, OpenDatabase } from './open-database.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export type { DatabaseOptions, OpenDatabase } from './open-database.js';

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
