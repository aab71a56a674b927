import type { Kysely } from 'kysely';

/**
 * Assignments: which member has which of an integration's conversations. One open assignment
 * per conversation of a chatbot; released ones are deleted (the audit log keeps them). A
 * member's last assignment time orders round robin and breaks ties. A chatbot says how long an
 * agent may be gone before its chats are announced orphaned, and whether they are reassigned. Removing a member removes
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
    // When its agent's absence was announced (assignment.orphaned), once across instances; null again when the agent is back.
    .addColumn('orphaned_at', 'bigint')
    .addPrimaryKeyConstraint('assignments_pk', ['chatbot_id', 'conversation_id'])
    .addForeignKeyConstraint('assignments_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('assignments_agent').on('assignments').columns(['chatbot_id', 'agent_id']).execute();
  await db.schema.createIndex('assignments_order').on('assignments').columns(['chatbot_id', 'assigned_at', 'conversation_id']).execute();
  await db.schema.alterTable('memberships').addColumn('last_assigned_at', 'bigint').execute();
  // How long an agent with open assignments may be offline, away or do-not-disturb before they are announced orphaned (null: never), and whether they are then reassigned.
  await db.schema
    .alterTable('chatbots')
    .addColumn('reassign_after_seconds', 'integer', (c) => c.defaultTo(120))
    .execute();
  await db.schema
    .alterTable('chatbots')
    .addColumn('auto_reassign', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
