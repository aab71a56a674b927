import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ChangeTracker } from './changes.js';
import type { DatabaseOptions, OpenDatabase } from './database.js';
import { migrate } from './migrate.js';
import type { SectionRunner } from './prepared.js';
import type { Database } from './schema.js';

/** The channel on which processes sharing the database tell each other what changed. */
const CHANNEL = 'inbox_agents_changes';
/** Advisory lock key for migrations, the same in every instance of the service. */
const MIGRATION_LOCK = 7_415_992_001;

// Times and versions are bigint columns; they stay far below 2^53, so read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Runs the migrations once however many instances start together: the first takes the lock, the others wait. */
async function migrateOnce(url: string, db: Kysely<Database>): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/** The key space of the sections' advisory locks (two keys: this, and a key's hash), apart from single-key locks. */
const SECTION_LOCK_SPACE = 4242;

/** Takes the transaction advisory locks of the keys (SQL literals), each once, in the order of their hashes. */
const lockStatement = (literals: readonly string[]) =>
  `SELECT count(pg_advisory_xact_lock(${SECTION_LOCK_SPACE}, k)) FROM (SELECT DISTINCT hashtext(key) AS k FROM unnest(ARRAY[${literals.join(', ')}]::text[]) AS key ORDER BY k) AS keys`;

/**
 * A string as a PostgreSQL literal, read back as written whatever the server's
 * standard_conforming_strings: quotes doubled, and with a backslash an E'' literal with them
 * doubled too (pg's escapeLiteral, built with native replaces: it builds the string a character
 * at a time, four times slower on a unit's JSON). A NUL, which no text value holds and which
 * would end the message's text early, has no literal.
 */
export function stringLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('stringLiteral: a NUL has no literal');
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/**
 * A statement with its parameters ($1, $2, …) written in as SQL literals, for the simple
 * protocol (which carries several statements in one message but no parameters). Strings as
 * stringLiteral; numbers must be finite. The statement's own text
 * must have no `$` but its parameters' (this service's compiled statements have none).
 */
export function withLiterals(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index) - 1;
    if (position >= parameters.length) throw new Error(`withLiterals: the statement has $${index}, but ${parameters.length} parameters`);
    const value = parameters[position];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'string') return stringLiteral(value);
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    // In parentheses, so that a negative one never follows a minus as a comment (`- -1`).
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return `(${value})`;
    throw new Error(`withLiterals: no literal for ${typeof value} ${String(value)}`);
  });
}

/**
 * Opens PostgreSQL through Kysely and a bounded pg pool, runs migrations under an advisory
 * lock, and keeps the change tracker honest across processes with LISTEN/NOTIFY: local changes
 * are published (coalesced per event-loop turn), other processes' are received on a dedicated
 * connection. Failing requests fail fast (connection and statement timeouts) rather than hang.
 */
export async function openPostgres(url: string, { poolSize = 10, watchOutsideChanges = true }: DatabaseOptions & { watchOutsideChanges?: boolean }): Promise<OpenDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    query_timeout: 15_000,
    types,
  });
  // A connection dropped by the server (a restart, a network cut) must not bring the process
  // down: idle ones report to the pool, checked-out ones to their client; the query in flight
  // fails on its own and is answered 503.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateOnce(url, db);

  const instance = randomBytes(6).toString('hex');
  let closed = false;
  let epoch = 0;
  let listening = false;
  let listener: pg.Client | null = null;
  let reconnect: NodeJS.Timeout | null = null;

  const inFlight = new Set<Promise<unknown>>();
  const changes = new ChangeTracker();
  changes.link({
    version: () => (listening ? epoch : Number.NaN),
    publish: (scopes) => {
      if (closed) return false;
      const sent = pool.query('select pg_notify($1, $2)', [CHANNEL, `${instance} ${scopes}`]).catch(() => undefined);
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      return true;
    },
  });

  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: url });
    const lost = () => {
      if (listener !== client) return;
      listening = false;
      listener = null;
      if (!closed) reconnect = setTimeout(() => void listen().catch(lost), 1000);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      const [from, scopes = ''] = (message.payload ?? '').split(' ');
      if (from === instance) return;
      changes.remoteChanges(scopes);
    });
    listener = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    // Whatever happened while not listening is unknown: a new epoch makes every cache stale.
    epoch++;
    listening = true;
  }
  if (watchOutsideChanges) await listen();

  return {
    dialect: 'postgres',
    db,
    changes,
    runPrepared: async (name, text, values) => (await pool.query({ name: name || undefined, text, values: values as unknown[] })).rows,
    section: async <T>(work: (run: SectionRunner) => Promise<T>, { locks = [] }: { locks?: readonly string[] } = {}): Promise<T> => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // Statements held to go with the next one in one simple-protocol message (Sending): BEGIN
        // with the locks, and writes whose rows are not wanted. If one fails, the server runs
        // nothing after it in the message.
        const held = [locks.length === 0 ? 'BEGIN' : `BEGIN; ${lockStatement(locks.map(stringLiteral))}`];
        const send = async (text: string) => {
          const results = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
          held.length = 0;
          return Array.isArray(results) ? results[results.length - 1]!.rows : results.rows;
        };
        const result = await work(async (name, text, values, sending) => {
          const prepared = async () => (await client.query({ name: name || undefined, text, values: values as unknown[] })).rows;
          // Values as literals (so the statement is planned at this run), unless it goes alone or
          // has a value with no literal: then what is held goes first, and it as prepared.
          let inline: string | undefined;
          if (sending !== 'alone' && (held.length > 0 || sending === 'withNext')) {
            try {
              inline = withLiterals(text, values);
            } catch {
              // A value with no literal: the statement goes prepared, below.
            }
          }
          if (inline === undefined) {
            if (held.length > 0) await send(held.join(';\n'));
            const rows = await prepared();
            return sending === 'withNext' ? [] : rows;
          }
          if (sending === 'withNext') {
            held.push(inline);
            return [];
          }
          return send([...held, inline].join(';\n'));
        });
        await send([...held, 'COMMIT'].join(';\n'));
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        // A connection that could not even roll back is not given back to the pool.
        client.release(broken);
      }
    },
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      changes.flush();
      await Promise.allSettled([...inFlight]);
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}
