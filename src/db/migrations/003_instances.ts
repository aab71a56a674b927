import type { Kysely } from 'kysely';

/**
 * Several instances: each running instance holds a lease, and each open stream is recorded
 * against the instance holding it. An agent is connected while any live instance holds one of
 * its streams; when an instance dies without a goodbye, its lease runs out and a survivor
 * releases its streams into the grace period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instances')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('renewed_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stream_holders')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('instance_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_holders_pk', ['chatbot_id', 'agent_id', 'instance_id'])
    .addForeignKeyConstraint('stream_holders_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('stream_holders_instance').on('stream_holders').column('instance_id').execute();

  // Before this migration a null grace meant "a stream is open in the one process". That
  // process is gone now (this is a start): its agents get the default grace from now.
  await db
    .updateTable('stream_liveness' as never)
    .set({ grace_until: Date.now() + 20_000 } as never)
    .where('grace_until' as never, 'is', null)
    .execute();
}
