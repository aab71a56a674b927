import type { Kysely, Selectable } from 'kysely';
import { prepareRows, selectRows } from '../db/prepared.js';
import type { AuditLogTable, Database } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';

/** An entry as read: the acting key's name and agent beside it (null when the key has none or is gone). */
export type AuditRow = Selectable<AuditLogTable> & { actor_key_name: string | null; actor_agent_id: string | null; actor_agent_name: string | null };

/** SQL for the audit log: append and read, never change. */
export function auditStore(db: Kysely<Database>) {
  return {
    append: async (row: AuditLogTable) => {
      await db.insertInto('audit_log').values(row).execute();
    },

    /** Entries newest first, of one chatbot or of the whole install. */
    list: (filter: { chatbotId?: string }, page: Page): Promise<AuditRow[]> => {
      let query = db
        .selectFrom('audit_log')
        .leftJoin('api_keys as actor_key', 'actor_key.id', 'audit_log.actor_key_id')
        .leftJoin('agents as actor_agent', 'actor_agent.id', 'actor_key.agent_id')
        .selectAll('audit_log')
        .select(['actor_key.name as actor_key_name', 'actor_key.agent_id as actor_agent_id', 'actor_agent.name as actor_agent_name']);
      if (filter.chatbotId !== undefined) query = query.where('audit_log.chatbot_id', '=', filter.chatbotId);
      return afterCursor(query, { ...page, descending: true }, 'audit_log.at', 'audit_log.id').execute();
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;

const COLUMNS = ['id', 'at', 'actor_key_id', 'actor_kind', 'action', 'chatbot_id', 'agent_id', 'key_id', 'request_id', 'detail'] as const;

/** Entries in one statement, inside a unit of work: those a unit gathers (Run.append), a drain of the waiting queue one per chat. */
export const auditAppendMany = (db: Kysely<Database>) =>
  prepareRows<never, AuditLogTable>(
    db,
    {
      id: 'text',
      at: 'bigint',
      actor_key_id: 'text',
      actor_kind: 'text',
      action: 'text',
      chatbot_id: 'text',
      agent_id: 'text',
      key_id: 'text',
      request_id: 'text',
      detail: 'text',
    },
    (rows) =>
      db
        .insertInto('audit_log')
        .columns(COLUMNS)
        .expression(selectRows(db, rows, COLUMNS)),
  );
