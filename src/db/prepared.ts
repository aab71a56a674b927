import { hash } from 'node:crypto';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * Runs SQL as a named prepared statement (PostgreSQL: parsed and planned once per connection,
 * then only executed). Without it, statements go through Kysely as usual.
 */
export type PreparedRunner = (name: string, sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;

/**
 * Runs SQL inside a unit of work (OpenDatabase.section): the rows a reading statement (or one
 * with RETURNING) gives, or none. Synchronous on SQLite's one connection; on PostgreSQL a named
 * prepared statement on the unit's own connection.
 */
export type SectionRunner = (name: string, sql: string, parameters: readonly unknown[]) => unknown[] | Promise<unknown[]>;

/** Runs a prepared statement in the current unit of work (synchronously on SQLite): what stores are handed inside a section. */
export type Run = <Row, Values>(query: PreparedQuery<Row, Values>, values: Values) => Row[] | Promise<Row[]>;

/** A Run over a section's runner. */
export const runIn =
  (runner: SectionRunner): Run =>
  (query, values) =>
    query.in(runner, values);

/** A statement compiled once: run it through Kysely (any executor, a transaction too), or in a section. */
export interface PreparedQuery<Row, Values> {
  (values: Values, executor?: Kysely<any>): Promise<Row[]>;
  /** The same statement in a section: synchronous on SQLite. */
  in(run: SectionRunner, values: Values): Row[] | Promise<Row[]>;
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
 */
export function prepareQuery<Row, Values extends object>(
  db: Kysely<any>,
  names: ReadonlyArray<keyof Values & string>,
  build: (placeholders: Values) => Compilable<Row>,
  runPrepared?: PreparedRunner,
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
  const statementName = `q_${hash('sha1', compiled.sql, 'hex').slice(0, 16)}`;
  const run = async (values: Values, executor?: Kysely<any>): Promise<Row[]> => {
    if (runPrepared && executor === undefined) return (await runPrepared(statementName, compiled.sql, parameters(values))) as Row[];
    const result = await (executor ?? db).executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters(values)));
    return result.rows as Row[];
  };
  return Object.assign(run, { in: (runner: SectionRunner, values: Values) => runner(statementName, compiled.sql, parameters(values)) as Row[] | Promise<Row[]> });
}

/** The row counts a batch statement is compiled for: a batch of any size runs as a few of them. */
const BATCH_SIZES = [256, 64, 16, 4, 1] as const;

/**
 * One statement over many rows (a multi-row insert, an update joined to a list of values),
 * compiled once for each of a few row counts. `build` receives a placeholder object per row;
 * each placeholder must end up as exactly one bound parameter, as in prepareQuery. A burst of
 * changes in one chatbot (a hundred agents idle at one moment) costs four statements per
 * table instead of a hundred: on SQLite each statement's call costs about as much as a row's
 * work, on PostgreSQL each is a round trip.
 */
export function prepareRows<Row, Item extends object>(
  db: Kysely<any>,
  names: ReadonlyArray<keyof Item & string>,
  build: (rows: Item[]) => Compilable<Row>,
): PreparedQuery<Row, readonly Item[]> {
  const bySize = new Map<number, { name: string; sql: string; order: Array<readonly [number, keyof Item]> }>();
  const compiledFor = (size: number) => {
    let statement = bySize.get(size);
    if (statement) return statement;
    const rows = Array.from({ length: size }, (_, index) => Object.fromEntries(names.map((name) => [name, `\u0000placeholder:${index}:${name}`])) as unknown as Item);
    const compiled = build(rows).compile();
    const order = compiled.parameters.map((parameter) => {
      const match = typeof parameter === 'string' ? /^\u0000placeholder:(\d+):(.+)$/.exec(parameter) : null;
      if (!match) throw new Error(`prepareRows: parameter ${String(parameter)} is not a placeholder; pass every value through placeholders`);
      return [Number(match[1]), match[2] as keyof Item] as const;
    });
    if (order.length !== size * names.length) throw new Error(`prepareRows: expected ${size * names.length} parameters, the query binds ${order.length}`);
    statement = { name: `q_${hash('sha1', compiled.sql, 'hex').slice(0, 16)}`, sql: compiled.sql, order };
    bySize.set(size, statement);
    return statement;
  };
  const inChunks = async (items: readonly Item[], execute: (name: string, sql: string, parameters: unknown[]) => unknown[] | Promise<unknown[]>): Promise<Row[]> => {
    const rows: Row[] = [];
    let offset = 0;
    for (const size of BATCH_SIZES) {
      while (items.length - offset >= size) {
        const { name, sql, order } = compiledFor(size);
        const first = offset;
        const result = (await execute(name, sql, order.map(([index, key]) => items[first + index]![key] as unknown))) as Row[];
        for (const row of result) rows.push(row);
        offset += size;
      }
    }
    return rows;
  };
  const run = (items: readonly Item[], executor?: Kysely<any>) =>
    inChunks(items, async (_name, sql, parameters) => (await (executor ?? db).executeQuery(CompiledQuery.raw(sql, parameters))).rows as unknown[]);
  return Object.assign(run, { in: (runner: SectionRunner, items: readonly Item[]) => inChunks(items, runner) });
}
