import type { Kysely } from 'kysely';

/** Tenancy, keys, presence and notification settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chatbots')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agents')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['chatbot_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('memberships_agent_idx').on('memberships').column('agent_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.references('agents.id').onDelete('cascade'))
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.references('chatbots.id').onDelete('cascade'))
    .addColumn('grants', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('secret_hint', 'varchar(8)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('presence')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('client_ts', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('presence_pk', ['chatbot_id', 'agent_id'])
    .addForeignKeyConstraint('presence_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('push_token', 'varchar(4096)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_settings_pk', ['chatbot_id', 'agent_id'])
    .addForeignKeyConstraint('notification_settings_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
}
