import type { Insertable, Kysely } from 'kysely';
import type { Database, DeviceKind, NotificationTable, PushDeliveryTable } from '../db/schema.js';

/** Rows inserted at once into push_deliveries (SQLite caps the parameters of one statement). */
const INSERT_CHUNK = 500;
/** Notifications inserted at once (19 columns: under SQLite's parameter cap). */
const NOTIFICATION_CHUNK = 50;

/** The notifications and their deliveries as stored, and the stored VAPID key pair. */
export function notificationStore(db: Kysely<Database>) {
  /** Reads and writes of one notify, inside its transaction. */
  const within = (trx: Kysely<Database>) => ({
    /** The chatbot's members (or the named ones) with what the routing rule needs: mutes, the push-when-connected choice, whether a stream is open. */
    members(chatbotId: string, agentIds: readonly string[] | null) {
      let members = trx
        .selectFrom('memberships as m')
        .leftJoin('notification_settings as s', (join) => join.onRef('s.chatbot_id', '=', 'm.chatbot_id').onRef('s.agent_id', '=', 'm.agent_id'))
        .select(['m.agent_id', 's.muted_types', 's.push_when_connected'])
        .select((eb) =>
          eb
            .exists(eb.selectFrom('stream_holders as h').select('h.agent_id').whereRef('h.chatbot_id', '=', 'm.chatbot_id').whereRef('h.agent_id', '=', 'm.agent_id'))
            .as('connected'),
        )
        .where('m.chatbot_id', '=', chatbotId);
      if (agentIds) members = members.where('m.agent_id', 'in', agentIds);
      return members.orderBy('m.agent_id').execute();
    },

    /** The devices of the chatbot's agents (or of the named ones), oldest first. */
    async devices(chatbotId: string, agentIds: readonly string[] | null): Promise<Map<string, Array<{ id: string; kind: DeviceKind }>>> {
      let query = trx.selectFrom('push_devices').select(['id', 'agent_id', 'kind']).where('chatbot_id', '=', chatbotId);
      if (agentIds) query = query.where('agent_id', 'in', agentIds);
      const devices = new Map<string, Array<{ id: string; kind: DeviceKind }>>();
      for (const device of await query.orderBy('created_at').orderBy('id').execute()) {
        const list = devices.get(device.agent_id) ?? [];
        list.push({ id: device.id, kind: device.kind });
        devices.set(device.agent_id, list);
      }
      return devices;
    },

    /** Notifications and their deliveries (the outbox rows the worker sends). */
    async add(notifications: ReadonlyArray<Insertable<NotificationTable>>, deliveries: ReadonlyArray<Insertable<PushDeliveryTable>>): Promise<void> {
      for (let i = 0; i < notifications.length; i += NOTIFICATION_CHUNK)
        await trx
          .insertInto('notifications')
          .values(notifications.slice(i, i + NOTIFICATION_CHUNK))
          .execute();
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK)
        await trx
          .insertInto('push_deliveries')
          .values(deliveries.slice(i, i + INSERT_CHUNK))
          .execute();
    },
  });

  return {
    /** Runs `work` in one transaction with the reads and writes of a notify. */
    transaction: <T>(work: (store: ReturnType<typeof within>) => Promise<T>): Promise<T> => db.transaction().execute((trx) => work(within(trx))),

    /** What earlier notifies with these Idempotency-Keys asked (their hash) and answered, by key. */
    async byIdempotencyKeys(chatbotId: string, keys: readonly string[]): Promise<Map<string, { request_hash: string | null; response: string }>> {
      const found = new Map<string, { request_hash: string | null; response: string }>();
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('notifications')
          .select(['idempotency_key', 'request_hash', 'response'])
          .where('chatbot_id', '=', chatbotId)
          .where('idempotency_key', 'in', keys.slice(i, i + INSERT_CHUNK))
          .execute();
        for (const row of rows) found.set(row.idempotency_key!, row);
      }
      return found;
    },

    find: (chatbotId: string, notificationId: string) =>
      db.selectFrom('notifications').selectAll().where('id', '=', notificationId).where('chatbot_id', '=', chatbotId).executeTakeFirst(),

    deliveriesOf: (notificationId: string) =>
      db
        .selectFrom('push_deliveries')
        .select(['id', 'agent_id', 'device_id', 'kind', 'state', 'reason', 'attempts', 'last_error', 'sent_at', 'next_attempt_at', 'expires_at'])
        .where('notification_id', '=', notificationId)
        .orderBy('agent_id')
        .orderBy('id')
        .execute(),
  };
}

/** Keeps `generated` as the install's VAPID key pair unless one is stored already; answers the stored pair (the first instance to start wins). */
export async function keepVapidKeys(db: Kysely<Database>, generated: { publicKey: string; privateKey: string }): Promise<{ publicKey: string; privateKey: string }> {
  await db
    .insertInto('push_config')
    .values({ name: 'vapid_keys', value: JSON.stringify(generated) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('push_config').select('value').where('name', '=', 'vapid_keys').executeTakeFirstOrThrow();
  return JSON.parse(row.value) as { publicKey: string; privateKey: string };
}
