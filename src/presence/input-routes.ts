import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NullableWorkingHours, WORKING_HOURS_RULE, WorkingHoursSchema } from '../availability/schemas.js';
import type { WorkingHours } from '../availability/working-hours.js';
import { agentOf } from '../auth/hook.js';
import { AppError, errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../http/paging.js';
import { ChatbotAgentParams, ChatbotParams } from '../http-schemas.js';
import type { AvailabilityInputsService } from './inputs.js';
import { AgentPresence, SetOnlineBody } from './schemas.js';

const CapacityBody = Type.Object(
  {
    activeChats: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Chats the agent has now.' })),
    maxChats: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000 }), Type.Null()], { description: 'The most chats the agent takes at once; null: no limit.' })),
    clientTimestamp: SetOnlineBody.properties.clientTimestamp,
  },
  { title: 'CapacityRequest', additionalProperties: false },
);

const CapacityResult = Type.Object(
  {
    agentId: Type.String(),
    activeChats: Type.Union([Type.Integer(), Type.Null()]),
    maxChats: Type.Union([Type.Integer(), Type.Null()]),
    clientTimestamp: Type.String({ description: 'clientTimestamp of the report that stands.' }),
    applied: Type.Boolean({ description: 'Whether this report set the capacity (false: a newer one already stood).' }),
    state: AgentPresence.properties.state,
    reason: AgentPresence.properties.reason,
  },
  { title: 'CapacityResult' },
);

const OverrideBody = Type.Object(
  {
    status: Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('busy'), Type.Literal('dnd'), Type.Literal('offline')]),
    text: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    until: Type.Optional(Type.Union([Type.String({ format: 'date-time', maxLength: 64 }), Type.Null()])),
  },
  { title: 'OverrideStatusRequest', additionalProperties: false },
);

