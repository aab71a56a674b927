import type { Kysely } from 'kysely';

/** Live presence: stream liveness, announced state, the per-chatbot event log, stream tickets. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Liveness through open streams, persisted so a restart (or a crash) keeps the grace period.
  // grace_until is null while a stream is open, and close time + grace once the last one closed.
  await db.schema
    .createTable('stream_liveness')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addColumn('grace_until', 'bigint')
    .addPrimaryKeyConstraint('stream_liveness_pk', ['chatbot_id', 'agent_id'])
    .addForeignKeyConstraint('stream_liveness_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  // What was last announced for each member: the database decides, in one conditional write,
  // whether a change is news, so each change is announced exactly once. No foreign key: a row
  // outliving its membership is how a removal is noticed.
  await db.schema
    .createTable('presence_announced')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('connected', 'integer', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_announced_pk', ['chatbot_id', 'agent_id'])
    .execute();

  await db.schema
    .alterTable('chatbots')
    .addColumn('presence_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('presence_events')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_events_pk', ['chatbot_id', 'version'])
    .execute();

  await db.schema
    .createTable('stream_tickets')
    .addColumn('ticket_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('key_id', 'varchar(40)', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
