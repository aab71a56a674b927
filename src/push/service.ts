import type { AvailabilityReason, AvailabilityState } from '../availability/rule.js';
import { inAvailableAudience, skipReason } from './routing.js';
import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DeliveryState, DeviceKind } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { newId } from '../ids.js';
import { notificationStore } from './store.js';
import { DEFAULT_TTL_SECONDS, type Delivery, type NotificationView, type NotifyAnswer, type NotifyBody } from './schemas.js';

/** RFC 8291 aes128gcm adds a 86-byte header, a 16-byte tag and a 1-byte delimiter. */
const ENCRYPTION_OVERHEAD = 86 + 16 + 1;
/** The most a push message may carry once encrypted (RFC 8030 section 7.2; FCM's limit too). */
export const MAX_PUSH_BYTES = 4096;
/** The type of the test an agent sends to its own devices. */
export const TEST_NOTIFICATION_TYPE = 'inbox.test';

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

interface DeliveryRow {
  id: string;
  agent_id: string;
  device_id: string | null;
  kind: DeviceKind | null;
  state: DeliveryState;
  reason: string | null;
  attempts: number | string;
  last_error: string | null;
  sent_at: number | string | null;
  next_attempt_at: number | string;
  expires_at: number | string;
}

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  agentId: row.agent_id,
  deviceId: row.device_id,
  kind: row.kind,
  state: row.state,
  reason: row.reason,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  sentAt: isoTime(row.sent_at),
  // A pending delivery parked until its TTL (no attempt fits before it) has no next attempt.
  nextAttemptAt: row.state === 'pending' && Number(row.next_attempt_at) < Number(row.expires_at) ? isoTime(row.next_attempt_at) : null,
});

/**
 * Notifications integrations send to a chatbot's agents: who gets a push (the routing rule),
 * the outbox rows, Idempotency-Key replay, and the delivery report.
 */
