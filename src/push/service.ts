import type { AvailabilityReason, AvailabilityState } from '../availability/rule.js';
import { inAvailableAudience, skipReason } from './routing.js';
import { hash } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database, DeliveryState, DeviceKind, NotificationTable, PushDeliveryTable } from '../db/schema.js';
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

/** Who sends a notification: the key (null: the service itself), its Idempotency-Key, and whether it is an agent's test to its own devices. */
export interface NotifyContext {
  keyId: string | null;
  idempotencyKey?: string;
  toSelf?: boolean;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

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
  /** An earlier notify's answer for the same Idempotency-Key, or the error when it asked something else. */
  function replayed(earlier: { request_hash: string | null; response: string }, requestHash: string): NotifyAnswer | AppError {
    if (earlier.request_hash !== requestHash) {
      return new AppError('idempotency_key_reused', 'this Idempotency-Key was used with a different request; use a new key for a new notification');
    }
    return JSON.parse(earlier.response) as NotifyAnswer;
  }

  /**
   * One notification's deliveries: per member of its audience, a delivery per device, or one
   * skipped with the reason (push/routing.ts); an error when it names agents who are not members.
   */
  function deliveriesOf(
    item: { body: NotifyBody; context: NotifyContext; createdAt: number; expiresAt: number },
    audience: NonNullable<NotifyBody['audience']>,
    all: ReadonlyArray<{ agent_id: string; muted_types: string | null; push_when_connected: number | string | null; connected: unknown }>,
    devices: ReadonlyMap<string, ReadonlyArray<{ id: string; kind: DeviceKind }>>,
    states: ReadonlyMap<string, { state: AvailabilityState; reason: AvailabilityReason }>,
  ): DeliveryRow[] | AppError {
    const wanted = typeof audience === 'object' ? new Set(audience.agentIds) : null;
    const inAudience = wanted ? all.filter((member) => wanted.has(member.agent_id)) : all;
    const rows = audience === 'available' ? inAudience.filter((member) => inAvailableAudience(states.get(member.agent_id)?.state ?? 'offline')) : inAudience;
    if (typeof audience === 'object' && rows.length < wanted!.size) {
      const found = new Set(rows.map((row) => row.agent_id));
      const strangers = [...wanted!].filter((agentId) => !found.has(agentId));
      return new AppError(
        'invalid_request',
        `audience.agentIds must name members of this chatbot; not members: ${strangers.slice(0, 5).join(', ')}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''}`,
      );
    }
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
        { type: item.body.type, priority: item.body.priority ?? 'normal', toSelf: item.context.toSelf },
      );
      const own = devices.get(member.agent_id) ?? [];
      const base = { agent_id: member.agent_id, attempts: 0, last_error: null, sent_at: null, next_attempt_at: item.createdAt, expires_at: item.expiresAt };
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
    return deliveries;
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
    async notify(chatbotId: string, body: NotifyBody, context: NotifyContext): Promise<NotifyAnswer> {
      const [answer] = await service.notifyMany(chatbotId, [{ body, context }]);
      if (answer instanceof Error) throw answer;
      return answer!;
    },

    /**
     * Queues several notifications of one chatbot (the "New chat" pushes of a burst of
     * assignments) as notify does each, with the reads and writes of all of them in one
     * transaction: its answer, or the error that refused it, per notification in order. Should
     * the transaction fail (two calls with the same new Idempotency-Key at once), each is
     * queued on its own.
     */
    async notifyMany(chatbotId: string, requests: ReadonlyArray<{ body: NotifyBody; context: NotifyContext }>): Promise<Array<NotifyAnswer | Error>> {
      const results: Array<NotifyAnswer | Error | undefined> = requests.map(() => undefined);
      type Planned = {
        index: number;
        body: NotifyBody;
        context: NotifyContext;
        requestHash: string;
        id: string;
        payload: string;
        createdAt: number;
        expiresAt: number;
        ttlSeconds: number;
      };
      const planned: Planned[] = [];
      const keys = requests.flatMap(({ context }) => (context.idempotencyKey ? [context.idempotencyKey] : []));
      const earlier = keys.length > 0 ? await store.byIdempotencyKeys(chatbotId, keys) : new Map<string, { request_hash: string | null; response: string }>();
      for (const [index, { body, context }] of requests.entries()) {
        const requestHash = hash('sha256', canonical(body), 'hex');
        const key = context.idempotencyKey;
        const found = key ? earlier.get(key) : undefined;
        if (found) {
          results[index] = replayed(found, requestHash);
          continue;
        }
        const id = newId('ntf');
        const createdAt = now();
        const ttlSeconds = body.ttlSeconds ?? DEFAULT_TTL_SECONDS;
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
          results[index] = new AppError(
            'payload_too_large',
            `the push would be ${size} bytes once encrypted, over the ${MAX_PUSH_BYTES}-byte limit push services accept; shorten title, body, url or data by ${size - MAX_PUSH_BYTES} bytes`,
          );
          continue;
        }
        planned.push({ index, body, context, requestHash, id, payload, createdAt, expiresAt: createdAt + ttlSeconds * 1000, ttlSeconds });
      }
      if (planned.length === 0) return results as Array<NotifyAnswer | Error>;
      // Each member's state as the availability rule derives it now (read before the transaction: SQLite has one connection).
      const states = await availabilityOf(chatbotId);
      // Only named agents in every audience: their rows alone; else the whole chatbot's.
      const named = planned.every(({ body }) => typeof body.audience === 'object')
        ? [...new Set(planned.flatMap(({ body }) => (body.audience as { agentIds: string[] }).agentIds))]
        : null;

