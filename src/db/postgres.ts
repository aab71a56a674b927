import { randomBytes } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { ChangeTracker } from './changes.js';
import type { DatabaseOptions, OpenDatabase } from './open-database.js';
import { migrate } from './migrate.js';
import type { SectionRunner, StatementOptions } from './prepared.js';
import type { Database } from './schema.js';

/** The channel on which processes sharing the database tell each other what changed. */
const CHANNEL = 'inbox_agents_changes';
/** Advisory lock key for migrations, the same in every instance of the service. */
const MIGRATION_LOCK = 7_415_992_001;
/** The key space of the sections' advisory locks (two keys: this, and a key's hash), apart from single-key locks. */
const SECTION_LOCK_SPACE = 4242;
/** Takes the transaction advisory locks of the keys (one parameter: the keys as a JSON array), each once, in the order of their hashes. */
const LOCK_KEYS = `SELECT count(pg_advisory_xact_lock(${SECTION_LOCK_SPACE}, k)) AS locked FROM (SELECT DISTINCT hashtext(key) AS k FROM json_array_elements_text(cast(cast($1 as text) as json)) AS keys(key) ORDER BY k) AS hashed`;
/** SQLSTATE of a statement sent after an earlier one failed in the same transaction. */
const IN_FAILED_TRANSACTION = '25P02';

/**
 * How values travel: every one as a bound parameter, serialized by the type the server
 * described for it. Times and versions are bigint columns far below 2^53, read as numbers; a
 * JSON parameter that is already text goes as it is (the rows of prepareRows), as node-postgres
 * sent it.
 */
const types = {
  bigint: { to: 20, from: [20], serialize: (value: number | bigint) => String(value), parse: (value: string) => Number(value) },
  json: { to: 114, from: [114, 3802], serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)), parse: (value: string) => JSON.parse(value) },
};

/** The driver's settings for every connection of this service. */
function settings(max: number): postgres.Options<Record<string, postgres.PostgresType>> {
  return {
    max,
    connect_timeout: 5,
    // Fail fast rather than hang, also when the network drops silently: a connection waited for
    // 5 s at most, a statement answered within 15 s (the server cancels it at 10).
    queue_timeout: 5,
    query_timeout: 15,
    idle_timeout: 30,
    // A statement that runs (or waits on a lock) this long fails, and its request with it.
    connection: { statement_timeout: 10_000, application_name: 'inbox-agents' },
    types,
    transform: { undefined: null },
    onnotice: () => undefined,
  };
}

/** Runs the migrations once however many instances start together: the first takes the lock, the others wait. */
async function migrateOnce(url: string, db: Kysely<Database>): Promise<void> {
  // Its one connection holds the session lock while the migrations run on the pool: never idle-closed.
  const lock = postgres(url, { ...settings(1), idle_timeout: null, max_lifetime: null, query_timeout: 0, fetch_types: false } as unknown as postgres.Options<
    Record<string, postgres.PostgresType>
  >);
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db);
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    await lock.end();
  }
}

/**
 * Opens PostgreSQL through Kysely over postgres.js (a bounded pool whose statements are
 * prepared once per connection and pipelined), runs migrations under an advisory lock, and
 * keeps the change tracker honest across processes with LISTEN/NOTIFY: local changes are
 * published (coalesced per event-loop turn), other processes' are received on a dedicated
 * connection. Failing requests fail fast (connection and statement timeouts) rather than hang.
 */
