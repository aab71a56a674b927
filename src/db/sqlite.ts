import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDriverDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { ChangeTracker } from './changes.js';
import type { DatabaseOptions, OpenDatabase } from './database.js';
import { StartupError } from '../startup.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares per query. The
 * service issues a handful of distinct statements, so caching them by SQL text removes the
 * compile from every request. Safe because the Kysely SQLite driver serialises all use of
 * the single connection.
 */
function withStatementCache(database: SqliteDriverDatabase.Database): SqliteDriverDatabase.Database {
  const cache = new Map<string, SqliteDriverDatabase.Statement>();
  const prepare = database.prepare.bind(database);
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (text: string) => {
        let statement = cache.get(text);
        if (!statement) {
          statement = prepare(text);
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
          cache.set(text, statement);
        }
        return statement;
      };
    },
  });
}

/**
 * Opens the SQLite database at `path` (creating the file and its folder), applies the pragmas
 * the service relies on, and runs pending migrations.
 */
export async function openSqlite(path: string, { mustExist = false }: Pick<DatabaseOptions, 'mustExist'> = {}): Promise<OpenDatabase> {
  if (path !== ':memory:') {
    if (mustExist && !existsSync(path)) {
      throw new StartupError(`the SQLite database ${path} does not exist (${resolve(path)}); check DATABASE_URL (the service creates the file on its first start, unless DATABASE_MUST_EXIST is set)`);
    }
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const sqlite = new SqliteDriverDatabase(path);
  // WAL lets the admin CLI write while the service reads; busy_timeout makes a writer wait for
  // the other process's transaction instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  return {
    dialect: 'sqlite',
    db,
    changes: new ChangeTracker(() => (sqlite.open ? (dataVersion.get() as number) : null)),
    poolStats: () => null,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
