import { sql, type Kysely } from 'kysely';
import type { Database, WebhookDeliveryTable, WebhookTable } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';

export type ClaimedDelivery = WebhookDeliveryTable & Pick<WebhookTable, 'url' | 'secret' | 'debounce_seconds'>;

export function webhookStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  return {
    /**
     * Adds the webhook unless its chatbot already has `max`; false when it has. The count and the
     * insert run under the chatbot's row lock (on SQLite, the one writer), so concurrent adds
     * never pass the limit together.
     */
    createWithin: (row: WebhookTable, max: number): Promise<boolean> =>
      db.transaction().execute(async (trx) => {
        const lock = trx.selectFrom('chatbots').select('id').where('id', '=', row.chatbot_id);
        await (dialect === 'postgres' ? lock.forUpdate() : lock).execute();
        const { n } = await trx
          .selectFrom('webhooks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('chatbot_id', '=', row.chatbot_id)
          .executeTakeFirstOrThrow();
        if (Number(n) >= max) return false;
        await trx.insertInto('webhooks').values(row).execute();
        return true;
      }),
    find: (chatbotId: string, id: string) => db.selectFrom('webhooks').selectAll().where('chatbot_id', '=', chatbotId).where('id', '=', id).executeTakeFirst(),
    page: (chatbotId: string, page: Page) => afterCursor(db.selectFrom('webhooks').selectAll().where('chatbot_id', '=', chatbotId), page, 'created_at', 'id').execute(),
    remove: async (chatbotId: string, id: string) =>
      Number((await db.deleteFrom('webhooks').where('chatbot_id', '=', chatbotId).where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0,
    deliveries: (webhookId: string, page: Page) =>
      afterCursor(db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId), page, 'created_at', 'id').execute(),

    /**
     * Claims due deliveries: each claimed row's next attempt moves past the claim, so another
     * instance's claim skips it (PostgreSQL re-checks the condition on a row another claim just
     * changed); `attempts` counts the attempt about to be made.
     */
    claimDue: (at: number, claimUntil: number, limit: number): Promise<ClaimedDelivery[]> =>
      db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', at)
          .orderBy('next_attempt_at')
          .limit(limit)
          .execute();
        if (due.length === 0) return [];
        const claimed = await trx
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: claimUntil, attempts: sql`attempts + 1` })
          .where(
            'id',
            'in',
            due.map((row) => row.id),
          )
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', at)
          .returning('id')
          .execute();
        if (claimed.length === 0) return [];
        return trx
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
          .selectAll('d')
          .select(['w.url', 'w.secret', 'w.debounce_seconds'])
          .where(
            'd.id',
            'in',
            claimed.map((row) => row.id),
          )
          .execute();
      }),

    /** The availability state key last sent to this webhook for the agent (a debounced flap back to it sends nothing); events (`assignment.*`) are not states. */
    lastSent: async (webhookId: string, agentId: string): Promise<string | null> =>
      (
        await db
          .selectFrom('webhook_deliveries')
          .select('state_key')
          .where('webhook_id', '=', webhookId)
          .where('agent_id', '=', agentId)
          .where('state', '=', 'sent')
          .where('state_key', 'like', '[%')
          .orderBy('sent_at', 'desc')
          .limit(1)
          .executeTakeFirst()
      )?.state_key ?? null,

    finish: (id: string, change: Partial<Pick<WebhookDeliveryTable, 'state' | 'reason' | 'last_status' | 'last_error' | 'next_attempt_at' | 'sent_at'>>) =>
      db.updateTable('webhook_deliveries').set(change).where('id', '=', id).execute(),

    /** Deletes finished deliveries older than `before`. */
    prune: (before: number) => db.deleteFrom('webhook_deliveries').where('state', '!=', 'pending').where('created_at', '<', before).execute(),
  };
}
export type WebhookStore = ReturnType<typeof webhookStore>;
