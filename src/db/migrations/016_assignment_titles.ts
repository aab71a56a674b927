import { sql, type Kysely } from 'kysely';

/**
 * What an integration says of a chat when it assigns it (a title and a preview, told with the
 * assigned events, listed, and shown in the agent's "New chat" push), and when that push was
 * queued (null until it is: a sweep queues any a crash left untold, once, by its idempotency key).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('title', 'varchar(200)').execute();
  await db.schema.alterTable('assignments').addColumn('preview', 'varchar(500)').execute();
  await db.schema.alterTable('assignments').addColumn('told_at', 'bigint').execute();
  // Chats assigned before agents were told of them are not news now: no push for them.
  await db.updateTable('assignments').set({ told_at: sql`assigned_at` }).execute();
}
