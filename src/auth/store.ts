import type { Kysely } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import type { ApiKeyTable, Database } from '../db/schema.js';

/** SQL for API keys. Only hashes go in and out; secrets never reach this layer. */
export function keyStore(db: Kysely<Database>, changes: ChangeTracker) {
  return {
    insertKey: (row: ApiKeyTable) => db.insertInto('api_keys').values(row).execute(),

    findKeyByHash: (secretHash: string) =>
      db.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst(),

    findKey: (id: string) => db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Marks a key revoked; keeps the first revocation time when revoked twice. */
    revokeKey: async (id: string, at: number) => {
      await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
      changes.tenancyChanged();
    },

    listKeys: (filter: { agentId?: string; chatbotId?: string }) => {
      let query = db.selectFrom('api_keys').selectAll();
      if (filter.agentId) query = query.where('agent_id', '=', filter.agentId);
      if (filter.chatbotId) query = query.where('chatbot_id', '=', filter.chatbotId);
      return query.orderBy('created_at').orderBy('id').execute();
    },
  };
}

export type KeyStore = ReturnType<typeof keyStore>;
