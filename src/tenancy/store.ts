import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import type { AgentTable, ChatbotTable, Database, MemberRole, MembershipTable } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';

export type ChatbotRow = Selectable<ChatbotTable>;
export type AgentRow = Selectable<AgentTable>;
export type MemberRow = {
  agent_id: string;
  role: MemberRole;
  created_at: number | string;
  name: string;
  email: string | null;
  external_id: string | null;
  /** JSON list (assignments/skills.ts). */
  skills?: string;
};

/**
 * SQL for chatbots, agents and memberships. Every write tells the change tracker (the service
 * tells it again once a transaction commits, so no cache keeps what another connection read
 * meanwhile). `x` is a transaction when a change spans several statements.
 */
export function tenancyStore(db: Kysely<Database>, changes: ChangeTracker, dialect: 'sqlite' | 'postgres') {
  const changed = <T>(result: T): T => {
    changes.tenancyChanged();
    return result;
  };
  const members = (chatbotId: string) =>
    db
      .selectFrom('memberships as m')
      .innerJoin('agents as a', 'a.id', 'm.agent_id')
      .select(['m.agent_id', 'm.role', 'm.created_at', 'a.name', 'a.email', 'a.external_id', 'm.skills'])
      .where('m.chatbot_id', '=', chatbotId);
  return {
    insertChatbot: async (row: Insertable<ChatbotTable>, x: Kysely<Database> = db) => changed(await x.insertInto('chatbots').values(row).execute()),

    findChatbot: (id: string, x: Kysely<Database> = db) => x.selectFrom('chatbots').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Locks the chatbot's row until the transaction ends (PostgreSQL; SQLite transactions are serial): membership changes of one chatbot, one at a time. */
    lockChatbot: async (id: string, x: Kysely<Database>) => {
      const query = x.selectFrom('chatbots').select('id').where('id', '=', id);
      return (await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst()) !== undefined;
    },

    updateChatbot: async (
      id: string,
      changes: {
        name?: string;
        idle_after_seconds?: number;
        working_hours?: string | null;
        reassign_after_seconds?: number | null;
        auto_reassign?: number;
        offer_timeout_seconds?: number | null;
        away_after_missed_offers?: number | null;
      },
      x: Kysely<Database> = db,
    ) => changed(Number((await x.updateTable('chatbots').set(changes).where('id', '=', id).executeTakeFirst()).numUpdatedRows) > 0),

    /**
     * Deletes a chatbot and everything of it: memberships (and with them presence, settings,
     * devices, stream liveness), its chatbot keys, notifications and deliveries (foreign keys
     * cascade), and what has no foreign key: announced state, the event log, stream tickets.
     */
    deleteChatbot: async (id: string, x: Kysely<Database>) => {
      await x.deleteFrom('presence_announced').where('chatbot_id', '=', id).execute();
      await x.deleteFrom('presence_events').where('chatbot_id', '=', id).execute();
      await x.deleteFrom('presence_history').where('chatbot_id', '=', id).execute();
      await x.deleteFrom('stream_tickets').where('chatbot_id', '=', id).execute();
      await x.deleteFrom('stream_holders').where('chatbot_id', '=', id).execute();
      const result = await x.deleteFrom('chatbots').where('id', '=', id).executeTakeFirst();
      return changed(Number(result.numDeletedRows) > 0);
    },

    listChatbots: (page: Page) => afterCursor(db.selectFrom('chatbots').selectAll(), page, 'created_at', 'id').execute(),

    /** Every chatbot, oldest first (the CLI's listing). */
    allChatbots: () => db.selectFrom('chatbots').selectAll().orderBy('created_at').orderBy('id').execute(),

    findAgent: (id: string, x: Kysely<Database> = db) => x.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst(),

    findAgentByExternalId: (externalId: string, x: Kysely<Database> = db) => x.selectFrom('agents').selectAll().where('external_id', '=', externalId).executeTakeFirst(),

    insertAgent: async (agent: AgentTable, x: Kysely<Database> = db) => changed(await x.insertInto('agents').values(agent).execute()),

    updateAgent: async (id: string, fields: Partial<Pick<AgentTable, 'name' | 'email' | 'external_id'>>, x: Kysely<Database> = db) =>
      changed(Number((await x.updateTable('agents').set(fields).where('id', '=', id).executeTakeFirst()).numUpdatedRows) > 0),

    /** Deletes an agent: its memberships (and their presence, settings, devices) and its keys go with it. */
    /** Deletes an agent; its availability history goes with it (it is about that person). */
    deleteAgent: async (id: string, x: Kysely<Database>) => {
      await x.deleteFrom('presence_history').where('agent_id', '=', id).execute();
      return changed(Number((await x.deleteFrom('agents').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0);
    },

    listAgents: (filter: { email?: string; externalId?: string }, page: Page) => {
      let query = db.selectFrom('agents').selectAll();
      if (filter.email !== undefined) query = query.where('email', '=', filter.email);
      if (filter.externalId !== undefined) query = query.where('external_id', '=', filter.externalId);
      return afterCursor(query, page, 'created_at', 'id').execute();
    },

    /** Every agent with its memberships (the CLI's listing), optionally only one chatbot's. */
    allAgentsWithMemberships: (chatbotId?: string) => {
      let query = db
        .selectFrom('agents')
        .leftJoin('memberships', 'memberships.agent_id', 'agents.id')
        .select(['agents.id', 'agents.name', 'agents.email', 'agents.external_id', 'agents.created_at', 'memberships.chatbot_id', 'memberships.role']);
      if (chatbotId) query = query.where('memberships.chatbot_id', '=', chatbotId);
      return query.orderBy('agents.created_at').orderBy('agents.id').orderBy('memberships.chatbot_id').execute();
    },

    /** The chatbots an agent belongs to, with its role in each. */
    membershipsOf: (agentId: string, x: Kysely<Database> = db) =>
      x.selectFrom('memberships').select(['chatbot_id', 'role', 'created_at', 'skills']).where('agent_id', '=', agentId).orderBy('chatbot_id').execute(),

    /** The chatbots an agent belongs to, with their names and its role, ordered by name. */
    chatbotsOf: (agentId: string) =>
      db
        .selectFrom('memberships as m')
        .innerJoin('chatbots as c', 'c.id', 'm.chatbot_id')
        .select(['c.id as chatbot_id', 'c.name as name', 'm.role as role'])
        .where('m.agent_id', '=', agentId)
        .orderBy('c.name')
        .orderBy('c.id')
        .execute(),

    /** Adds a membership or changes the role of an existing one. */
    upsertMembership: async (membership: MembershipTable, x: Kysely<Database> = db) =>
      changed(
        await x
          .insertInto('memberships')
          .values(membership)
          .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet({ role: membership.role }))
          .execute(),
      ),

    /** Removes a membership; the agent's presence and settings in that chatbot go with it. */
    deleteMembership: async (chatbotId: string, agentId: string, x: Kysely<Database> = db) => {
      const result = await x.deleteFrom('memberships').where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId).executeTakeFirst();
      changes.tenancyChanged();
      return Number(result.numDeletedRows) > 0;
    },

    findRole: async (chatbotId: string, agentId: string, x: Kysely<Database> = db): Promise<MemberRole | undefined> => {
      const row = await x.selectFrom('memberships').select('role').where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId).executeTakeFirst();
      return row?.role;
    },

    /** The admins of a chatbot. */
    admins: async (chatbotId: string, x: Kysely<Database> = db): Promise<string[]> =>
      (await x.selectFrom('memberships').select('agent_id').where('chatbot_id', '=', chatbotId).where('role', '=', 'admin').execute()).map((row) => row.agent_id),

    /** One member of a chatbot with its agent. */
    findMember: (chatbotId: string, agentId: string) => members(chatbotId).where('m.agent_id', '=', agentId).executeTakeFirst(),

    /** A chatbot's members with their agents, in the order they joined, a page at a time. */
    listMembers: (chatbotId: string, page: Page) => afterCursor(members(chatbotId), page, 'm.created_at', 'm.agent_id').execute(),
  };
}

export type TenancyStore = ReturnType<typeof tenancyStore>;
