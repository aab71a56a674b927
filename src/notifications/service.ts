import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import type { EndpointPolicy } from '../delivery/addresses.js';
import { MAX_DEVICES, type NotificationSettings, type UpdateNotificationSettingsBody } from './schemas.js';
import type { NotificationStore } from './store.js';
import { checkSubscription } from './subscription.js';

/** An agent's own notification settings and devices, per chatbot. */
export function notificationService(store: NotificationStore, policy: EndpointPolicy, now: () => number) {
  async function read(chatbotId: string, agentId: string, trx?: Parameters<NotificationStore['findSettings']>[2]): Promise<NotificationSettings> {
    const [settings, devices] = await Promise.all([store.findSettings(chatbotId, agentId, trx), store.listDevices(chatbotId, agentId, trx)]);
    const newestFcm = devices.filter((d) => d.kind === 'fcm').sort((a, b) => Number(b.updated_at) - Number(a.updated_at))[0];
    return {
      pushToken: newestFcm?.address ?? null,
      updatedAt: isoTime(settings ? settings.updated_at : null),
      devices: devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        createdAt: isoTime(d.created_at)!,
        lastSuccessAt: isoTime(d.last_success_at),
        lastError: d.last_error,
      })),
      mutedTypes: settings ? (JSON.parse(settings.muted_types) as string[]) : [],
      pushWhenConnected: settings ? Number(settings.push_when_connected) === 1 : false,
    };
  }

  return {
    /** The settings as they stand; never-set settings read as defaults. */
    get: (chatbotId: string, agentId: string) => read(chatbotId, agentId),

    /**
     * Applies the fields present in the body in one transaction (`{}` changes nothing) and
     * returns the result. A refused field refuses the whole call: nothing is stored.
     */
    async update(chatbotId: string, agentId: string, body: UpdateNotificationSettingsBody): Promise<NotificationSettings> {
      const { pushToken, pushSubscription, mutedTypes, pushWhenConnected } = body;
      if (pushToken === undefined && pushSubscription === undefined && mutedTypes === undefined && pushWhenConnected === undefined) {
        return read(chatbotId, agentId);
      }
      if (pushSubscription) checkSubscription(pushSubscription, policy);
      const at = now();
      return store.transaction(async (trx) => {
        // First: the agent's settings row, written here, is the lock that makes concurrent adds of
        // devices wait for each other (PostgreSQL), so the count below sees every committed add.
        await store.touchSettings(trx, chatbotId, agentId, at, {
          ...(mutedTypes !== undefined ? { muted_types: JSON.stringify(mutedTypes) } : {}),
          ...(pushWhenConnected !== undefined ? { push_when_connected: pushWhenConnected ? 1 : 0 } : {}),
        });
        // null: no more pushes to this agent here, from any of its browsers.
        if (pushToken === null) await store.deleteDevices(trx, chatbotId, agentId);
        let deviceId: string | undefined;
        if (typeof pushToken === 'string') deviceId = await store.upsertDevice(trx, chatbotId, agentId, { kind: 'fcm', address: pushToken }, at);
        if (pushSubscription) {
          deviceId = await store.upsertDevice(
            trx,
            chatbotId,
            agentId,
            { kind: 'webpush', address: pushSubscription.endpoint, p256dh: pushSubscription.keys.p256dh, auth: pushSubscription.keys.auth },
            at,
          );
        }
        if (deviceId && (await store.countDevices(trx, chatbotId, agentId)) > MAX_DEVICES) {
          throw new AppError(
            'too_many_devices',
            `an agent can have at most ${MAX_DEVICES} devices in a chatbot; remove one (DELETE …/agents/me/notifications/devices/{deviceId}) first`,
          );
        }
        const settings = await read(chatbotId, agentId, trx);
        return deviceId ? { ...settings, deviceId } : settings;
      });
    },

    /** Removes one of the agent's own devices (a browser logging out); 404 when it has none such. */
    async removeDevice(chatbotId: string, agentId: string, deviceId: string): Promise<void> {
      await store.transaction(async (trx) => {
        if ((await store.deleteDevices(trx, chatbotId, agentId, deviceId)) === 0) {
          throw new AppError('not_found', `this agent has no device ${deviceId} in this chatbot`);
        }
        await store.touchSettings(trx, chatbotId, agentId, now(), {});
      });
    },
  };
}

export type NotificationService = ReturnType<typeof notificationService>;
