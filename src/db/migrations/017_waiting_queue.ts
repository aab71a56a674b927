import type { Kysely } from 'kysely';

/**
 * The waiting queue and the end of a chat. A chat nobody could take, asked to wait, is a row of
 * `waiting_chats` until it is assigned (its row moves to `assignments`), cancelled or expired; a
 * chat that ended (released, cancelled, expired) is a row of `ended_chats`, so that a
 * conversation's state can be read after it ended and reports can count waits and expiries.
 * `queue_order` is the queue's order as one number (higher priority first, then arrival: see
 * assignments/queue.ts), so a page of the queue is a keyset page like any other list.
 * An assignment keeps when its chat arrived, its priority and how long it waited, for the reports.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('waiting_chats')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('queue_order', 'bigint', (c) => c.notNull())
    .addColumn('arrived_at', 'bigint', (c) => c.notNull())
    // When it expires: its maxWaitSeconds after arrival, or the longest wait (a day) without one.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('max_wait_seconds', 'integer')
    .addColumn('strategy', 'varchar(20)', (c) => c.notNull())
    .addColumn('preferred_agent_id', 'varchar(200)')
    // JSON list of agent ids the request excluded.
    .addColumn('exclude_agent_ids', 'text', (c) => c.notNull())
    .addColumn('title', 'varchar(200)')
    .addColumn('preview', 'varchar(500)')
    // Why it waits (JSON, every member considered), as judged when it arrived.
    .addColumn('considered', 'text', (c) => c.notNull())
    .addColumn('queued_by', 'varchar(40)')
    .addPrimaryKeyConstraint('waiting_chats_pk', ['chatbot_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('waiting_chats_order').on('waiting_chats').columns(['chatbot_id', 'queue_order', 'conversation_id']).execute();
  await db.schema.createIndex('waiting_chats_expiry').on('waiting_chats').columns(['expires_at']).execute();

  await db.schema
    .createTable('ended_chats')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(200)', (c) => c.notNull())
    // released, cancelled or expired.
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('arrived_at', 'bigint', (c) => c.notNull())
    // The agent who had it, and since when (released only).
    .addColumn('agent_id', 'varchar(40)')
    .addColumn('assigned_at', 'bigint')
    .addColumn('title', 'varchar(200)')
    .addColumn('preview', 'varchar(500)')
    // How long it waited for its first agent (null: no agent took it).
    .addColumn('waited_ms', 'bigint')
    .addPrimaryKeyConstraint('ended_chats_pk', ['chatbot_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('ended_chats_time').on('ended_chats').columns(['chatbot_id', 'ended_at']).execute();

  // When the chat arrived (assigned at once: its assignment time), its priority, and how long it
  // waited for its first agent (a move keeps it; null: assigned before the queue existed).
  await db.schema.alterTable('assignments').addColumn('arrived_at', 'bigint').execute();
  await db.schema.alterTable('assignments').addColumn('waited_ms', 'bigint').execute();
  await db.schema
    .alterTable('assignments')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
