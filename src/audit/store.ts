import type { Kysely, Selectable } from 'kysely';
import { prepareQuery } from '../db/prepared.js';
import type { AuditLogTable, Database } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';

export type AuditRow = Selectable<AuditLogTable>;

/** SQL for the audit log: append and read, never change. */
export function auditStore(db: Kysely<Database>) {
  return {
    append: async (row: AuditLogTable) => {
      await db.insertInto('audit_log').values(row).execute();
    },

    /** Entries newest first, of one chatbot or of the whole install. */
    list: (filter: { chatbotId?: string }, page: Page): Promise<AuditRow[]> => {
      let query = db.selectFrom('audit_log').selectAll();
      if (filter.chatbotId !== undefined) query = query.where('chatbot_id', '=', filter.chatbotId);
      return afterCursor(query, { ...page, descending: true }, 'at', 'id').execute();
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;

const COLUMNS = ['id', 'at', 'actor_key_id', 'actor_kind', 'action', 'chatbot_id', 'agent_id', 'key_id', 'request_id', 'detail'] as const;

/** The append as a prepared statement, for changes made inside a unit of work (run through its `run`). */
export const auditAppend = (db: Kysely<Database>) => prepareQuery<never, AuditLogTable>(db, COLUMNS, (v) => db.insertInto('audit_log').values(v));
