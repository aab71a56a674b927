import type { Kysely } from 'kysely';

/**
 * Skills (assignments/skills.ts): a member's skills in a chatbot (JSON list of short names), and
 * the skills a chat requires, kept with it while it waits, while it is assigned (a transfer or a
 * reassignment asks them again) and once it ended. Existing rows have none, and require none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['memberships', 'waiting_chats', 'assignments', 'ended_chats']) {
    const column = table === 'memberships' ? 'skills' : 'required_skills';
    await db.schema
      .alterTable(table)
      .addColumn(column, 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  }
}
