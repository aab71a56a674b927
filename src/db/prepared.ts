import { hash } from 'node:crypto';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * Runs SQL as a named prepared statement (PostgreSQL: parsed and planned once per connection,
 * then only executed). Without it, statements go through Kysely as usual.
 */
export type PreparedRunner = (name: string, sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;

/**
 * A query built with Kysely once and then run many times with new values. Building and
 * compiling costs several times more than SQLite's execution of a small statement, so hot
 * statements are compiled at start-up. The SQL stays Kysely's, per dialect.
 *
 * On PostgreSQL, given `runPrepared`, the statement is also prepared by the server once per
 * connection: planning a join costs more than running it.
 *
 * `build` receives a placeholder for each named value; each placeholder must end up as exactly
 * one bound parameter (values in .values(), .where() comparisons and the like, not SQL text).
 */
export function prepareQuery<Row, Values extends object>(
  db: Kysely<any>,
  names: ReadonlyArray<keyof Values & string>,
  build: (placeholders: Values) => Compilable<Row>,
  runPrepared?: PreparedRunner,
): (values: Values) => Promise<Row[]> {
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
  if (runPrepared) {
    const name = `q_${hash('sha1', compiled.sql, 'hex').slice(0, 16)}`;
    return async (values) => (await runPrepared(name, compiled.sql, order.map((key) => values[key] as unknown))) as Row[];
  }
  return async (values) => {
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, order.map((name) => values[name] as unknown)));
    return result.rows;
  };
}
