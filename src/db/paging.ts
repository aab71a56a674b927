import type { SelectQueryBuilder } from 'kysely';
import type { Page } from '../http/paging.js';

/** The query limited to the page: rows after the cursor, in (time, id) order, one more than the limit (to know whether there is a next page). */
export function afterCursor<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, page: Page, timeColumn: string, idColumn: string): SelectQueryBuilder<DB, TB, O> {
  // Column names come from the store, never from a request.
  const q = query as unknown as SelectQueryBuilder<any, any, O>;
  let paged = q;
  if (page.after) {
    const { at, id } = page.after;
    paged = paged.where((eb) => eb(eb.refTuple(timeColumn, idColumn), page.descending ? '<' : '>', eb.tuple(at, id)));
  }
  const direction = page.descending ? 'desc' : 'asc';
  return paged
    .orderBy(timeColumn, direction)
    .orderBy(idColumn, direction)
    .limit(page.limit + 1) as unknown as SelectQueryBuilder<DB, TB, O>;
}
