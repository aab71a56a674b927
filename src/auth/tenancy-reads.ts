import type { Selectable } from 'kysely';
import type { AgentTable, ChatbotTable, MemberRole } from '../db/schema.js';

/**
 * What keys and access checks read of chatbots, agents and memberships. The tenancy store
 * provides it; auth depends on this description rather than on tenancy, which itself uses
 * auth's permissions and escalation rules.
 */
export interface TenancyReads {
  findChatbot(id: string): Promise<Selectable<ChatbotTable> | undefined>;
  findAgent(id: string): Promise<Selectable<AgentTable> | undefined>;
  findRole(chatbotId: string, agentId: string): Promise<MemberRole | undefined>;
  membershipsOf(agentId: string): Promise<Array<{ chatbot_id: string; role: MemberRole }>>;
}
