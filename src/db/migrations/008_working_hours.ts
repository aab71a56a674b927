import type { Kysely } from 'kysely';

/**
 * Working hours: a weekly schedule in an IANA time zone per member of a chatbot, and a default
 * per chatbot (JSON, see availability/working-hours.ts); and when the agent's online flag last
 * turned on, which (outside working hours) is an explicit override, where a heartbeat is not.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('working_hours', 'text').execute();
  await db.schema.alterTable('chatbots').addColumn('working_hours', 'text').execute();
  await db.schema.alterTable('presence').addColumn('online_changed_at', 'bigint').execute();
}
