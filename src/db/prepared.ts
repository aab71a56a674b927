import { CompiledQuery, PostgresAdapter, sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';

/**
 * Runs SQL as a prepared statement (PostgreSQL: parsed and planned once per connection, then
 * only executed), or planned at this run (PlanOptions). Without it, statements go through
 * Kysely as usual.
 */
export type PreparedRunner = (sql: string, parameters: readonly unknown[], options?: { planEachTime?: boolean }) => Promise<unknown[]>;

/** How a section runs one statement besides answering its rows. */
export interface StatementOptions {
  /**
   * A write whose rows are not wanted (Run.write): on PostgreSQL it is sent and not waited
   * for, so it travels with the section's next statement (or its COMMIT) in one round trip,
   * and answers no rows.
   */
  withNext?: boolean;
  /** Planned at this run (PlanOptions). */
  planEachTime?: boolean;
}

/**
 * Runs SQL inside a unit of work (OpenDatabase.section): the rows a reading statement (or one
 * with RETURNING) gives, or none. Synchronous on SQLite's one connection, where the options
 * change nothing; on PostgreSQL a prepared statement on the unit's own connection, pipelined
 * after the ones before it. Values are always bound parameters.
 */
export type SectionRunner = (sql: string, parameters: readonly unknown[], options?: StatementOptions) => unknown[] | Promise<unknown[]>;

/** Runs a prepared statement in the current unit of work (synchronously on SQLite): what stores are handed inside a section. */
export interface Run {
  <Row, Values>(query: PreparedQuery<Row, Values>, values: Values): Row[] | Promise<Row[]>;
  /**
   * Runs a write whose rows are not wanted: on PostgreSQL it is sent without waiting for its
   * answer, so it goes with the section's next statement (or its COMMIT) in one round trip,
   * ahead of it, and every statement still sees the writes before it; on SQLite at once. If it
   * fails, the section fails with its error.
   */
  write<Values>(query: PreparedQuery<unknown, Values>, values: Values): void;
  /**
   * Adds a row to a statement over a list of rows (prepareRows), written once for all the rows
   * added before the section's next read or write, or its end: one statement instead of one per
   * row. The lists go in the order they were first added to, so rows of different lists must
   * not depend on each other's order, unless they name the same `key`: a row whose key is
   * already gathered (in any list) first has what was gathered written, so that the writes of
   * one row of a table (its key: the table and the row's key) keep their order (an insert, then
   * its delete), and no list names a row twice.
   */
  append<Item>(query: PreparedQuery<unknown, readonly Item[]>, item: Item, key?: string): void;
  /** Writes what append gathered (the section does before it ends). */
  flush(): void;
}

/** A Run over a section's runner. */
export function runIn(runner: SectionRunner): Run {
  const withNext: SectionRunner = (text, parameters, options) => runner(text, parameters, { ...options, withNext: true });
  const gathered = new Map<PreparedQuery<unknown, readonly unknown[]>, unknown[]>();
  const keys = new Set<string>();
  // A write answers at once on both databases: SQLite runs it (every statement of a list, see
  // prepareRows) and throws its error, PostgreSQL sends it and the section holds its answer
  // (failing with its error), so nothing is left to wait for here.
  const send = <Values>(query: PreparedQuery<unknown, Values>, values: Values) => {
    if (query.in(withNext, values) instanceof Promise) throw new Error('a write in a section must be sent at once (SectionRunner withNext)');
  };
  // What was gathered goes first, each list in the order first added to.
  const flush = () => {
    if (gathered.size === 0) return;
    const lists = [...gathered];
    gathered.clear();
    keys.clear();
    for (const [query, items] of lists) send(query, items);
  };
  const write = <Values>(query: PreparedQuery<unknown, Values>, values: Values) => {
    flush();
    send(query, values);
  };
  const read = <Row, Values>(query: PreparedQuery<Row, Values>, values: Values) => {
    flush();
    return query.in(runner, values);
  };
  return Object.assign(read, {
    write,
    append: <Item>(query: PreparedQuery<unknown, readonly Item[]>, item: Item, key?: string) => {
      if (key !== undefined) {
        if (keys.has(key)) flush();
        keys.add(key);
      }
      let items = gathered.get(query as PreparedQuery<unknown, readonly unknown[]>);
      if (!items) gathered.set(query as PreparedQuery<unknown, readonly unknown[]>, (items = []));
      items.push(item);
    },
    flush,
  });
}

/** A statement compiled once: run it through Kysely (any executor, a transaction too), or in a section. */
export interface PreparedQuery<Row, Values> {
  (values: Values, executor?: Kysely<any>): Promise<Row[]>;
  /** The same statement in a section: synchronous on SQLite. */
  in(run: SectionRunner, values: Values): Row[] | Promise<Row[]>;
}

/**
 * How PostgreSQL plans a statement. A prepared statement is planned for its first runs and
 * then usually keeps one generic plan for the connection's life; a plan made while a table
 * was small (a scan of all of it) is kept as the table grows, until an ANALYZE of it happens
 * to invalidate it, which on a server without autovacuum is never. `planEachTime` gives the
 * statement a custom plan at every run against the table's current size (in a section,
 * `plan_cache_mode` set for it alone; outside, an unnamed statement): for a statement over a
 * table that grows without bound (the history), where a stale plan turns a lookup by key into
 * a scan of everything. SQLite plans by its indexes, not by sizes.
 */
export interface PlanOptions {
  planEachTime?: boolean;
}

/**
 * A query built with Kysely once and then run many times with new values. Building and
 * compiling a query costs several times more than SQLite's execution of a small statement (a
 * join builds in about 90 µs), so every statement on a hot path is compiled at start-up. The
 * SQL stays Kysely's, per dialect.
 *
 * On PostgreSQL, given `runPrepared`, a statement run outside a transaction is also prepared by
 * the server once per connection: planning a join costs more than running it.
 *
 * `build` receives a placeholder for each named value; each placeholder must end up as exactly
 * one bound parameter (values in .values(), .where() comparisons and the like, not SQL text).
 *
 * `planEachTime` (see PlanOptions) for a statement over a table that grows without bound.
 */
export function prepareQuery<Row, Values extends object>(
  db: Kysely<any>,
  names: ReadonlyArray<keyof Values & string>,
  build: (placeholders: Values) => Compilable<Row>,
  runPrepared?: PreparedRunner,
  { planEachTime = false }: PlanOptions = {},
): PreparedQuery<Row, Values> {
  const placeholders = Object.fromEntries(names.map((name) => [name, `\u0000placeholder:${name}`])) as unknown as Values;
  const compiled = build(placeholders).compile();
  const order = compiled.parameters.map((parameter) => {
    const name = typeof parameter === 'string' && parameter.startsWith('\u0000placeholder:') ? parameter.slice(13) : null;
    if (name === null) throw new Error(`prepareQuery: parameter ${String(parameter)} is not a placeholder; pass every value through placeholders`);
    return name as keyof Values;
  });
  for (const name of names) {
    if (!order.includes(name)) throw new Error(`prepareQuery: placeholder ${name} is not bound in the query`);
  }
  const parameters = (values: Values) => order.map((key) => values[key] as unknown);
  const run = async (values: Values, executor?: Kysely<any>): Promise<Row[]> => {
    if (runPrepared && executor === undefined) return (await runPrepared(compiled.sql, parameters(values), { planEachTime })) as Row[];
    const result = await (executor ?? db).executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters(values)));
    return result.rows as Row[];
  };
  return Object.assign(run, { in: (runner: SectionRunner, values: Values) => runner(compiled.sql, parameters(values), { planEachTime }) as Row[] | Promise<Row[]> });
}

