import type { Kysely } from 'kysely';

/**
 * Availability: the inputs the availability rule reads beside the seed's online flag (a chosen
 * status with its own clock, reported activity), each chatbot's idle time, and what was last
 * announced of the derived state and since when.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const presence = [
    ['status', 'varchar(16)'],
    ['status_text', 'varchar(400)'],
    ['status_until', 'bigint'],
    ['status_ts', 'bigint'],
    ['status_set_at', 'bigint'],
    ['status_set_by', 'varchar(40)'],
    ['last_active_at', 'bigint'],
  ] as const;
  for (const [name, type] of presence) await db.schema.alterTable('presence').addColumn(name, type).execute();
  await db.schema.alterTable('presence_announced').addColumn('visible', 'varchar(500)').execute();
  await db.schema.alterTable('presence_announced').addColumn('since', 'bigint').execute();
  await db.schema
    .alterTable('chatbots')
    .addColumn('idle_after_seconds', 'integer', (c) => c.notNull().defaultTo(600))
    .execute();
}