export function pushService(
  db: Kysely<Database>,
  options: { fcmConfigured: boolean },
  now: () => number,
  /** Each member's state and reason now with liveness set aside (the presence service's intents). */
  availabilityOf: (chatbotId: string) => Promise<Map<string, { state: AvailabilityState; reason: AvailabilityReason }>>,
) {
  const store = notificationStore(db);
  const queuedListeners: Array<(notificationId: string) => void> = [];
  async function replay(chatbotId: string, key: string, requestHash: string): Promise<NotifyAnswer | null> {
    const earlier = await store.byIdempotencyKey(chatbotId, key);
    if (!earlier) return null;
    if (earlier.request_hash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used with a different request; use a new key for a new notification');
    }
    return JSON.parse(earlier.response) as NotifyAnswer;
  }

  const service = {
    /**
     * "Send me a test notification": a push to the agent's own devices only, whatever its
     * mutes, status or working hours (see the routing rule), with the deliveries to watch.
     */
    testToSelf(chatbotId: string, agentId: string, keyId: string): Promise<NotifyAnswer> {
      return service.notify(
        chatbotId,
        {
          type: TEST_NOTIFICATION_TYPE,
          title: 'Test notification',
          body: 'Browser notifications work on this device.',
          audience: { agentIds: [agentId] },
          priority: 'critical',
          ttlSeconds: 300,
        },
        { keyId, toSelf: true },
      );
    },

    /**
     * Queues a notification. Who gets a push: the audience ("available": agents the rule calls
     * available when liveness is set aside, so a closed tab still gets its push), then the routing rule (push/routing.ts: muted, do not disturb, outside working
     * hours, connected); each remaining agent's every device gets one delivery. Everyone else in
     * the audience is recorded as skipped with the reason.
     */
    async notify(chatbotId: string, body: NotifyBody, context: { keyId: string | null; idempotencyKey?: string; toSelf?: boolean }): Promise<NotifyAnswer> {
      const requestHash = hash('sha256', canonical(body), 'hex');
      const key = context.idempotencyKey;
      if (key) {
        const earlier = await replay(chatbotId, key, requestHash);
        if (earlier) return earlier;
      }
      const id = newId('ntf');
      const createdAt = now();
      const ttlSeconds = body.ttlSeconds ?? DEFAULT_TTL_SECONDS;
      const expiresAt = createdAt + ttlSeconds * 1000;
      const payload = JSON.stringify({
        id,
        type: body.type,
        title: body.title,
        body: body.body,
        url: body.url ?? null,
        data: body.data ?? null,
        priority: body.priority ?? 'normal',
        // The browser shows a newer notification with the same collapse key in place of the older one (its tag).
        collapseKey: body.collapseKey ?? null,
        chatbotId,
        createdAt: isoTime(createdAt),
      });
      const size = Buffer.byteLength(payload) + ENCRYPTION_OVERHEAD;
      if (size > MAX_PUSH_BYTES) {
        throw new AppError(
          'payload_too_large',
          `the push would be ${size} bytes once encrypted, over the ${MAX_PUSH_BYTES}-byte limit push services accept; shorten title, body, url or data by ${size - MAX_PUSH_BYTES} bytes`,
        );
      }
      const audience = body.audience ?? 'available';
      // Each member's state as the availability rule derives it now (read before the transaction: SQLite has one connection).
      const states = await availabilityOf(chatbotId);

      let answer: NotifyAnswer;
      try {
        answer = await store.transaction(async (trx) => {
          const named = typeof audience === 'object' ? audience.agentIds : null;
          const all = await trx.members(chatbotId, named);
          const rows = audience === 'available' ? all.filter((member) => inAvailableAudience(states.get(member.agent_id)?.state ?? 'offline')) : all;
          if (typeof audience === 'object' && rows.length < audience.agentIds.length) {
            const found = new Set(rows.map((row) => row.agent_id));
            const strangers = audience.agentIds.filter((agentId) => !found.has(agentId));
            throw new AppError(
              'invalid_request',
              `audience.agentIds must name members of this chatbot; not members: ${strangers.slice(0, 5).join(', ')}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''}`,
            );
          }

          const devices = rows.length > 0 ? await trx.devices(chatbotId, named) : new Map<string, Array<{ id: string; kind: DeviceKind }>>();

          const deliveries: DeliveryRow[] = [];
          for (const member of rows) {
            const derived = states.get(member.agent_id) ?? { state: 'offline', reason: 'no_sign_of_life' };
            const reason = skipReason(
              {
                mutedTypes: member.muted_types ? (JSON.parse(member.muted_types) as string[]) : [],
                connected: Boolean(member.connected),
                pushWhenConnected: Number(member.push_when_connected ?? 0) === 1,
                state: derived.state,
                reason: derived.reason,
              },
              { type: body.type, priority: body.priority ?? 'normal', toSelf: context.toSelf },
            );
            const own = devices.get(member.agent_id) ?? [];
            const base = { agent_id: member.agent_id, attempts: 0, last_error: null, sent_at: null, next_attempt_at: createdAt, expires_at: expiresAt };
            if (own.length === 0) {
              deliveries.push({ ...base, id: newId('dlv'), device_id: null, kind: null, state: 'skipped', reason: reason ?? 'no_devices' });
              continue;
            }
            for (const device of own) {
              const unsendable = !reason && device.kind === 'fcm' && !options.fcmConfigured ? 'fcm_not_configured' : null;
              const skip = reason ?? unsendable;
              deliveries.push({ ...base, id: newId('dlv'), device_id: device.id, kind: device.kind, state: skip ? 'skipped' : 'pending', reason: skip });
            }
          }
          const result: NotifyAnswer = { id, deliveries: deliveries.map(toDelivery) };

          await trx.add(
            {
              id,
              chatbot_id: chatbotId,
              key_id: context.keyId,
              idempotency_key: key ?? null,
              request_hash: requestHash,
              type: body.type,
              title: body.title,
              body: body.body,
              url: body.url ?? null,
              data: body.data ? JSON.stringify(body.data) : null,
              audience: JSON.stringify(audience),
              ttl_seconds: ttlSeconds,
              urgency: body.urgency ?? 'normal',
              collapse_key: body.collapseKey ?? null,
              payload,
              response: JSON.stringify(result),
              created_at: createdAt,
              expires_at: expiresAt,
            },
            deliveries.map((d) => ({
              id: d.id,
              notification_id: id,
              agent_id: d.agent_id,
              device_id: d.device_id,
              kind: d.kind,
              state: d.state,
              reason: d.reason,
              next_attempt_at: createdAt,
              expires_at: expiresAt,
              updated_at: createdAt,
            })),
          );
          return result;
        });
      } catch (error) {
        // Two calls with the same new key at once: the unique index let one in; answer as it did.
        if (key && !(error instanceof AppError)) {
          const earlier = await replay(chatbotId, key, requestHash);
          if (earlier) return earlier;
        }
        throw error;
      }
      if (answer.deliveries.some((delivery) => delivery.state === 'pending')) for (const listener of queuedListeners) listener(id);
      return answer;
    },

    /** Called after a notification with deliveries to send is committed. */
    onQueued(listener: (notificationId: string) => void): void {
      queuedListeners.push(listener);
    },

    /** The notification with each delivery's state; 404 for another chatbot's. */
    async get(chatbotId: string, notificationId: string): Promise<NotificationView> {
      const row = await store.find(chatbotId, notificationId);
      if (!row) throw new AppError('not_found', `no notification ${notificationId} in this chatbot`);
      const deliveries = (await store.deliveriesOf(notificationId)) as DeliveryRow[];
      const summary = { pending: 0, sent: 0, failed: 0, expired: 0, skipped: 0 };
      for (const delivery of deliveries) summary[delivery.state] += 1;
      return {
        id: row.id,
        type: row.type,
        title: row.title,
        body: row.body,
        url: row.url,
        data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null,
        audience: JSON.parse(row.audience) as NotificationView['audience'],
        ttlSeconds: Number(row.ttl_seconds),
        urgency: row.urgency,
        collapseKey: row.collapse_key,
        createdAt: isoTime(row.created_at)!,
        expiresAt: isoTime(row.expires_at)!,
        summary,
        deliveries: deliveries.map(toDelivery),
      };
    },
  };
  return service;
}

export type PushService = ReturnType<typeof pushService>;