      const queued: string[] = [];
      try {
        await store.transaction(async (trx) => {
          const all = await trx.members(chatbotId, named);
          const devices = all.length > 0 ? await trx.devices(chatbotId, named) : new Map<string, Array<{ id: string; kind: DeviceKind }>>();
          const notifications: Array<Insertable<NotificationTable>> = [];
          const deliveryRows: Array<Insertable<PushDeliveryTable>> = [];
          for (const item of planned) {
            const audience = item.body.audience ?? 'available';
            const answer = deliveriesOf(item, audience, all, devices, states);
            if (answer instanceof Error) {
              results[item.index] = answer;
              continue;
            }
            const result: NotifyAnswer = { id: item.id, deliveries: answer.map(toDelivery) };
            results[item.index] = result;
            if (answer.some((delivery) => delivery.state === 'pending')) queued.push(item.id);
            notifications.push({
              id: item.id,
              chatbot_id: chatbotId,
              key_id: item.context.keyId,
              idempotency_key: item.context.idempotencyKey ?? null,
              request_hash: item.requestHash,
              type: item.body.type,
              title: item.body.title,
              body: item.body.body,
              url: item.body.url ?? null,
              data: item.body.data ? JSON.stringify(item.body.data) : null,
              audience: JSON.stringify(audience),
              ttl_seconds: item.ttlSeconds,
              urgency: item.body.urgency ?? 'normal',
              collapse_key: item.body.collapseKey ?? null,
              payload: item.payload,
              response: JSON.stringify(result),
              created_at: item.createdAt,
              expires_at: item.expiresAt,
            });
            for (const d of answer) {
              deliveryRows.push({
                id: d.id,
                notification_id: item.id,
                agent_id: d.agent_id,
                device_id: d.device_id,
                kind: d.kind,
                state: d.state,
                reason: d.reason,
                next_attempt_at: item.createdAt,
                expires_at: item.expiresAt,
                updated_at: item.createdAt,
              });
            }
          }
          await trx.add(notifications, deliveryRows);
        });
      } catch (error) {
        if (error instanceof AppError) throw error;
        // Two calls with the same new key at once: the unique index let one in; the one that
        // lost answers as it did. Of several, each on its own.
        if (planned.length > 1) {
          for (const item of planned) results[item.index] = await service.notify(chatbotId, item.body, item.context).catch((failed: unknown) => asError(failed));
          return results as Array<NotifyAnswer | Error>;
        }
        const key = planned[0]!.context.idempotencyKey;
        const found = key ? (await store.byIdempotencyKeys(chatbotId, [key])).get(key) : undefined;
        if (found) return [replayed(found, planned[0]!.requestHash)];
        throw error;
      }
      for (const id of queued) for (const listener of queuedListeners) listener(id);
      return results as Array<NotifyAnswer | Error>;
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
        data: row.data ? withoutOfferSecret(JSON.parse(row.data) as Record<string, unknown>) : null,
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

/**
 * A notification's data as answered: an offer's secret (assignments/notice.ts) is for the agent's
 * device alone, which it answers the offer with; no key reading the notification gets it.
 */
function withoutOfferSecret(data: Record<string, unknown>): Record<string, unknown> {
  const offer = data.offer as Record<string, unknown> | undefined;
  if (!offer || typeof offer !== 'object' || !('secret' in offer)) return data;
  const { secret: _secret, ...rest } = offer;
  return { ...data, offer: rest };
}
