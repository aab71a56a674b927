import type { Kysely } from 'kysely';

/**
 * Sign-in links: an admin makes a single-use link for an agent, opening it in a browser gives
 * that browser a key of its own. Only the SHA-256 of a link's token is stored. Keys made by a
 * link end when unused for a while (`expires_unused_ms`, counted from their last use).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_links')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('login_links_expiry').on('login_links').columns(['expires_at']).execute();
  await db.schema.alterTable('api_keys').addColumn('expires_unused_ms', 'bigint').execute();
}