/** The inputs of availability that others than the agent set, and the list of who can take a chat. */
export const inputRoutes: FastifyPluginAsyncTypebox<{ inputs: AvailabilityInputsService }> = async (app, { inputs }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/available',
    {
      config: { permission: 'chatbots.inbox.availability.read', rateClass: 'reads', fieldRules: { limit: `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}` } },
      schema: {
        summary: 'Lists the agents who can take a chat now, least loaded first',
        description:
          'Agents whose state is available, ordered by activeChats / maxChats (no maxChats counts as 0), then activeChats, then name: the first is the one to route a new chat to.',
        tags: ['presence'],
        operationId: 'listAvailableAgents',
        params: ChatbotParams,
        querystring: Type.Object(
          { limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: `How many, 1 to ${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT}).` })) },
          { additionalProperties: false },
        ),
        response: {
          200: { ...Type.Object({ agents: Type.Array(AgentPresence) }, { title: 'AvailableAgents' }), description: 'The agents, least loaded first' },
          ...errorResponses(...PROTECTED_READ_ERRORS, 400),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit === undefined ? PAGE_LIMIT_DEFAULT : Number(request.query.limit);
      if (!(limit >= 1 && limit <= PAGE_LIMIT_MAX)) throw new AppError('invalid_request', `limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`);
      return { agents: await inputs.available(request.params.chatbotId, limit) };
    },
  );

  const WorkingHoursAnswer = Type.Object(
    {
      agentId: Type.String(),
      workingHours: NullableWorkingHours,
      effective: Type.Union([WorkingHoursSchema, Type.Null()], { description: "The agent's own, else the chatbot's default, else null." }),
    },
    { title: 'AgentWorkingHours' },
  );
  const WorkingHoursBody = Type.Object({ workingHours: NullableWorkingHours }, { additionalProperties: false, title: 'AgentWorkingHoursRequest' });
  const workingHoursSchema = (summary: string, operationId: string, params: typeof ChatbotParams | typeof ChatbotAgentParams, withBody: boolean) => ({
    summary,
    description:
      "Outside the schedule in effect (the agent's own, else the chatbot's default) the agent is offline with reason outside_working_hours, unless it explicitly went online (online turned from false to true) or chose a status meanwhile: that overrides them until the next opening. A heartbeat re-posting online: true does not.",
    tags: ['presence'],
    operationId,
    params,
    ...(withBody ? { body: WorkingHoursBody } : {}),
    response: { 200: { ...WorkingHoursAnswer, description: 'The working hours' }, ...errorResponses(...(withBody ? PROTECTED_WRITE_ERRORS : PROTECTED_READ_ERRORS), 404) },
  });
  const WH_RULES = { workingHours: WORKING_HOURS_RULE };

  app.get(
    '/v1/inbox/:chatbotId/agents/me/working-hours',
    {
      config: { permission: 'chatbots.inbox.agents.online.edit', requiresAgent: true, rateClass: 'reads' },
      schema: workingHoursSchema("Reads the agent's own working hours", 'getOwnWorkingHours', ChatbotParams, false),
    },
    async (request) => inputs.workingHours(request.params.chatbotId, agentOf(request.principal)),
  );
  app.put(
    '/v1/inbox/:chatbotId/agents/me/working-hours',
    {
      config: { permission: 'chatbots.inbox.agents.online.edit', requiresAgent: true, rateClass: 'settings', fieldRules: WH_RULES },
      schema: workingHoursSchema("Sets the agent's own working hours (null: the chatbot's default)", 'setOwnWorkingHours', ChatbotParams, true),
    },
    async (request) => inputs.setWorkingHours(request.params.chatbotId, agentOf(request.principal), (request.body as { workingHours: WorkingHours | null }).workingHours),
  );
  app.put(
    '/v1/inbox/:chatbotId/agents/:agentId/working-hours',
    {
      config: { permission: 'chatbots.inbox.agents.status.edit', rateClass: 'settings', fieldRules: WH_RULES },
      schema: workingHoursSchema("A supervisor sets an agent's working hours (null: the chatbot's default)", 'setAgentWorkingHours', ChatbotAgentParams, true),
    },
    async (request) => {
      const { chatbotId, agentId } = request.params as { chatbotId: string; agentId: string };
      return inputs.setWorkingHours(chatbotId, agentId, (request.body as { workingHours: WorkingHours | null }).workingHours);
    },
  );

  app.put(
    '/v1/inbox/:chatbotId/agents/:agentId/capacity',
    {
      config: {
        permission: 'chatbots.inbox.agents.capacity.edit',
        rateClass: 'status',
        fieldRules: {
          activeChats: 'activeChats must be a whole number from 0 to 10000',
          maxChats: 'maxChats must be a whole number from 0 to 10000, or null for no limit',
          clientTimestamp: 'clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone',
        },
      },
      schema: {
        summary: "Reports an agent's capacity: chats now, and the most it takes",
        description:
          'For integrations (a chat router). Absolute values, so a retry is harmless, ordered by their own clientTimestamp: an older report answers 200 with applied: false and changes nothing. A field left out keeps its value. At activeChats ≥ maxChats the agent is busy with reason at_capacity.',
        tags: ['presence'],
        operationId: 'setAgentCapacity',
        params: ChatbotAgentParams,
        body: CapacityBody,
        response: {
          200: { ...CapacityResult, description: 'The capacity that stands, whether this report set it, and the derived state' },
          ...errorResponses(...PROTECTED_WRITE_ERRORS, 404),
        },
      },
    },
    async (request) => inputs.setCapacity(request.params.chatbotId, request.params.agentId, request.body),
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/:agentId/status',
    {
      config: {
        permission: 'chatbots.inbox.agents.status.edit',
        rateClass: 'status',
        fieldRules: {
          status: 'status must be "available", "away", "busy", "dnd" or "offline"',
          text: 'text must be at most 100 characters, or null',
          until: 'until must be an ISO-8601 date-time with a time zone, or null',
        },
      },
      schema: {
        summary: "A supervisor sets another agent's status",
        description:
          "For admins (and integrations granted it). offline sets the agent's online flag; the others set its chosen status, and online. Ordered with the agent's own updates by the server clock, so the agent's next own update wins it back. The entry, its event and the history say who set it (setBy).",
        tags: ['presence'],
        operationId: 'overrideAgentStatus',
        params: ChatbotAgentParams,
        body: OverrideBody,
        response: { 200: { ...AgentPresence, description: "The agent's entry afterwards" }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const setBy = principal.kind === 'agent' ? principal.agentId : principal.keyId;
      return inputs.overrideStatus(request.params.chatbotId, request.params.agentId, request.body, setBy);
    },
  );
};
