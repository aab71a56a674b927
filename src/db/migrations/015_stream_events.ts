import type { Kysely } from 'kysely';

/**
 * The stream's event log holds other events besides changes of an agent's entry
 * (`assignment.orphaned`): their type, null for the `presence` events logged before and since.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('presence_events').addColumn('type', 'varchar(60)').execute();
}
