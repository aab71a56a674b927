import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDriverDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';
import { ChangeTracker } from './changes.js';
import type { DatabaseOptions, OpenDatabase } from './open-database.js';
import type { SectionRunner } from './prepared.js';
import { StartupError } from '../startup.js';
import { migrate } from './migrate.js';
import { AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpoint.js';
import type { Database } from './schema.js';

const STATEMENT_CACHE_SIZE = 256;

/** The connection's page cache, KiB (see openSqlite). */
const SQLITE_CACHE_KIB = 65_536;

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

/** A statement run in sections, and for one that gives rows, the builder of each row from its values. */
interface SectionStatement {
  statement: SqliteDriverDatabase.Statement;
  row: ((values: unknown[]) => Record<string, unknown>) | null;
}

/**
 * The statements that sections run, each prepared once and kept apart from Kysely's (its driver
 * expects rows as objects). Rows are read as arrays and built into objects by a function
 * compiled for the statement's columns: better-sqlite3 building objects itself costs about
 * three times as much (a unit of work reading a chatbot of 100 members: 1 ms instead of 0.35).
 */
function sectionStatements(database: SqliteDriverDatabase.Database): (text: string) => SectionStatement {
  const cache = new Map<string, SectionStatement>();
  return (text) => {
    let entry = cache.get(text);
    if (!entry) {
      const statement = database.prepare(text);
      let row: SectionStatement['row'] = null;
      if (statement.reader) {
        statement.raw(true);
        // The last column of a name wins, as in better-sqlite3's own objects.
        const names = statement.columns().map((column) => column.name);
        const fields = [...new Set(names)].map((name) => `${JSON.stringify(name)}: values[${names.lastIndexOf(name)}]`);
        row = new Function('values', `return { ${fields.join(', ')} };`) as SectionStatement['row'];
      }
      entry = { statement, row };
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(text, entry);
    }
    return entry;
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
 * Kysely's SQLite dialect, its transactions begun IMMEDIATE: they take the write lock at once.
 * A deferred transaction reads a snapshot first, and when the other process (the service, or
 * the admin CLI) commits before it writes, SQLite refuses its write with SQLITE_BUSY_SNAPSHOT at
 * once; the busy timeout does not apply. Begun immediate, a transaction waits for the other
 * writer instead, up to the busy timeout. Every transaction here writes, or reads what it is
 * about to write.
 */
class WritingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }
    })(this.#config);
  }
}

/**
 * Opens the SQLite database at `path` (creating the file and its folder), applies the pragmas
 * the service relies on, and runs pending migrations.
 */
export async function openSqlite(path: string, { mustExist = false }: Pick<DatabaseOptions, 'mustExist'> = {}): Promise<OpenDatabase> {
  const created = path !== ':memory:' && !existsSync(path) ? resolve(path) : undefined;
  if (path !== ':memory:') {
    if (mustExist && !existsSync(path)) {
      throw new StartupError(
        `the SQLite database ${path} does not exist (${resolve(path)}); check DATABASE_URL (the service creates the file on its first start, unless DATABASE_MUST_EXIST is set)`,
      );
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
  // SQLite keeps 2 MiB of pages by default; a unit of work over a large chatbot (or a burst over
  // many) reads far more, and each page missing costs a read from the operating system, or from
  // the disk when the system has let its cache go. 64 MiB keeps the working set in the process.
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  // Checkpoints run in a worker thread (see checkpoint.ts); this one only past a larger log.
  if (path !== ':memory:') sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);

  const prepare = statementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new WritingSqliteDialect({ database: withStatementCache(sqlite, prepare) }) });
  await migrate(db);
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const sectionStatement = sectionStatements(sqlite);
  const runSync: SectionRunner = (text, parameters) => {
    const { statement, row } = sectionStatement(text);
    if (row) return (statement.all(...parameters) as unknown[][]).map(row);
    statement.run(...parameters);
    return [];
  };
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path);
  const [begin, commit, rollback] = ['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK'].map((text) => sqlite.prepare(text));
  return {
    dialect: 'sqlite',
    ...(created ? { created } : {}),
    db,
    // Holds Kysely's one connection (so no query or transaction of Kysely's runs meanwhile) and
    // runs `work` in one write transaction, its statements synchronous: no promise per
    // statement. `work` may await, but only on what it runs through `runSync`. Its write
    // transaction excludes every other writer, so it needs no locks.
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
