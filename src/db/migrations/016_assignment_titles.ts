import type { Kysely } from 'kysely';

/** What an integration says of a chat when it assigns it: a title and a preview, told with the assigned events and listed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('title', 'varchar(200)').execute();
  await db.schema.alterTable('assignments').addColumn('preview', 'varchar(500)').execute();
}
