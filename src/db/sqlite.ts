import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDriverDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { ChangeTracker } from './changes.js';
import type { DatabaseOptions, OpenDatabase } from './database.js';
import type { SectionRunner } from './prepared.js';
import { StartupError } from '../startup.js';
import { migrate } from './migrate.js';
import { AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpoint.js';
import type { Database } from './schema.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares per query. The
 * service issues a handful of distinct statements, so caching them by SQL text removes the
 * compile from every request. Safe because the Kysely SQLite driver serialises all use of
 * the single connection, and sections (OpenDatabase.section) run while holding it.
 */
function statementCache(database: SqliteDriverDatabase.Database): (text: string) => SqliteDriverDatabase.Statement {
  const cache = new Map<string, SqliteDriverDatabase.Statement>();
  const prepare = database.prepare.bind(database);
  return (text) => {
    let statement = cache.get(text);
    if (!statement) {
      statement = prepare(text);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(text, statement);
    }
    return statement;
  };
}

/** The database as Kysely sees it, with prepare() answered from the cache. */
function withStatementCache(database: SqliteDriverDatabase.Database, prepare: (text: string) => SqliteDriverDatabase.Statement): SqliteDriverDatabase.Database {
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return prepare;
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
  // Checkpoints run in a worker thread (see checkpoint.ts); this one only past a larger log.
  if (path !== ':memory:') sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);

  const prepare = statementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, prepare) }) });
  await migrate(db);
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const runSync: SectionRunner = (_name, text, parameters) => {
    const statement = prepare(text);
    if (statement.reader) return statement.all(...parameters) as unknown[];
    statement.run(...parameters);
    return [];
  };
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path);
  const [begin, commit, rollback] = ['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK'].map((text) => sqlite.prepare(text));
  return {
    dialect: 'sqlite',
    db,
    // Holds Kysely's one connection (so no query or transaction of Kysely's runs meanwhile) and
    // runs `work` in one write transaction, its statements synchronous: no promise per
    // statement. `work` may await, but only on what it runs through `runSync`.
    section: <T>(work: (run: SectionRunner) => Promise<T>) =>
      db.connection().execute(async () => {
        begin!.run();
        try {
          const result = await work(runSync);
          commit!.run();
          return result;
        } catch (error) {
          if (sqlite.inTransaction) rollback!.run();
          throw error;
        }
      }),
    changes: new ChangeTracker(() => (sqlite.open ? (dataVersion.get() as number) : null)),
    poolStats: () => null,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