/** The row counts a batch statement is compiled for on SQLite: a batch of any size runs as a few of them. */
const BATCH_SIZES = [256, 64, 16, 4, 1] as const;
/** PostgreSQL: the most rows of one statement (a longer list runs as several). */
const MAX_JSON_ROWS = 10_000;

/** A column of a list of rows, as PostgreSQL types its array. */
export type ColumnType = 'text' | 'bigint' | 'integer';

/**
 * One statement over a list of rows (a multi-row upsert, an update joined to a list, a read of
 * a list of keys), written once over `rows`: the list as a relation whose columns are the
 * items' fields. On PostgreSQL the relation is the rows sent as one JSON parameter
 * (`json_to_recordset`, typed per column), so any number of rows is one statement (one round
 * trip), prepared once. On SQLite it is a
 * `VALUES` list, compiled once for each of a few row counts, so that a batch of any size runs
 * as a few cached statements.
 *
 * A burst of changes in one chatbot (a hundred agents idle at one moment) costs a statement or
 * a few per table instead of a hundred. An upsert selecting from `rows` needs `where true` on
 * SQLite (its parser's rule for INSERT … SELECT … ON CONFLICT).
 */
export function prepareRows<Row, Item extends object>(
  db: Kysely<any>,
  columns: { readonly [K in keyof Item & string]: ColumnType },
  build: (rows: RawBuilder<Item>) => Compilable<Row>,
  { planEachTime = false }: PlanOptions = {},
): PreparedQuery<Row, readonly Item[]> {
  const names = Object.keys(columns) as Array<keyof Item & string>;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  type Compiled = { sql: string; order: Array<readonly [number, keyof Item]> };
  const finish = (compiled: CompiledQuery, order: Compiled['order']): Compiled => ({ sql: compiled.sql, order });
  const placeholder = (index: number, name: string) => `\u0000placeholder:${index}:${name}`;
  const orderOf = (compiled: CompiledQuery, expected: number) => {
    const order = compiled.parameters.map((parameter) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the placeholder starts with NUL on purpose, so no value a caller passes can look like one.
      const match = typeof parameter === 'string' ? /^\u0000placeholder:(\d+):(.+)$/.exec(parameter) : null;
      if (!match) throw new Error(`prepareRows: parameter ${String(parameter)} is not a placeholder; pass every value through rows`);
      return [Number(match[1]), match[2] as keyof Item] as const;
    });
    if (order.length !== expected) throw new Error(`prepareRows: expected ${expected} parameters, the query binds ${order.length}`);
    return order;
  };

  // PostgreSQL: the one parameter the rows as JSON (jsonRows).
  let asJson: Compiled | undefined;
  const compiledJson = () => {
    if (asJson) return asJson;
    const compiled = build(jsonRows<Item>(placeholder(0, '*'), columns)).compile();
    return (asJson = finish(compiled, orderOf(compiled, 1)));
  };
  // SQLite: (select column1 as "a", … from (values (?, …), …)), compiled per row count.
  const bySize = new Map<number, Compiled>();
  const compiledFor = (size: number) => {
    let statement = bySize.get(size);
    if (statement) return statement;
    const values = sql.join(Array.from({ length: size }, (_, index) => sql`(${sql.join(names.map((name) => placeholder(index, name)))})`));
    const relation = sql<Item>`(select ${sql.join(names.map((name, i) => sql`${sql.raw(`column${i + 1}`)} as ${sql.ref(name)}`))} from (values ${values}))`;
    const compiled = build(relation).compile();
    statement = finish(compiled, orderOf(compiled, size * names.length));
    bySize.set(size, statement);
    return statement;
  };

  /** The statements that write or read `items`, in order: one per JSON part (PostgreSQL), one per batch size (SQLite). */
  const statements = (items: readonly Item[]): Array<[string, unknown[]]> => {
    const list: Array<[string, unknown[]]> = [];
    if (postgres) {
      if (items.length === 0) return list;
      const { sql: text } = compiledJson();
      for (let offset = 0; offset < items.length; offset += MAX_JSON_ROWS) list.push([text, [JSON.stringify(items.slice(offset, offset + MAX_JSON_ROWS), names)]]);
      return list;
    }
    let offset = 0;
    for (const size of BATCH_SIZES) {
      while (items.length - offset >= size) {
        const { sql: text, order } = compiledFor(size);
        const first = offset;
        list.push([text, order.map(([index, key]) => items[first + index]![key] as unknown)]);
        offset += size;
      }
    }
    return list;
  };
  // Through Kysely, one statement after another (a transaction's connection runs them in turn).
  const run = async (items: readonly Item[], executor?: Kysely<any>): Promise<Row[]> => {
    const rows: Row[] = [];
    for (const [text, parameters] of statements(items)) rows.push(...((await (executor ?? db).executeQuery(CompiledQuery.raw(text, parameters))).rows as Row[]));
    return rows;
  };
  // In a section every statement is run (SQLite) or sent (PostgreSQL, pipelined in order) before
  // this returns, and synchronously when the runner is: the section's next statement comes after
  // all of them, and on SQLite an error throws here.
  const inSection = (runner: SectionRunner, items: readonly Item[]): Row[] | Promise<Row[]> => {
    const answers = statements(items).map(([text, parameters]) => runner(text, parameters, { planEachTime }));
    if (answers.some((answer) => answer instanceof Promise)) return Promise.all(answers).then((all) => all.flat() as Row[]);
    return (answers as unknown[][]).flat() as Row[];
  };
  return Object.assign(run, { in: inSection });
}

/**
 * PostgreSQL: a list of rows sent as one JSON parameter (`parameter`, the rows serialized with
 * their columns' names), as a relation with these typed columns:
 * (select * from json_to_recordset(cast($1 as json)) as u("a" text, …)). Serialized natively,
 * and parsed by the server in one pass.
 */
export function jsonRows<Item extends object>(parameter: unknown, columns: { readonly [K in keyof Item & string]: ColumnType }): RawBuilder<Item> {
  const types = sql.join(Object.entries<ColumnType>(columns).map(([name, type]) => sql`${sql.ref(name)} ${sql.raw(type)}`));
  return sql<Item>`(select * from json_to_recordset(cast(${parameter} as json)) as u(${types}))`;
}

/**
 * For an insert from a list of rows (prepareRows): the rows' columns selected from the list,
 * with the `where true` SQLite wants before an ON CONFLICT clause.
 */
export function selectRows<Item extends object, const Column extends keyof Item & string>(db: Kysely<any>, rows: RawBuilder<Item>, columns: readonly Column[]) {
  return (db as Kysely<{ r: Item }>)
    .selectFrom(rows.as('r') as never)
    .select(columns.map((column) => sql.ref(`r.${column}`).as(column)))
    .where(sql<boolean>`true`);
}
