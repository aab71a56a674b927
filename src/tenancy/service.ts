import { storedSkills } from '../assignments/skills.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { AuditActor } from '../audit/actor.js';
import type { AuditService } from '../audit/service.js';
import { lastAdminRefusal, membershipChangeRefusal, type Holdings } from '../auth/escalation.js';
import { grantsCover } from '../auth/permissions.js';
import type { Principal } from '../auth/service.js';
import type { ChangeTracker } from '../db/changes.js';
import type { Database, MemberRole } from '../db/schema.js';
import { requireWorkingHours, type WorkingHours } from '../availability/working-hours.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { newId } from '../ids.js';
import { AWAY_AFTER_MISSED_RULE, EXTERNAL_ID_RULE, OFFER_TIMEOUT_RULE, type Agent, type Chatbot, type Member } from './schemas.js';
import { tenancyStore, type AgentRow, type ChatbotRow, type MemberRow, type TenancyStore } from './store.js';

export const ROLES: readonly MemberRole[] = ['agent', 'admin'];

export type { Agent, Chatbot, Member } from './schemas.js';

export function requireName(value: string | undefined, what: string): string {
  const name = value?.trim() ?? '';
  if (name.length < 1 || name.length > 200) throw new AppError('invalid_request', `${what} name must be 1 to 200 characters`);
  return name;
}

/** The idle time an agent's chatbot gives it unless set otherwise. */
export const DEFAULT_IDLE_AFTER_SECONDS = 600;

function requireIdleAfter(value: number): number {
  if (!Number.isInteger(value) || value < 30 || value > 86_400) throw new AppError('invalid_request', 'idleAfterSeconds must be a whole number of seconds from 30 to 86400');
  return value;
}

export function requireEmail(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const email = value.trim();
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('invalid_request', `email "${value}" is not an e-mail address`);
  }
  return email;
}

function requireExternalId(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (!/^[\x21-\x7E]{1,200}$/.test(value)) throw new AppError('invalid_request', EXTERNAL_ID_RULE);
  return value;
}

export function requireRole(value: string | undefined): MemberRole {
  const role = value ?? 'agent';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('invalid_request', `role must be one of ${ROLES.join(', ')}, got "${role}"`);
  }
  return role as MemberRole;
}

const toChatbot = (row: ChatbotRow): Chatbot => ({
  id: row.id,
  name: row.name,
  idleAfterSeconds: Number(row.idle_after_seconds),
  workingHours: row.working_hours ? (JSON.parse(row.working_hours) as WorkingHours) : null,
  reassignAfterSeconds: row.reassign_after_seconds === undefined ? 120 : row.reassign_after_seconds === null ? null : Number(row.reassign_after_seconds),
  autoReassign: Number(row.auto_reassign ?? 0) === 1,
  offerTimeoutSeconds: row.offer_timeout_seconds === null || row.offer_timeout_seconds === undefined ? null : Number(row.offer_timeout_seconds),
  awayAfterMissedOffers: row.away_after_missed_offers === undefined ? 1 : row.away_after_missed_offers === null ? null : Number(row.away_after_missed_offers),
  createdAt: isoTime(row.created_at)!,
});
const toAgent = (row: AgentRow, memberships: Agent['memberships'] = []): Agent => ({
  id: row.id,
  name: row.name,
  email: row.email,
  externalId: row.external_id,
  createdAt: isoTime(row.created_at)!,
  memberships,
});

const toMember = (row: MemberRow): Member => ({
  agentId: row.agent_id,
  name: row.name,
  email: row.email,
  externalId: row.external_id,
  role: row.role,
  addedAt: isoTime(row.created_at)!,
  skills: storedSkills(row.skills),
});

const isUniqueViolation = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message ?? '');
};

export interface TenancyHooks {
  /** A membership was added, changed or removed (after commit): presence announces it. */
  membershipChanged(chatbotId: string, agentId: string): Promise<void>;
  /** A chatbot's availability settings changed (after commit): every member is judged again. */
  chatbotSettingsChanged(chatbotId: string): Promise<void>;
  /** A chatbot was deleted (after commit): its streams end, here and on the other instances. */
  chatbotDeleted(chatbotId: string): Promise<void>;
  /** What a key holds where (see auth/escalation.ts). */
  holdings(principal: Principal, chatbotIds: readonly string[]): Promise<Holdings>;
}

