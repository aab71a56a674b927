import type { ChosenStatus } from '../availability/rule.js';
import { requireWorkingHours, type WorkingHours } from '../availability/working-hours.js';
import { AppError } from '../errors.js';
import { assertNotTooFarAhead, chosenStatusUntil, parseClientTimestamp } from './client-timestamp.js';
import type { AgentPresence } from './schemas.js';
import type { PresenceService } from './service.js';

/** How far ahead a chosen status may lapse. */
export interface CapacityBody {
  activeChats?: number;
  maxChats?: number | null;
  clientTimestamp: string | number;
}

export interface OverrideBody {
  status: ChosenStatus | 'offline';
  text?: string | null;
  until?: string | null;
}

/** Loads ordered by least loaded first: activeChats / maxChats, then activeChats, then name (see the README). */
export function byLoad(a: AgentPresence, b: AgentPresence): number {
  const share = (agent: AgentPresence) => (agent.maxChats ? (agent.activeChats ?? 0) / agent.maxChats : 0);
  return share(a) - share(b) || (a.activeChats ?? 0) - (b.activeChats ?? 0) || a.name.localeCompare(b.name) || (a.agentId < b.agentId ? -1 : 1);
}

/**
 * Inputs of the availability rule that others than the agent set: capacity an integration
 * reports, and a supervisor's override of an agent's status. Each is written in the chatbot's
 * unit of work with the announcement it causes (presence.reconcile), like the agent's own.
 */
export function availabilityInputs(presence: PresenceService, options: { maxClockAheadSeconds: number }, now: () => number) {
  const { store } = presence;
  /** Refuses an agent that is not a member, reading its one row (not the whole list). */
  async function requireMember(chatbotId: string, agentId: string): Promise<void> {
    if (!(await presence.memberRow(chatbotId, agentId))) throw new AppError('not_found', `no agent ${agentId} in this chatbot`);
  }

  async function entryOf(chatbotId: string, agentId: string): Promise<AgentPresence> {
    const { agents } = await presence.lists.list(chatbotId);
    const entry = agents.find((agent) => agent.agentId === agentId);
    if (!entry) throw new AppError('not_found', `no agent ${agentId} in this chatbot`);
    return entry;
  }

  return {
    /**
     * An integration's capacity report: absolute values (so a retry is harmless) ordered by
     * their own clientTimestamp; an older report answers applied: false and changes nothing.
     */
    async setCapacity(chatbotId: string, agentId: string, body: CapacityBody) {
      if (body.activeChats === undefined && body.maxChats === undefined) throw new AppError('invalid_request', 'send activeChats, maxChats or both');
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, options.maxClockAheadSeconds);
      await requireMember(chatbotId, agentId);
      const standing = await presence.reconcile(chatbotId, [agentId], async (run) => ({
        answer: await store.applyCapacity(run, {
          chatbot_id: chatbotId,
          agent_id: agentId,
          active_chats: body.activeChats ?? null,
          max_chats: body.maxChats ?? null,
          client_ts: clientTs,
          updated_at: at,
          set_active: body.activeChats === undefined ? 0 : 1,
          set_max: body.maxChats === undefined ? 0 : 1,
        }),
      }));
      const entry = await entryOf(chatbotId, agentId);
      return {
        agentId,
        activeChats: entry.activeChats,
        maxChats: entry.maxChats,
        clientTimestamp: String(standing!.client_ts),
        applied: Number(standing!.client_ts) === clientTs,
        state: entry.state,
        reason: entry.reason,
      };
    },

    /**
     * A supervisor sets an agent's status: offline (the online flag), or a chosen status (and
     * online). Ordered with the agent's own updates by the server clock: the agent's next own
     * update wins it back. `setBy` shows in the entry, the event and the history.
     */
    async overrideStatus(chatbotId: string, agentId: string, body: OverrideBody, setBy: string): Promise<AgentPresence> {
      const at = now();
      const until = chosenStatusUntil(body.until, at);
      if (body.status === 'offline' && (until !== null || body.text)) throw new AppError('invalid_request', 'offline takes no text or until');
      await requireMember(chatbotId, agentId);
      await presence.reconcile(chatbotId, [agentId], async (run) => {
        await store.applyOnlineBy(run, {
          chatbot_id: chatbotId,
          agent_id: agentId,
          online: body.status === 'offline' ? 0 : 1,
          client_ts: at,
          updated_at: at,
          online_set_by: setBy,
        });
        if (body.status === 'offline') return;
        await store.applyChosenStatus(run, {
          chatbot_id: chatbotId,
          agent_id: agentId,
          status: body.status,
          status_text: body.text?.trim() || null,
          status_until: until,
          status_ts: at,
          status_set_at: at,
          status_set_by: setBy,
          // No sign of the agent's life: the later of this and the stored one is kept.
          last_seen_at: 0,
        });
      });
      return entryOf(chatbotId, agentId);
    },

    /** A member's own working hours, and those in effect (its own, else the chatbot's default). */
    async workingHours(chatbotId: string, agentId: string) {
      const row = await store.workingHoursOf(chatbotId, agentId);
      if (!row) throw new AppError('not_found', `no agent ${agentId} in this chatbot`);
      const parse = (json: string | null | undefined) => (json ? (JSON.parse(json) as WorkingHours) : null);
      return { agentId, workingHours: parse(row.own), effective: parse(row.own ?? row.chatbot) };
    },

    /** Sets (or with null clears) a member's own working hours; the change is judged and announced at once. */
    async setWorkingHours(chatbotId: string, agentId: string, hours: WorkingHours | null) {
      const json = requireWorkingHours(hours);
      await this.workingHours(chatbotId, agentId);
      await presence.reconcile(chatbotId, [agentId], (run) => store.setWorkingHours(run, chatbotId, agentId, json));
      return this.workingHours(chatbotId, agentId);
    },

    /** Agents who can take a chat now (state available), least loaded first. */
    async available(chatbotId: string, limit: number): Promise<AgentPresence[]> {
      const { agents } = await presence.lists.list(chatbotId);
      return agents
        .filter((agent) => agent.state === 'available')
        .sort(byLoad)
        .slice(0, limit);
    },
  };
}
export type AvailabilityInputsService = ReturnType<typeof availabilityInputs>;
