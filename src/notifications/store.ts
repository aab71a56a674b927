import { hash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, DeviceKind } from '../db/schema.js';
import { newId } from '../ids.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface DeviceInput {
  kind: DeviceKind;
  address: string;
  p256dh?: string;
  auth?: string;
}

/** Devices are found by a hash of their token or endpoint: a fixed-size unique key for any length. */
const addressHash = (address: string) => hash('sha256', address, 'hex');

/** SQL for an agent's notification settings and devices in one chatbot. */
export function notificationStore(db: Kysely<Database>) {
  return {
    transaction: <T>(work: (trx: Transaction<Database>) => Promise<T>) => db.transaction().execute(work),

    findSettings: (chatbotId: string, agentId: string, trx: Db = db) =>
      trx
        .selectFrom('notification_settings')
        .select(['muted_types', 'push_when_connected', 'updated_at'])
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst(),

    listDevices: (chatbotId: string, agentId: string, trx: Db = db) =>
      trx
        .selectFrom('push_devices')
        .select(['id', 'kind', 'address', 'created_at', 'updated_at', 'last_success_at', 'last_error'])
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', '=', agentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),

    /** Creates the settings row or changes the given preferences, and marks the change. */
    async touchSettings(trx: Db, chatbotId: string, agentId: string, at: number, changes: { muted_types?: string; push_when_connected?: number }) {
      await trx
        .insertInto('notification_settings')
        .values({ chatbot_id: chatbotId, agent_id: agentId, updated_at: at, ...changes })
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ updated_at: at, ...changes }))
        .execute();
    },

    /**
     * Adds a device, or refreshes the one with the same token or endpoint in this chatbot
     * (moving it to this agent if another agent had it). Returns its id.
     */
    async upsertDevice(trx: Db, chatbotId: string, agentId: string, device: DeviceInput, at: number): Promise<string> {
      const row = await trx
        .insertInto('push_devices')
        .values({
          id: newId('dev'),
          chatbot_id: chatbotId,
          agent_id: agentId,
          kind: device.kind,
          address: device.address,
          address_hash: addressHash(device.address),
          p256dh: device.p256dh ?? null,
          auth: device.auth ?? null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'address_hash']).doUpdateSet({
            agent_id: agentId,
            kind: device.kind,
            p256dh: device.p256dh ?? null,
            auth: device.auth ?? null,
            updated_at: at,
            last_error: null,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    countDevices: async (trx: Db, chatbotId: string, agentId: string) =>
      Number(
        (
          await trx
            .selectFrom('push_devices')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('chatbot_id', '=', chatbotId)
            .where('agent_id', '=', agentId)
            .executeTakeFirstOrThrow()
        ).n,
      ),

    deleteDevices: async (trx: Db, chatbotId: string, agentId: string, deviceId?: string) => {
      let query = trx.deleteFrom('push_devices').where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId);
      if (deviceId) query = query.where('id', '=', deviceId);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type NotificationStore = ReturnType<typeof notificationStore>;
