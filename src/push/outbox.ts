import { sql, type Kysely } from 'kysely';
import { prepareRows } from '../db/prepared.js';
import type { Database, DeliveryState } from '../db/schema.js';
import type { DeviceAddress, Outgoing } from './outcome.js';

/** A claimed delivery with what sending it needs. */
export interface Job {
  id: string;
  /** The attempt number this claim makes; it also identifies the claim when recording. */
  attempts: number;
  /** What the previous attempt met, if there was one. */
  lastError: string | null;
  /** Null when the device was removed after the notification was made. */
  device: (DeviceAddress & { id: string }) | null;
  message: Outgoing;
}

export interface Finish {
  state: DeliveryState;
  reason?: string | null;
  lastError?: string | null;
  sentAt?: number | null;
  /** For a retry (state stays pending): when the next attempt is due. */
  nextAttemptAt?: number;
  /** Nothing was sent on this claim (expired or device gone first): it does not count as an attempt. */
  untried?: boolean;
}

interface ClaimedRow {
  id: string;
  attempts: number | string;
  last_error: string | null;
  device_id: string | null;
  kind: 'fcm' | 'webpush' | null;
  address: string | null;
  p256dh: string | null;
  auth: string | null;
  notification_id: string;
  chatbot_id: string;
  payload: string;
  title: string;
  body: string;
  url: string | null;
  type: string;
  urgency: Outgoing['urgency'];
  collapse_key: string | null;
  expires_at: number | string;
}

/**
 * The durable outbox. Workers claim due pending deliveries by stamping a claim that lapses:
 * on PostgreSQL with FOR UPDATE SKIP LOCKED, so several instances take disjoint rows without
 * waiting on each other; on SQLite the single connection makes the claim atomic. A worker that
 * dies mid-send leaves a claim that lapses, and the delivery is tried again (its Topic makes a
 * rare duplicate replace the first on the device).
 */