/**
 * Chatbots, agents and who belongs where: what the admin CLI and the provisioning API do, each
 * change checked against the escalation rules (for keys), made in one transaction with its
 * audit entry, and announced once committed.
 */
export function tenancyService(
  db: Kysely<Database>,
  store: TenancyStore,
  changes: ChangeTracker,
  dialect: 'sqlite' | 'postgres',
  audit: AuditService,
  now: () => number,
  hooks: TenancyHooks,
) {
  /** Runs `work` in one transaction with a store bound to it; caches hear of it once it committed. */
  async function inTransaction<T>(work: (x: Kysely<Database>, store: TenancyStore) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute((trx) => work(trx, tenancyStore(trx, changes, dialect)));
    changes.tenancyChanged();
    return result;
  }

  async function requireChatbot(id: string, x: Kysely<Database> = db) {
    const chatbot = await store.findChatbot(id, x);
    if (!chatbot) throw new AppError('not_found', `chatbot ${id} does not exist`);
    return chatbot;
  }

  async function requireAgent(id: string, x: Kysely<Database> = db) {
    const agent = await store.findAgent(id, x);
    if (!agent) throw new AppError('not_found', `agent ${id} does not exist`);
    return agent;
  }

  /**
   * What the acting key holds on the chatbot (null for the CLI), read before a transaction starts:
   * on SQLite a read outside the transaction would wait for it.
   */
  const holdingsOn = async (actor: Actor, chatbotId: string) => (actor.kind === 'cli' ? null : hooks.holdings(actor.principal, [chatbotId]));

  /** Refuses a membership change the key may not make (see membershipChangeRefusal). */
  function checkRole(holdings: Holdings | null, chatbotId: string, before: MemberRole | undefined, after: MemberRole | null) {
    const refusal = holdings && membershipChangeRefusal(holdings, chatbotId, before, after);
    if (refusal) throw new AppError('permission_denied', refusal);
  }

  /**
   * Whether a key may name this agent at all: an operator key any agent of the install; other
   * keys only agents that belong to a chatbot where they may list or edit the members (agent ids are
   * install-wide, so naming any other is a 404 like an unknown id).
   */
  async function agentInReach(actor: Actor, agentId: string): Promise<boolean> {
    if (actor.kind === 'cli' || actor.principal.kind === 'operator') return true;
    if (actor.principal.kind === 'agent' && actor.principal.agentId === agentId) return true;
    const memberships = await store.membershipsOf(agentId);
    const holdings = await hooks.holdings(
      actor.principal,
      memberships.map((m) => m.chatbot_id),
    );
    return memberships.some((m) => ['chatbots.members.list', 'chatbots.members.edit'].some((permission) => grantsCover(holdings.on(m.chatbot_id), [permission])));
  }

  /** Refuses to leave a chatbot without an admin. */
  async function checkLastAdmin(x: Kysely<Database>, txStore: TenancyStore, chatbotId: string, agentId: string, newRole: MemberRole | null) {
    const refusal = lastAdminRefusal(await txStore.admins(chatbotId, x), agentId, newRole);
    if (refusal) throw new AppError('last_admin', refusal);
  }

  async function createAgentRow(x: Kysely<Database>, txStore: TenancyStore, actor: Actor, input: { name?: string; email?: string | null; externalId?: string | null }) {
    const row = { id: newId('ag'), name: requireName(input.name, 'agent'), email: requireEmail(input.email), external_id: requireExternalId(input.externalId), created_at: now() };
    try {
      await txStore.insertAgent(row, x);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('external_id_taken', `another agent already has externalId "${row.external_id}"`);
      throw error;
    }
    await audit.record(x, actor, 'agent.created', { agentId: row.id, detail: { name: row.name, email: row.email, externalId: row.external_id } });
    return row;
  }

  return {
    requireChatbot,
    requireAgent,

    /** Creates a chatbot. */
    async createChatbot(actor: Actor, input: { name?: string; idleAfterSeconds?: number }): Promise<Chatbot> {
      const row = {
        id: newId('cb'),
        name: requireName(input.name, 'chatbot'),
        created_at: now(),
        idle_after_seconds: requireIdleAfter(input.idleAfterSeconds ?? DEFAULT_IDLE_AFTER_SECONDS),
      };
      await inTransaction(async (x, txStore) => {
        await txStore.insertChatbot(row, x);
        await audit.record(x, actor, 'chatbot.created', { chatbotId: row.id, detail: { name: row.name } });
      });
      return toChatbot({
        ...row,
        presence_version: 0,
        working_hours: null,
        reassign_after_seconds: 120,
        auto_reassign: 0,
        offer_timeout_seconds: null,
        away_after_missed_offers: 1,
      });
    },

    async getChatbot(id: string): Promise<Chatbot> {
      return toChatbot(await requireChatbot(id));
    },

    /** Renames a chatbot or changes its settings; each change is audited, and an unchanged field is no change. */
    async updateChatbot(
      actor: Actor,
      id: string,
      input: {
        name?: string;
        idleAfterSeconds?: number;
        workingHours?: WorkingHours | null;
        reassignAfterSeconds?: number | null;
        autoReassign?: boolean;
        offerTimeoutSeconds?: number | null;
        awayAfterMissedOffers?: number | null;
      },
    ): Promise<Chatbot> {
      const name = input.name === undefined ? undefined : requireName(input.name, 'chatbot');
      const idleAfter = input.idleAfterSeconds === undefined ? undefined : requireIdleAfter(input.idleAfterSeconds);
      const hours = input.workingHours === undefined ? undefined : requireWorkingHours(input.workingHours);
      let settingsChanged = false;
      const row = await inTransaction(async (x, txStore) => {
        const chatbot = await requireChatbot(id, x);
        const updated = { ...chatbot };
        if (name !== undefined && chatbot.name !== name) {
          await txStore.updateChatbot(id, { name }, x);
          await audit.record(x, actor, 'chatbot.renamed', { chatbotId: id, detail: { from: chatbot.name, to: name } });
          updated.name = name;
        }
        if (idleAfter !== undefined && Number(chatbot.idle_after_seconds) !== idleAfter) {
          await txStore.updateChatbot(id, { idle_after_seconds: idleAfter }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', { chatbotId: id, detail: { idleAfterSeconds: { from: Number(chatbot.idle_after_seconds), to: idleAfter } } });
          updated.idle_after_seconds = idleAfter;
          settingsChanged = true;
        }
        const reassignAfter = input.reassignAfterSeconds;
        if (reassignAfter !== undefined && (chatbot.reassign_after_seconds ?? null) !== reassignAfter) {
          if (reassignAfter !== null && (!Number.isInteger(reassignAfter) || reassignAfter < 10 || reassignAfter > 86_400)) {
            throw new AppError('invalid_request', 'reassignAfterSeconds must be a whole number of seconds from 10 to 86400, or null (never)');
          }
          await txStore.updateChatbot(id, { reassign_after_seconds: reassignAfter }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', {
            chatbotId: id,
            detail: { reassignAfterSeconds: { from: chatbot.reassign_after_seconds ?? null, to: reassignAfter } },
          });
          updated.reassign_after_seconds = reassignAfter;
        }
        if (input.autoReassign !== undefined && Number(chatbot.auto_reassign ?? 0) !== (input.autoReassign ? 1 : 0)) {
          await txStore.updateChatbot(id, { auto_reassign: input.autoReassign ? 1 : 0 }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', { chatbotId: id, detail: { autoReassign: input.autoReassign } });
          updated.auto_reassign = input.autoReassign ? 1 : 0;
        }
        const offerTimeout = input.offerTimeoutSeconds;
        if (offerTimeout !== undefined && (chatbot.offer_timeout_seconds ?? null) !== offerTimeout) {
          if (offerTimeout !== null && (!Number.isInteger(offerTimeout) || offerTimeout < 5 || offerTimeout > 600)) throw new AppError('invalid_request', OFFER_TIMEOUT_RULE);
          await txStore.updateChatbot(id, { offer_timeout_seconds: offerTimeout }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', {
            chatbotId: id,
            detail: { offerTimeoutSeconds: { from: chatbot.offer_timeout_seconds ?? null, to: offerTimeout } },
          });
          updated.offer_timeout_seconds = offerTimeout;
        }
        const awayAfter = input.awayAfterMissedOffers;
        if (awayAfter !== undefined && (chatbot.away_after_missed_offers === undefined ? 1 : chatbot.away_after_missed_offers) !== awayAfter) {
          if (awayAfter !== null && (!Number.isInteger(awayAfter) || awayAfter < 1 || awayAfter > 100)) throw new AppError('invalid_request', AWAY_AFTER_MISSED_RULE);
          await txStore.updateChatbot(id, { away_after_missed_offers: awayAfter }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', {
            chatbotId: id,
            detail: { awayAfterMissedOffers: { from: chatbot.away_after_missed_offers ?? null, to: awayAfter } },
          });
          updated.away_after_missed_offers = awayAfter;
        }
        if (hours !== undefined && (chatbot.working_hours ?? null) !== hours) {
          await txStore.updateChatbot(id, { working_hours: hours }, x);
          await audit.record(x, actor, 'chatbot.settings_changed', { chatbotId: id, detail: { workingHours: hours === null ? null : JSON.parse(hours) } });
          updated.working_hours = hours;
          settingsChanged = true;
        }
        return updated;
      });
      if (settingsChanged) await hooks.chatbotSettingsChanged(id);
      return toChatbot(row);
    },

    /** Deletes a chatbot and everything of it; its streams end. */
    async deleteChatbot(actor: Actor, id: string): Promise<void> {
      await inTransaction(async (x, txStore) => {
        const chatbot = await requireChatbot(id, x);
        await txStore.deleteChatbot(id, x);
        await audit.record(x, actor, 'chatbot.deleted', { chatbotId: id, detail: { name: chatbot.name } });
      });
      await hooks.chatbotDeleted(id);
    },

    async listChatbots(page: Page) {
      return pageAnswer(await store.listChatbots(page), page, (row) => ({ at: Number(row.created_at), id: row.id }), toChatbot);
    },

    /** Every chatbot, oldest first (the CLI). */
    async allChatbots(): Promise<Chatbot[]> {
      return (await store.allChatbots()).map(toChatbot);
    },

    /** Creates an agent in the directory, with no membership yet. */
    async createAgent(actor: Actor, input: { name?: string; email?: string | null; externalId?: string | null }): Promise<Agent> {
      return toAgent(await inTransaction((x, txStore) => createAgentRow(x, txStore, actor, input)));
    },

    /** Creates an agent as a member of one chatbot (the CLI's `agent create`). */
    async createMemberAgent(actor: Actor, input: { chatbotId: string; name?: string; email?: string; externalId?: string; role?: string }) {
      const role = requireRole(input.role);
      await requireChatbot(input.chatbotId);
      const agent = await inTransaction(async (x, txStore) => {
        const row = await createAgentRow(x, txStore, actor, input);
        await txStore.upsertMembership({ chatbot_id: input.chatbotId, agent_id: row.id, role, created_at: now() }, x);
        await audit.record(x, actor, 'member.added', { chatbotId: input.chatbotId, agentId: row.id, detail: { role } });
        return row;
      });
      await hooks.membershipChanged(input.chatbotId, agent.id);
      return { id: agent.id, name: agent.name, email: agent.email, externalId: agent.external_id, chatbotId: input.chatbotId, role };
    },

    /**
     * Creates a new agent and makes it a member of the chatbot, in the caller's transaction `x`:
     * what opening an invitation does (invitations/). Always a new agent, never one found by its
     * e-mail, so an invitation binds no existing person. Announced by the caller once committed
     * (membershipChanged).
     */
    async createInvitedMember(x: Kysely<Database>, actor: AuditActor, input: { chatbotId: string; name: string; email: string; role: MemberRole }): Promise<string> {
      const txStore = tenancyStore(x, changes, dialect);
      const row = { id: newId('ag'), name: requireName(input.name, 'agent'), email: requireEmail(input.email), external_id: null, created_at: now() };
      await txStore.insertAgent(row, x);
      await audit.record(x, actor, 'agent.created', {
        chatbotId: input.chatbotId,
        agentId: row.id,
        detail: { name: row.name, email: row.email, externalId: null, via: 'invitation' },
      });
      await txStore.upsertMembership({ chatbot_id: input.chatbotId, agent_id: row.id, role: input.role, created_at: row.created_at }, x);
      await audit.record(x, actor, 'member.added', { chatbotId: input.chatbotId, agentId: row.id, detail: { role: input.role, via: 'invitation' } });
      return row.id;
    },

    /**
     * Creates or updates the agent with this externalId in one idempotent call: a nightly sync of
     * the embedding product's users is safe to repeat. `created` says which it was; an agent
     * already as given changes nothing (and writes no audit entry).
     */
    async upsertAgentByExternalId(actor: Actor, externalId: string, input: { name?: string; email?: string | null }): Promise<{ agent: Agent; created: boolean }> {
      requireExternalId(externalId);
      const name = requireName(input.name, 'agent');
      const email = input.email === undefined ? undefined : requireEmail(input.email);
      const attempt = () =>
        inTransaction(async (x, txStore) => {
          const existing = await txStore.findAgentByExternalId(externalId, x);
          if (!existing) return { row: await createAgentRow(x, txStore, actor, { name, email, externalId }), created: true };
          const fields = { ...(existing.name !== name ? { name } : {}), ...(email !== undefined && existing.email !== email ? { email } : {}) };
          if (Object.keys(fields).length === 0) return { row: existing, created: false };
          await txStore.updateAgent(existing.id, fields, x);
          await audit.record(x, actor, 'agent.updated', { agentId: existing.id, detail: fields });
          return { row: { ...existing, ...fields }, created: false };
        });
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt();
      } catch (error) {
        // Two calls for the same new externalId at once: the unique index let one in; the other updates it.
        if (!(error instanceof AppError && error.code === 'external_id_taken')) throw error;
        result = await attempt();
      }
      const memberships = await store.membershipsOf(result.row.id);
      return {
        agent: toAgent(
          result.row,
          memberships.map((m) => ({ chatbotId: m.chatbot_id, role: m.role })),
        ),
        created: result.created,
      };
    },

    /** Who an agent key's agent is: its name and every chatbot it belongs to, with its role there (what a console shows and switches between). */
    async whoAmI(agentId: string) {
      const row = await requireAgent(agentId);
      const chatbots = await store.chatbotsOf(agentId);
      return { agentId: row.id, name: row.name, email: row.email, chatbots: chatbots.map((c) => ({ chatbotId: c.chatbot_id, name: c.name, role: c.role })) };
    },

    async getAgent(id: string): Promise<Agent> {
      const row = await requireAgent(id);
      const memberships = await store.membershipsOf(id);
      return toAgent(
        row,
        memberships.map((m) => ({ chatbotId: m.chatbot_id, role: m.role })),
      );
    },

    async updateAgent(actor: Actor, id: string, input: { name?: string; email?: string | null; externalId?: string | null }): Promise<Agent> {
      const fields = {
        ...(input.name !== undefined ? { name: requireName(input.name, 'agent') } : {}),
        ...(input.email !== undefined ? { email: requireEmail(input.email) } : {}),
        ...(input.externalId !== undefined ? { external_id: requireExternalId(input.externalId) } : {}),
      };
      await inTransaction(async (x, txStore) => {
        const agent = await requireAgent(id, x);
        const changed = Object.fromEntries(Object.entries(fields).filter(([key, value]) => agent[key as keyof AgentRow] !== value));
        if (Object.keys(changed).length === 0) return;
        try {
          await txStore.updateAgent(id, changed, x);
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('external_id_taken', `another agent already has externalId "${String(fields.external_id)}"`);
          throw error;
        }
        await audit.record(x, actor, 'agent.updated', { agentId: id, detail: changed });
      });
      return this.getAgent(id);
    },

    /** Deletes an agent: its keys stop working, its devices and memberships go, each chatbot announces the removal. */
    async deleteAgent(actor: Actor, id: string): Promise<void> {
      const memberships = await store.membershipsOf(id);
      await inTransaction(async (x, txStore) => {
        await requireAgent(id, x);
        for (const membership of await txStore.membershipsOf(id, x)) {
          await txStore.lockChatbot(membership.chatbot_id, x);
          await checkLastAdmin(x, txStore, membership.chatbot_id, id, null);
        }
        await txStore.deleteAgent(id, x);
        await audit.record(x, actor, 'agent.deleted', { agentId: id });
      });
      for (const membership of memberships) await hooks.membershipChanged(membership.chatbot_id, id);
    },

    async listAgents(filter: { email?: string; externalId?: string }, page: Page) {
      return pageAnswer(
        await store.listAgents(filter, page),
        page,
        (row) => ({ at: Number(row.created_at), id: row.id }),
        (row) => toAgent(row),
      );
    },

    /** Every agent with its memberships (the CLI), optionally only one chatbot's members. */
    async allAgents(chatbotId?: string): Promise<Agent[]> {
      if (chatbotId) await requireChatbot(chatbotId);
      const agents = new Map<string, Agent>();
      for (const row of await store.allAgentsWithMemberships(chatbotId)) {
        let agent = agents.get(row.id);
        if (!agent) {
          agent = toAgent({ id: row.id, name: row.name, email: row.email, external_id: row.external_id, created_at: row.created_at });
          agents.set(row.id, agent);
        }
        if (row.chatbot_id && row.role) agent.memberships.push({ chatbotId: row.chatbot_id, role: row.role });
      }
      return [...agents.values()];
    },

    /**
     * Makes an agent a member of a chatbot with a role, or changes its role there. A key may
     * give only a role it holds the grants of, and no one may demote the last admin.
     */
    async setMember(actor: Actor, input: { agentId: string; chatbotId: string; role?: string }): Promise<{ member: Member; added: boolean }> {
      const role = requireRole(input.role);
      if (!(await agentInReach(actor, input.agentId))) throw new AppError('not_found', `agent ${input.agentId} does not exist`);
      const holdings = await holdingsOn(actor, input.chatbotId);
      const result = await inTransaction(async (x, txStore) => {
        await requireChatbot(input.chatbotId, x);
        await txStore.lockChatbot(input.chatbotId, x);
        const agent = await requireAgent(input.agentId, x);
        const before = await txStore.findRole(input.chatbotId, input.agentId, x);
        checkRole(holdings, input.chatbotId, before, role);
        if (before === role) return { added: false, changed: false, agent };
        if (before) await checkLastAdmin(x, txStore, input.chatbotId, input.agentId, role);
        await txStore.upsertMembership({ chatbot_id: input.chatbotId, agent_id: input.agentId, role, created_at: now() }, x);
        await audit.record(x, actor, before ? 'member.role_changed' : 'member.added', {
          chatbotId: input.chatbotId,
          agentId: input.agentId,
          detail: before ? { from: before, to: role } : { role },
        });
        return { added: before === undefined, changed: true, agent };
      });
      if (result.changed) await hooks.membershipChanged(input.chatbotId, input.agentId);
      const membership = (await store.membershipsOf(input.agentId)).find((m) => m.chatbot_id === input.chatbotId)!;
      return {
        member: {
          agentId: input.agentId,
          name: result.agent.name,
          email: result.agent.email,
          externalId: result.agent.external_id,
          role,
          addedAt: isoTime(membership.created_at)!,
          skills: storedSkills(membership.skills),
        },
        added: result.added,
      };
    },

    /** Ends a membership; the agent's keys stop working on that chatbot at once. */
    async removeMember(actor: Actor, input: { agentId: string; chatbotId: string }) {
      const holdings = await holdingsOn(actor, input.chatbotId);
      const removed = await inTransaction(async (x, txStore) => {
        await txStore.lockChatbot(input.chatbotId, x);
        const role = await txStore.findRole(input.chatbotId, input.agentId, x);
        if (!role) return false;
        checkRole(holdings, input.chatbotId, role, null);
        await checkLastAdmin(x, txStore, input.chatbotId, input.agentId, null);
        await txStore.deleteMembership(input.chatbotId, input.agentId, x);
        await audit.record(x, actor, 'member.removed', { chatbotId: input.chatbotId, agentId: input.agentId, detail: { role } });
        return true;
      });
      if (!removed) throw new AppError('not_found', `agent ${input.agentId} is not a member of chatbot ${input.chatbotId}`);
      await hooks.membershipChanged(input.chatbotId, input.agentId);
      return { agentId: input.agentId, chatbotId: input.chatbotId, removed: true as const };
    },

    async getMember(chatbotId: string, agentId: string): Promise<Member> {
      await requireChatbot(chatbotId);
      const row = await store.findMember(chatbotId, agentId);
      if (!row) throw new AppError('not_found', `agent ${agentId} is not a member of chatbot ${chatbotId}`);
      return toMember(row);
    },

    async listMembers(chatbotId: string, page: Page) {
      await requireChatbot(chatbotId);
      return pageAnswer(await store.listMembers(chatbotId, page), page, (row) => ({ at: Number(row.created_at), id: row.agent_id }), toMember);
    },
  };
}

export type TenancyService = ReturnType<typeof tenancyService>;