export async function openPostgres(
  url: string,
  { poolSize = 10, watchOutsideChanges = true, onStatement }: DatabaseOptions & { watchOutsideChanges?: boolean },
): Promise<OpenDatabase> {
  const client = postgres(url, {
    ...settings(poolSize),
    ...(onStatement ? { debug: (_connection: number, text: string, parameters: unknown[]) => onStatement(text, parameters) } : {}),
  });
  // Connections reserved (by sections and by Kysely), and reservations waiting for one.
  let inUse = 0;
  let waiting = 0;
  const reserve = async () => {
    waiting++;
    let connection: postgres.ReservedSql;
    try {
      connection = await client.reserve();
    } finally {
      waiting--;
    }
    inUse++;
    const release = connection.release.bind(connection);
    let released = false;
    connection.release = () => {
      if (released) return;
      released = true;
      inUse--;
      release();
    };
    return connection;
  };
  // Kysely's driver needs only the pool's reserve and end.
  const pool = Object.assign(() => undefined, { reserve, end: () => client.end() }) as unknown as postgres.Sql;
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: pool }) });
  await migrateOnce(url, db).catch(async (error: unknown) => {
    // The pool's connections go with a failed start, rather than hold the process open.
    await client.end({ timeout: 0 }).catch(() => undefined);
    throw error;
  });

  const instance = randomBytes(6).toString('hex');
  let closed = false;
  let epoch = 0;
  let listening = false;
  let reconnect: NodeJS.Timeout | null = null;

  const inFlight = new Set<Promise<unknown>>();
  const changes = new ChangeTracker();
  changes.link({
    version: () => (listening ? epoch : Number.NaN),
    publish: (scopes) => {
      if (closed) return false;
      const sent = client.notify(CHANNEL, `${instance} ${scopes}`).catch(() => undefined);
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      return true;
    },
  });

  // Other processes' changes arrive on a connection of their own: while it is lost nothing is
  // heard, so every cache counts as stale (version NaN) until it listens again.
  const listener = watchOutsideChanges
    ? postgres(url, {
        ...settings(1),
        idle_timeout: null,
        max_lifetime: null,
        fetch_types: false,
        onnotify: (_channel: string, payload: string) => {
          const [from, scopes = ''] = payload.split(' ');
          if (from !== instance) changes.remoteChanges(scopes);
        },
        onclose: () => {
          listening = false;
          if (!closed && !reconnect) reconnect = setTimeout(() => void listen(), 1000);
        },
      } as unknown as postgres.Options<Record<string, postgres.PostgresType>>)
    : null;
  async function listen(): Promise<void> {
    reconnect = null;
    if (closed || !listener) return;
    try {
      await listener.unsafe(`LISTEN ${CHANNEL}`);
      // Whatever happened while not listening is unknown: a new epoch makes every cache stale.
      epoch++;
      listening = true;
    } catch {
      if (!closed && !reconnect) reconnect = setTimeout(() => void listen(), 1000);
    }
  }
  if (listener) {
    await listener.unsafe(`LISTEN ${CHANNEL}`).catch(async (error: unknown) => {
      closed = true;
      await Promise.all([listener.end({ timeout: 0 }), client.end({ timeout: 0 })]).catch(() => undefined);
      throw error;
    });
    epoch++;
    listening = true;
  }

  return {
    dialect: 'postgres',
    db,
    changes,
    runPrepared: async (text, values, { planEachTime = false } = {}) => [...(await client.unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: !planEachTime }))],
    section: async <T>(work: (run: SectionRunner) => Promise<T>, { locks = [] }: { locks?: readonly string[] } = {}): Promise<T> => {
      const connection = await reserve();
      // Statements are pipelined on the section's connection: each is sent at once, in order,
      // and only those whose rows are awaited cost a round trip. The first to fail aborts the
      // transaction, and every later one fails with IN_FAILED_TRANSACTION: the section fails
      // with the first one's error.
      let failed: unknown;
      const writes: Array<Promise<unknown>> = [];
      const send = (text: string, parameters: readonly unknown[], prepare = true): Promise<unknown[]> =>
        connection
          .unsafe(text, parameters as postgres.ParameterOrJSON<never>[], { prepare })
          .execute()
          .then(
            (rows) => Array.from(rows) as unknown[],
            (error: unknown) => {
              failed ??= error;
              throw (error as { code?: string }).code === IN_FAILED_TRANSACTION ? failed : error;
            },
          );
      const held = (answer: Promise<unknown>) => {
        writes.push(answer.catch(() => undefined));
      };
      try {
        held(send('BEGIN', []));
        if (locks.length > 0) held(send(LOCK_KEYS, [JSON.stringify(locks)]));
        const result = await work((text: string, parameters: readonly unknown[], { withNext = false, planEachTime = false }: StatementOptions = {}) => {
          // Planned at this run (PlanOptions): a custom plan for this statement alone.
          if (planEachTime) held(send('SET LOCAL plan_cache_mode = force_custom_plan', []));
          const answer = send(text, parameters);
          if (planEachTime) held(send('SET LOCAL plan_cache_mode TO DEFAULT', []));
          if (!withNext) return answer;
          held(answer);
          return [];
        });
        await Promise.all([send('COMMIT', []), ...writes]);
        // A transaction that failed answers COMMIT with ROLLBACK, not an error.
        if (failed !== undefined) throw failed;
        return result;
      } catch (error) {
        await Promise.allSettled(writes);
        await connection.unsafe('ROLLBACK').catch(() => undefined);
        throw failed ?? error;
      } finally {
        connection.release();
      }
    },
    poolStats: () => ({ inUse, idle: Math.max(0, poolSize - inUse), waiting }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      changes.flush();
      await Promise.allSettled([...inFlight]);
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      await listener?.end({ timeout: 1 }).catch(() => undefined);
      await db.destroy();
    },
  };
}
