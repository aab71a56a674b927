import type { NotificationSettings, UpdateNotificationSettingsBody } from './schemas.js';
import type { NotificationStore } from './store.js';

function toSettings(row: { push_token: string | null; updated_at: number } | undefined): NotificationSettings {
  if (!row) return { pushToken: null, updatedAt: null };
  return { pushToken: row.push_token, updatedAt: new Date(Number(row.updated_at)).toISOString() };
}

/** An agent's own notification settings, per chatbot. */
export function notificationService(store: NotificationStore, now: () => number) {
  return {
    /** The settings as they stand; never-set settings read as nulls. */
    async get(chatbotId: string, agentId: string): Promise<NotificationSettings> {
      return toSettings(await store.findSettings(chatbotId, agentId));
    },

    /** Applies the fields present in the body (`{}` changes nothing) and returns the result. */
    async update(chatbotId: string, agentId: string, body: UpdateNotificationSettingsBody): Promise<NotificationSettings> {
      if (body.pushToken === undefined) return this.get(chatbotId, agentId);
      return toSettings(await store.upsertPushToken(chatbotId, agentId, body.pushToken, now()));
    },
  };
}

export type NotificationService = ReturnType<typeof notificationService>;
