import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { MemberRole } from '../db/schema.js';
import type { TenancyStore } from './store.js';

export const ROLES: readonly MemberRole[] = ['agent', 'admin'];

export interface Chatbot {
  id: string;
  name: string;
  createdAt: string;
}

export interface Agent {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
  memberships: Array<{ chatbotId: string; role: MemberRole }>;
}

function requireName(value: string | undefined, what: string): string {
  const name = value?.trim() ?? '';
  if (name.length < 1 || name.length > 200) throw new AppError('invalid_request', `${what} name must be 1 to 200 characters`);
  return name;
}

function requireEmail(value: string | undefined): string | null {
  if (value === undefined) return null;
  const email = value.trim();
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('invalid_request', `email "${value}" is not an e-mail address`);
  }
  return email;
}

function requireRole(value: string | undefined): MemberRole {
  const role = value ?? 'agent';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('invalid_request', `role must be one of ${ROLES.join(', ')}, got "${role}"`);
  }
  return role as MemberRole;
}

/** Chatbots, agents and who belongs where: the operations the admin CLI offers. */
export function tenancyService(
  store: TenancyStore,
  now: () => number,
  membershipChanged: (chatbotId: string, agentId: string) => Promise<void> = async () => {},
) {
  async function requireChatbot(id: string) {
    const chatbot = await store.findChatbot(id);
    if (!chatbot) throw new AppError('not_found', `chatbot ${id} does not exist`);
    return chatbot;
  }

  async function requireAgent(id: string) {
    const agent = await store.findAgent(id);
    if (!agent) throw new AppError('not_found', `agent ${id} does not exist`);
    return agent;
  }

  return {
    requireChatbot,
    requireAgent,

    /** Creates a chatbot. */
    async createChatbot(input: { name?: string }): Promise<Chatbot> {
      const row = { id: newId('cb'), name: requireName(input.name, 'chatbot'), created_at: now() };
      await store.insertChatbot(row);
      return { id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString() };
    },

    /** All chatbots, oldest first. */
    async listChatbots(): Promise<Chatbot[]> {
      const rows = await store.listChatbots();
      return rows.map((row) => ({ id: row.id, name: row.name, createdAt: new Date(Number(row.created_at)).toISOString() }));
    },

    /** Creates an agent as a member of one chatbot (role `agent` unless told otherwise). */
    async createAgent(input: { chatbotId: string; name?: string; email?: string; role?: string }) {
      const name = requireName(input.name, 'agent');
      const email = requireEmail(input.email);
      const role = requireRole(input.role);
      await requireChatbot(input.chatbotId);
      const createdAt = now();
      const agent = { id: newId('ag'), name, email, created_at: createdAt };
      await store.insertAgentWithMembership(agent, { chatbot_id: input.chatbotId, agent_id: agent.id, role, created_at: createdAt });
      await membershipChanged(input.chatbotId, agent.id);
      return { id: agent.id, name, email, chatbotId: input.chatbotId, role };
    },

    /** Makes an existing agent a member of a chatbot, or changes its role there. */
    async addMember(input: { agentId: string; chatbotId: string; role?: string }) {
      const role = requireRole(input.role);
      await requireAgent(input.agentId);
      await requireChatbot(input.chatbotId);
      await store.upsertMembership({ chatbot_id: input.chatbotId, agent_id: input.agentId, role, created_at: now() });
      await membershipChanged(input.chatbotId, input.agentId);
      return { agentId: input.agentId, chatbotId: input.chatbotId, role };
    },

    /** Ends a membership; the agent's keys stop working on that chatbot at once. */
    async removeMember(input: { agentId: string; chatbotId: string }) {
      const removed = await store.deleteMembership(input.chatbotId, input.agentId);
      if (!removed) throw new AppError('not_found', `agent ${input.agentId} is not a member of chatbot ${input.chatbotId}`);
      await membershipChanged(input.chatbotId, input.agentId);
      return { agentId: input.agentId, chatbotId: input.chatbotId, removed: true };
    },

    /** Agents with their memberships, optionally only those of one chatbot. */
    async listAgents(chatbotId?: string): Promise<Agent[]> {
      if (chatbotId) await requireChatbot(chatbotId);
      const rows = await store.listAgents(chatbotId);
      const agents = new Map<string, Agent>();
      for (const row of rows) {
        let agent = agents.get(row.id);
        if (!agent) {
          agent = { id: row.id, name: row.name, email: row.email, createdAt: new Date(Number(row.created_at)).toISOString(), memberships: [] };
          agents.set(row.id, agent);
        }
        if (row.chatbot_id && row.role) agent.memberships.push({ chatbotId: row.chatbot_id, role: row.role });
      }
      return [...agents.values()];
    },
  };
}

export type TenancyService = ReturnType<typeof tenancyService>;
