import type { Kysely } from 'kysely';

/**
 * Steps that relax a waiting chat's required skills as it waits (assignments/skills.ts): the
 * steps as asked (JSON), and when the next one is due (null: none left), which the sweep that
 * runs every second looks up.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('waiting_chats')
    .addColumn('skill_steps', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('waiting_chats').addColumn('next_step_at', 'bigint').execute();
  await db.schema.createIndex('waiting_chats_next_step').on('waiting_chats').columns(['next_step_at']).execute();
}
