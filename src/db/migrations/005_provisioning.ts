import type { Kysely } from 'kysely';

/**
 * Provisioning over HTTP: agents known by the embedding product's own id, keys that rotate and
 * say when they were last used, operator keys (a kind, no new column), the audit log, and the
 * indexes cursor paging reads in order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('external_id', 'varchar(200)').execute();
  // Unique per install; several agents may have none (NULLs are distinct in both dialects).
  await db.schema.createIndex('agents_external_id').unique().on('agents').column('external_id').execute();
  await db.schema.createIndex('agents_email').on('agents').column('email').execute();
  await db.schema.createIndex('agents_page').on('agents').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('chatbots_page').on('chatbots').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('memberships_page').on('memberships').columns(['chatbot_id', 'created_at', 'agent_id']).execute();

  // Rotation: the previous secret stays valid until previous_valid_until, then is refused.
  await db.schema.alterTable('api_keys').addColumn('previous_secret_hash', 'varchar(64)').execute();
  await db.schema.alterTable('api_keys').addColumn('previous_valid_until', 'bigint').execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'bigint').execute();
  await db.schema.createIndex('api_keys_previous_secret').unique().on('api_keys').column('previous_secret_hash').execute();
  await db.schema.createIndex('api_keys_chatbot_page').on('api_keys').columns(['chatbot_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('api_keys_agent').on('api_keys').columns(['agent_id']).execute();
  await db.schema.createIndex('api_keys_page').on('api_keys').columns(['kind', 'created_at', 'id']).execute();

  // Append-only. No foreign keys: an entry outlives the chatbot, agent or key it is about.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_key_id', 'varchar(40)')
    .addColumn('actor_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('action', 'varchar(40)', (c) => c.notNull())
    .addColumn('chatbot_id', 'varchar(40)')
    .addColumn('agent_id', 'varchar(40)')
    .addColumn('key_id', 'varchar(40)')
    .addColumn('request_id', 'varchar(60)')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_page').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_chatbot').on('audit_log').columns(['chatbot_id', 'at', 'id']).execute();
}
