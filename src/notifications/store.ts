import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** SQL for an agent's notification settings in one chatbot. */
export function notificationStore(db: Kysely<Database>) {
  return {
    findSettings: (chatbotId: string, agentId: string) =>
      db
        .selectFrom('notification_settings')
        .select(['push_token', 'updated_at'])
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst(),

    /** Sets (or, with null, clears) the push token and returns the settings as they stand. */
    upsertPushToken: (chatbotId: string, agentId: string, pushToken: string | null, at: number) =>
      db
        .insertInto('notification_settings')
        .values({ chatbot_id: chatbotId, agent_id: agentId, push_token: pushToken, updated_at: at })
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ push_token: pushToken, updated_at: at }))
        .returning(['push_token', 'updated_at'])
        .executeTakeFirstOrThrow(),
  };
}

export type NotificationStore = ReturnType<typeof notificationStore>;
