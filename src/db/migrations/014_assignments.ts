import type { Kysely } from 'kysely';

/**
 * Assignments: which member has which of an integration's conversations. One open assignment
 * per conversation of a chatbot; released ones are deleted (the audit log keeps them). A
 * member's last assignment time orders round robin and breaks ties. Removing a member removes
 * its assignments (the foreign key), so every open assignment belongs to a member.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assignments')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('conversation_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('strategy', 'varchar(20)', (c) => c.notNull())
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    // The key that assigned (null: the service itself, or the CLI).
    .addColumn('assigned_by', 'varchar(40)')
    // The first answer's explanation (JSON): every member considered and why.
    .addColumn('considered', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assignments_pk', ['chatbot_id', 'conversation_id'])
    .addForeignKeyConstraint('assignments_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('assignments_agent').on('assignments').columns(['chatbot_id', 'agent_id']).execute();
  await db.schema.createIndex('assignments_order').on('assignments').columns(['chatbot_id', 'assigned_at', 'conversation_id']).execute();
  await db.schema.alterTable('memberships').addColumn('last_assigned_at', 'bigint').execute();
}
