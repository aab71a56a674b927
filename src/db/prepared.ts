import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * A query built with Kysely once and then run many times with new values. Building and
 * compiling costs several times more than SQLite's execution of a small statement, so hot
 * statements are compiled at start-up. The SQL stays Kysely's, per dialect.
 *
 * `build` receives a placeholder for each named value; each placeholder must end up as exactly
 * one bound parameter (values in .values(), .where() comparisons and the like, not SQL text).
 */
export function prepareQuery<Row, Values extends object>(
  db: Kysely<any>,
  names: ReadonlyArray<keyof Values & string>,
  build: (placeholders: Values) => Compilable<Row>,
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
  return async (values) => {
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, order.map((name) => values[name] as unknown)));
    return result.rows;
  };
}
