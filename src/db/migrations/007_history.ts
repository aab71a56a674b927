import type { Kysely } from 'kysely';

/**
 * Availability history: every change of an agent's state, reason or status text as an interval,
 * append-only, written in the transaction that announces the change; who set a supervisor's
 * override of the online flag; and capacity, which an integration reports apart from the
 * agent's own presence (a row of its own, so a report never looks like a sign of life).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('presence_history')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(32)', (c) => c.notNull())
    .addColumn('status_text', 'varchar(400)')
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    // Null while the interval is the agent's current one.
    .addColumn('to_at', 'bigint')
    .addColumn('set_by', 'varchar(40)')
    .execute();
  await db.schema.createIndex('presence_history_agent').on('presence_history').columns(['chatbot_id', 'agent_id', 'from_at', 'id']).execute();
  await db.schema.createIndex('presence_history_chatbot').on('presence_history').columns(['chatbot_id', 'from_at']).execute();
  await db.schema.createIndex('presence_history_open').on('presence_history').columns(['chatbot_id', 'agent_id', 'to_at']).execute();
  await db.schema.alterTable('presence').addColumn('online_set_by', 'varchar(40)').execute();

  await db.schema
    .createTable('agent_capacity')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('active_chats', 'integer')
    .addColumn('max_chats', 'integer')
    // The clientTimestamp of the report that stands: an older report changes nothing.
    .addColumn('client_ts', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_capacity_pk', ['chatbot_id', 'agent_id'])
    .addForeignKeyConstraint('agent_capacity_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
}
