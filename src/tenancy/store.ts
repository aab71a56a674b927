import type { Kysely } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import type { Insertable } from 'kysely';
import type { AgentTable, ChatbotTable, Database, MemberRole, MembershipTable } from '../db/schema.js';

/** SQL for chatbots, agents and memberships. Every write tells the change tracker. */
export function tenancyStore(db: Kysely<Database>, changes: ChangeTracker) {
  const changed = <T>(result: T): T => {
    changes.tenancyChanged();
    return result;
  };
  return {
    insertChatbot: async (row: Insertable<ChatbotTable>) => changed(await db.insertInto('chatbots').values(row).execute()),

    findChatbot: (id: string) => db.selectFrom('chatbots').selectAll().where('id', '=', id).executeTakeFirst(),

    listChatbots: () => db.selectFrom('chatbots').selectAll().orderBy('created_at').orderBy('id').execute(),

    findAgent: (id: string) => db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Inserts an agent and, in the same transaction, its first membership. */
    insertAgentWithMembership: async (agent: AgentTable, membership: MembershipTable) =>
      changed(
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('agents').values(agent).execute();
          await trx.insertInto('memberships').values(membership).execute();
        }),
      ),

    /** Adds a membership or changes the role of an existing one. */
    upsertMembership: async (membership: MembershipTable) =>
      changed(
        await db
          .insertInto('memberships')
          .values(membership)
          .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ role: membership.role }))
          .execute(),
      ),

    /** Removes a membership; the agent's presence and settings in that chatbot go with it. */
    deleteMembership: async (chatbotId: string, agentId: string) => {
      const result = await db
        .deleteFrom('memberships')
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      changes.tenancyChanged();
      return Number(result.numDeletedRows) > 0;
    },

    findRole: async (chatbotId: string, agentId: string): Promise<MemberRole | undefined> => {
      const row = await db
        .selectFrom('memberships')
        .select('role')
        .where('chatbot_id', '=', chatbotId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      return row?.role;
    },

    listAgents: (chatbotId?: string) => {
      let query = db
        .selectFrom('agents')
        .leftJoin('memberships', 'memberships.agent_id', 'agents.id')
        .select(['agents.id', 'agents.name', 'agents.email', 'agents.created_at', 'memberships.chatbot_id', 'memberships.role']);
      if (chatbotId) query = query.where('memberships.chatbot_id', '=', chatbotId);
      return query.orderBy('agents.created_at').orderBy('agents.id').orderBy('memberships.chatbot_id').execute();
    },
  };
}

export type TenancyStore = ReturnType<typeof tenancyStore>;
