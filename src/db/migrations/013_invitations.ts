import type { Kysely } from 'kysely';

/**
 * Invitations: an admin of a chatbot invites a person by name and e-mail with a role; the answer
 * is a single-use sign-in link that creates a new agent and its membership when first opened.
 * Only the SHA-256 of the link's token is stored, as for sign-in links and keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    // The key that invited (null: the admin CLI); kept when the key is revoked, as the audit log keeps it.
    .addColumn('created_by', 'varchar(40)')
    .addColumn('used_at', 'bigint')
    // The agent the invitation created; null again when that agent is deleted.
    .addColumn('agent_id', 'varchar(40)', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('invitations_chatbot').on('invitations').columns(['chatbot_id', 'created_at', 'id']).execute();
}
