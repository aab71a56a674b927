import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { newId } from '../../ids.js';

/**
 * Browser notifications that are delivered: an agent's devices (FCM tokens and Web Push
 * subscriptions), push preferences, notifications with their per-device deliveries (the
 * outbox), and the generated VAPID key pair.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_devices')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    // The FCM token or the Web Push endpoint; its SHA-256 keys the device (a 4 KiB token is too
    // long for a unique index on PostgreSQL).
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('address_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('p256dh', 'varchar(100)')
    .addColumn('auth', 'varchar(40)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_success_at', 'bigint')
    .addColumn('last_error', 'text')
    .addForeignKeyConstraint('push_devices_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('push_devices_address').unique().on('push_devices').columns(['chatbot_id', 'address_hash']).execute();
  await db.schema.createIndex('push_devices_agent').on('push_devices').columns(['chatbot_id', 'agent_id']).execute();

  await db.schema
    .alterTable('notification_settings')
    .addColumn('muted_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('notification_settings')
    .addColumn('push_when_connected', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // The seed's single push token becomes the agent's first FCM device. A token two agents
  // shared goes to the one who set it last, as registering it again would do.
  const tokens = await db
    .selectFrom('notification_settings')
    .select(['chatbot_id', 'agent_id', 'push_token', 'updated_at'])
    .where('push_token', 'is not', null)
    .orderBy('updated_at', 'desc')
    .execute();
  const seen = new Set<string>();
  for (const row of tokens as Array<{ chatbot_id: string; agent_id: string; push_token: string; updated_at: number }>) {
    const hash = createHash('sha256').update(row.push_token).digest('hex');
    if (seen.has(`${row.chatbot_id} ${hash}`)) continue;
    seen.add(`${row.chatbot_id} ${hash}`);
    await db
      .insertInto('push_devices')
      .values({
        id: newId('dev'),
        chatbot_id: row.chatbot_id,
        agent_id: row.agent_id,
        kind: 'fcm',
        address: row.push_token,
        address_hash: hash,
        created_at: Number(row.updated_at),
        updated_at: Number(row.updated_at),
      })
      .execute();
  }
  await db.schema.alterTable('notification_settings').dropColumn('push_token').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('key_id', 'varchar(40)')
    .addColumn('idempotency_key', 'varchar(255)')
    .addColumn('request_hash', 'varchar(64)')
    .addColumn('type', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('data', 'text')
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('urgency', 'varchar(10)', (c) => c.notNull())
    .addColumn('collapse_key', 'varchar(32)')
    // What devices receive (encrypted per device for Web Push), built once.
    .addColumn('payload', 'text', (c) => c.notNull())
    // The 202 answer, replayed to a retried call with the same Idempotency-Key.
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_idempotency').unique().on('notifications').columns(['chatbot_id', 'idempotency_key']).execute();
  await db.schema.createIndex('notifications_expiry').on('notifications').column('expires_at').execute();

  // The outbox: one row per (notification, device), or per agent when it is skipped.
  await db.schema
    .createTable('push_deliveries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('notification_id', 'varchar(40)', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    // No foreign key: the delivery record outlives a device that is removed.
    .addColumn('device_id', 'varchar(40)')
    .addColumn('kind', 'varchar(10)')
    .addColumn('state', 'varchar(10)', (c) => c.notNull())
    .addColumn('reason', 'varchar(40)')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_deliveries_notification').on('push_deliveries').column('notification_id').execute();
  await sql`CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at) WHERE state = 'pending'`.execute(db);

  await db.schema
    .createTable('push_config')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