export function outboxStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const lockClause = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  // Pushes sent, recorded together (sentMany): each delivery only while its claim holds it, and
  // each device's last success. Rows are found by key from the list (`in`), never the list
  // looked up per row of the table.
  const sentDeliveries = prepareRows<{ id: string }, { id: string; attempts: number; at: number }>(db, { id: 'text', attempts: 'integer', at: 'bigint' }, (rows) =>
    db
      .with('r', (qb) => qb.selectFrom(rows.as('x')).selectAll('x'))
      .updateTable('push_deliveries')
      .set((eb) => {
        const at = eb.selectFrom('r').select('r.at').whereRef('r.id', '=', 'push_deliveries.id');
        // Constants as SQL text: every bound parameter of a list statement is one of its rows' values.
        return { state: sql.lit('sent'), reason: sql.lit(null), last_error: sql.lit(null), sent_at: at, claimed_until: sql.lit(null), updated_at: at };
      })
      .where('push_deliveries.id', 'in', (eb) => eb.selectFrom('r').select('r.id'))
      .where('push_deliveries.state', '=', sql.lit('pending'))
      .where((eb) => eb('push_deliveries.attempts', '=', eb.selectFrom('r').select('r.attempts').whereRef('r.id', '=', 'push_deliveries.id')))
      .returning('push_deliveries.id'),
  );
  // On PostgreSQL the devices are locked in id order first, so that two instances recording
  // pushes to the same devices at once never wait on each other in a circle.
  const devicesSucceeded = prepareRows<never, { id: string; at: number }>(db, { id: 'text', at: 'bigint' }, (rows) =>
    db
      .with('r', (qb) => qb.selectFrom(rows.as('x')).selectAll('x'))
      .updateTable('push_devices')
      .set((eb) => ({
        last_success_at: eb
          .selectFrom('r')
          .select((r) => r.fn.max('r.at').as('at'))
          .whereRef('r.id', '=', 'push_devices.id'),
        last_error: sql.lit(null),
      }))
      .where('push_devices.id', 'in', (eb) =>
        eb
          .selectFrom('push_devices as v')
          .select('v.id')
          .where('v.id', 'in', eb.selectFrom('r').select('r.id'))
          .$if(dialect === 'postgres', (locking) => locking.orderBy('v.id').forUpdate()),
      ),
  );
  return {
    async claim(limit: number, now: number, claimMillis: number): Promise<Job[]> {
      const claimed = await sql<{ id: string }>`
        UPDATE push_deliveries SET claimed_until = ${now + claimMillis}, attempts = attempts + 1, updated_at = ${now}
        WHERE id IN (
          SELECT id FROM push_deliveries
          WHERE state = 'pending' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until < ${now})
          ORDER BY next_attempt_at LIMIT ${limit} ${lockClause}
        )
        RETURNING id`.execute(db);
      if (claimed.rows.length === 0) return [];
      const rows = (await db
        .selectFrom('push_deliveries as d')
        .innerJoin('notifications as n', 'n.id', 'd.notification_id')
        .leftJoin('push_devices as v', 'v.id', 'd.device_id')
        .select([
          'd.id',
          'd.attempts',
          'd.last_error',
          'd.device_id',
          'v.kind',
          'v.address',
          'v.p256dh',
          'v.auth',
          'n.id as notification_id',
          'n.chatbot_id',
          'n.payload',
          'n.title',
          'n.body',
          'n.url',
          'n.type',
          'n.urgency',
          'n.collapse_key',
          'd.expires_at',
        ])
        .where(
          'd.id',
          'in',
          claimed.rows.map((row) => row.id),
        )
        .execute()) as ClaimedRow[];
      return rows.map((row) => ({
        id: row.id,
        attempts: Number(row.attempts),
        lastError: row.last_error,
        device: row.kind && row.address && row.device_id ? { id: row.device_id, kind: row.kind, address: row.address, p256dh: row.p256dh, auth: row.auth } : null,
        message: {
          notificationId: row.notification_id,
          chatbotId: row.chatbot_id,
          payload: row.payload,
          title: row.title,
          body: row.body,
          url: row.url,
          type: row.type,
          urgency: row.urgency,
          topic: row.collapse_key ?? row.notification_id,
          expiresAt: Number(row.expires_at),
        },
      }));
    },

    /** Records an attempt's result, only if this claim still holds the delivery. */
    async finish(job: Pick<Job, 'id' | 'attempts'>, result: Finish, now: number): Promise<boolean> {
      const updated = await db
        .updateTable('push_deliveries')
        .set({
          state: result.state,
          reason: result.reason ?? null,
          last_error: result.lastError ?? null,
          sent_at: result.sentAt ?? null,
          claimed_until: null,
          updated_at: now,
          ...(result.untried ? { attempts: job.attempts - 1 } : {}),
          ...(result.nextAttemptAt !== undefined ? { next_attempt_at: result.nextAttemptAt } : {}),
        })
        .where('id', '=', job.id)
        .where('attempts', '=', job.attempts)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /**
     * Records pushes that were sent, in one transaction however many (a worker sends dozens
     * at once): each delivery sent, if its claim still holds it, and each device's last success.
     * The ids of the deliveries recorded (one whose claim lapsed is not).
     */
    async sentMany(sent: ReadonlyArray<{ job: Pick<Job, 'id' | 'attempts'>; deviceId: string; at: number }>): Promise<Set<string>> {
      if (sent.length === 0) return new Set();
      // One row per delivery (the statement reads one value per row it records): the latest claim's.
      const deliveries = [...new Map(sent.map(({ job, at }) => [job.id, { id: job.id, attempts: job.attempts, at }])).values()];
      return db.transaction().execute(async (trx) => {
        const recorded = await sentDeliveries(deliveries, trx);
        await devicesSucceeded(
          sent.map(({ deviceId, at }) => ({ id: deviceId, at })),
          trx,
        );
        return new Set(recorded.map((row) => row.id));
      });
    },

    /** Gives claims back untried (shutdown): due again at once, for this or another instance. */
    async release(jobs: Array<Pick<Job, 'id' | 'attempts'>>, now: number): Promise<void> {
      for (const job of jobs) {
        await db
          .updateTable('push_deliveries')
          .set({ claimed_until: null, attempts: job.attempts - 1, updated_at: now })
          .where('id', '=', job.id)
          .where('attempts', '=', job.attempts)
          .where('state', '=', 'pending')
          .execute();
      }
    },

    deviceFailed: (deviceId: string, error: string) => db.updateTable('push_devices').set({ last_error: error }).where('id', '=', deviceId).execute(),

    removeDevice: (deviceId: string) => db.deleteFrom('push_devices').where('id', '=', deviceId).execute(),

    /** For metrics: deliveries waiting, and how long the oldest due one has waited. */
    async stats(now: number): Promise<{ pending: number; oldestDueAgeSeconds: number }> {
      const row = await db
        .selectFrom('push_deliveries')
        .select((eb) => [eb.fn.countAll<number | string>().as('pending'), eb.fn.min('next_attempt_at').as('oldest')])
        .where('state', '=', 'pending')
        .executeTakeFirst();
      const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
      return { pending: Number(row?.pending ?? 0), oldestDueAgeSeconds: oldest === null || oldest > now ? 0 : (now - oldest) / 1000 };
    },

    /** Forgets notifications (and their deliveries) that expired before `before`. */
    async prune(before: number): Promise<number> {
      const result = await db.deleteFrom('notifications').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;
