import { sql, type Kysely } from 'kysely';

/**
 * The index that finds an agent's open history interval (to close it when the next change is
 * announced) holds only open intervals: one row per agent and chatbot, rather than every
 * interval of 400 days, so the writes of a burst of changes touch a small index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('presence_history_open').execute();
  await db.schema.createIndex('presence_history_open').on('presence_history').columns(['chatbot_id', 'agent_id']).where(sql.ref('to_at'), 'is', null).execute();
}
