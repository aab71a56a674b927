import type { ExpressionBuilder } from 'kysely';

/**
 * In an upsert's update (ON CONFLICT … DO UPDATE): the later of the stored value of `column` and
 * the incoming one, a stored null counting as earliest, so that an older write arriving late
 * never moves a time back (a device's last post, a stream's close, an agent's last activity or
 * sign of life).
 */
export function later(eb: ExpressionBuilder<any, any>, table: string, column: string) {
  const stored = eb.ref(`${table}.${column}`);
  const incoming = eb.ref(`excluded.${column}`);
  return eb
    .case()
    .when(eb.or([eb(stored, 'is', null), eb(incoming, '>', stored)]))
    .then(incoming)
    .else(stored)
    .end();
}
