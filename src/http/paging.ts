import { Type, type Static, type TSchema } from 'typebox';
import { AppError } from '../errors.js';

/**
 * Cursor paging for every list of the provisioning API: `?limit=` (1 to 200, default 50) and
 * `?cursor=` (opaque, from the previous page's `nextCursor`), answered as
 * `{ items, nextCursor }` with `nextCursor` null at the end. Pages are keyset pages on
 * (time, id): a row inserted while a client pages never shifts the others, so every row that
 * existed when paging began is seen exactly once.
 */
export const PAGE_LIMIT_MAX = 200;
export const PAGE_LIMIT_DEFAULT = 50;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: `Items per page, 1 to ${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT}).` })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'The `nextCursor` of the previous page.' })),
});

export const PAGE_RULES = {
  limit: `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`,
  cursor: 'cursor must be the nextCursor of a previous page of this list',
};

/** A page request: how many, and after which (time, id). */
export interface Page {
  limit: number;
  after: { at: number; id: string } | null;
  /** Newest first (the audit log) rather than oldest first. */
  descending?: boolean;
}

/** Reads `?limit=&cursor=` (already shaped by PageQuery), or refuses naming the field. */
export function pageOf(query: Static<typeof PageQuery>, options: { descending?: boolean } = {}): Page {
  const limit = query.limit === undefined ? PAGE_LIMIT_DEFAULT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) throw new AppError('invalid_request', PAGE_RULES.limit);
  let after: Page['after'] = null;
  if (query.cursor !== undefined) {
    const decoded = Buffer.from(query.cursor, 'base64url').toString('utf8');
    // The id: a row's id, or another key of the list (a conversation id: up to 200 visible characters).
    const match = /^(\d{1,16})\.([\x21-\x7E]{1,200})$/.exec(decoded);
    if (!match) throw new AppError('invalid_request', PAGE_RULES.cursor);
    after = { at: Number(match[1]), id: match[2]! };
  }
  return { limit, after, descending: options.descending ?? false };
}

/** The answer of a paged list: the page's items, and the cursor of the next page (null at the end). */
export function pageAnswer<Row, Item>(rows: Row[], page: Page, cursorOf: (row: Row) => { at: number; id: string }, toItem: (row: Row) => Item) {
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > page.limit && last ? Buffer.from(`${cursorOf(last).at}.${cursorOf(last).id}`, 'utf8').toString('base64url') : null;
  return { items: items.map(toItem), nextCursor };
}

/** The schema of a page of `item`s. */
export function PageOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null at the end.' }),
    },
    { title },
  );
}
