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
