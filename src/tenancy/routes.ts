import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/actor.js';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_RULES, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';
import { WORKING_HOURS_RULE } from '../availability/schemas.js';
import {
  Agent,
  AgentListQuery,
  AgentPage,
  AgentParams,
  Chatbot,
  ChatbotBody,
  ChatbotChanges,
  ChatbotPage,
  CreateAgentBody,
  EMAIL_RULE,
  EXTERNAL_ID_RULE,
  IDLE_AFTER_RULE,
  REASSIGN_AFTER_RULE,
  AUTO_REASSIGN_RULE,
  OFFER_TIMEOUT_RULE,
  AWAY_AFTER_MISSED_RULE,
  ExternalIdParams,
  Member,
  MemberBody,
  MemberPage,
  MemberParams,
  NAME_RULE,
  ROLE_RULE,
  UpdateAgentBody,
  UpsertAgentBody,
} from './schemas.js';
import type { TenancyService } from './service.js';

const WhoAmI = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    chatbots: Type.Array(
      Type.Object({ chatbotId: Type.String(), name: Type.String(), role: Type.Union([Type.Literal('agent'), Type.Literal('admin')]) }, { additionalProperties: false }),
      { description: "Every chatbot the agent is a member of, ordered by name, with the agent's role there." },
    ),
  },
  { additionalProperties: false, title: 'WhoAmI' },
);

const READ = [...PROTECTED_READ_ERRORS, 404];
const READ_PAGE = [...PROTECTED_READ_ERRORS, 400];
const WRITE = [...PROTECTED_WRITE_ERRORS, 404];
const AGENT_RULES = { name: NAME_RULE('agent'), email: EMAIL_RULE, externalId: EXTERNAL_ID_RULE };
const Removed = Type.Null({ description: 'Done' });

/**
 * Provisioning over HTTP: chatbots, the agent directory and memberships, for the product that
 * embeds the inbox. Each route needs one permission (see auth/permissions.ts); who may give
 * what is decided by the escalation rules in the services, not here.
 */
export const tenancyRoutes: FastifyPluginAsyncTypebox<{ tenancy: TenancyService }> = async (app, { tenancy }) => {
  app.post(
    '/v1/chatbots',
    {
      config: { permission: 'chatbots.create', rateClass: 'admin', fieldRules: { name: NAME_RULE('chatbot'), idleAfterSeconds: IDLE_AFTER_RULE } },
      schema: {
        summary: 'Creates a chatbot',
        description: 'It has no members yet: add an admin with PUT /v1/chatbots/{chatbotId}/members/{agentId}.',
        tags: ['chatbots'],
        operationId: 'createChatbot',
        body: ChatbotBody,
        response: { 201: { ...Chatbot, description: 'The new chatbot' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request, reply) => reply.code(201).send(await tenancy.createChatbot(actorOf(request), request.body)),
  );

  app.get(
    '/v1/chatbots',
    {
      config: { permission: 'chatbots.list', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: 'Lists the chatbots of the install',
        description: 'Oldest first, a page at a time.',
        tags: ['chatbots'],
        operationId: 'listChatbots',
        querystring: PageQuery,
        response: { 200: { ...ChatbotPage, description: 'A page of chatbots' }, ...errorResponses(...READ_PAGE) },
      },
    },
    async (request) => tenancy.listChatbots(pageOf(request.query)),
  );

  app.get(
    '/v1/chatbots/:chatbotId',
    {
      config: { permission: 'chatbots.read', rateClass: 'reads' },
      schema: {
        summary: 'Retrieves a chatbot',
        tags: ['chatbots'],
        operationId: 'getChatbot',
        params: ChatbotParams,
        response: { 200: { ...Chatbot, description: 'The chatbot' }, ...errorResponses(...READ) },
      },
    },
    async (request) => tenancy.getChatbot(request.params.chatbotId),
  );

  app.patch(
    '/v1/chatbots/:chatbotId',
    {
      config: {
        permission: 'chatbots.edit',
        rateClass: 'admin',
        fieldRules: {
          name: NAME_RULE('chatbot'),
          idleAfterSeconds: IDLE_AFTER_RULE,
          workingHours: WORKING_HOURS_RULE,
          reassignAfterSeconds: REASSIGN_AFTER_RULE,
          autoReassign: AUTO_REASSIGN_RULE,
          offerTimeoutSeconds: OFFER_TIMEOUT_RULE,
          awayAfterMissedOffers: AWAY_AFTER_MISSED_RULE,
        },
      },
      schema: {
        summary: 'Renames a chatbot or changes its settings (idleAfterSeconds, default workingHours)',
        tags: ['chatbots'],
        operationId: 'updateChatbot',
        params: ChatbotParams,
        body: ChatbotChanges,
        response: { 200: { ...Chatbot, description: 'The chatbot as it stands' }, ...errorResponses(...WRITE) },
      },
    },
    async (request) => tenancy.updateChatbot(actorOf(request), request.params.chatbotId, request.body),
  );

  app.delete(
    '/v1/chatbots/:chatbotId',
    {
      config: { permission: 'chatbots.delete', rateClass: 'admin' },
      schema: {
        summary: 'Deletes a chatbot and everything of it',
        description:
          "Removes its memberships, chatbot keys, agents' settings and devices there, notifications and presence, and ends its live streams. The agents stay in the directory; their keys keep working in their other chatbots.",
        tags: ['chatbots'],
        operationId: 'deleteChatbot',
        params: ChatbotParams,
        response: { 204: { ...Removed, description: 'Deleted' }, ...errorResponses(...READ) },
      },
    },
    async (request, reply) => {
      await tenancy.deleteChatbot(actorOf(request), request.params.chatbotId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/agents',
    {
      config: { permission: 'agents.create', rateClass: 'admin', fieldRules: AGENT_RULES },
      schema: {
        summary: 'Creates an agent in the directory',
        description: 'With no membership yet. To sync users by your own id, prefer PUT /v1/agents/by-external-id/{externalId}, which is safe to repeat.',
        tags: ['agents'],
        operationId: 'createAgent',
        body: CreateAgentBody,
        response: { 201: { ...Agent, description: 'The new agent' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await tenancy.createAgent(actorOf(request), request.body)),
  );

  app.get(
    '/v1/inbox/:chatbotId/agents/me',
    {
      config: { permission: 'chatbots.inbox.agents.list', requiresAgent: true, rateClass: 'reads' },
      schema: {
        summary: 'Who the calling agent is, and its chatbots',
        description:
          "For an agent key (a console's sign-in): the agent's name and email, and every chatbot it is a member of with the chatbot's name and the agent's role there, ordered by name. What a console's chatbot switcher lists, and whether it shows the supervisor's views (role `admin`).",
        tags: ['agents'],
        operationId: 'whoAmI',
        params: ChatbotParams,
        response: { 200: { ...WhoAmI, description: 'The calling agent and its chatbots' }, ...errorResponses(...PROTECTED_READ_ERRORS) },
      },
    },
    async (request) => tenancy.whoAmI(agentOf(request.principal)),
  );

  app.get(
    '/v1/agents',
    {
      config: { permission: 'agents.list', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: 'Lists the agents of the install',
        description: 'Oldest first, a page at a time; `email` or `externalId` narrow it.',
        tags: ['agents'],
        operationId: 'listAgents',
        querystring: AgentListQuery,
        response: { 200: { ...AgentPage, description: 'A page of agents (their memberships are listed when read one by one)' }, ...errorResponses(...READ_PAGE) },
      },
    },
    async (request) => tenancy.listAgents({ email: request.query.email, externalId: request.query.externalId }, pageOf(request.query)),
  );

  app.put(
    '/v1/agents/by-external-id/:externalId',
    {
      config: { permission: 'agents.sync', rateClass: 'admin', fieldRules: { ...AGENT_RULES, externalId: EXTERNAL_ID_RULE } },
      schema: {
        summary: 'Creates or updates the agent with this externalId',
        description:
          'One idempotent call per user of your product: 201 when it made the agent, 200 when it existed (its name and, if given, email are set). Repeating it changes nothing and records nothing. Memberships are not touched.',
        tags: ['agents'],
        operationId: 'upsertAgentByExternalId',
        params: ExternalIdParams,
        body: UpsertAgentBody,
        response: {
          200: { ...Agent, description: 'The agent existed; it is as given now' },
          201: { ...Agent, description: 'The agent was created' },
          ...errorResponses(...PROTECTED_WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { agent, created } = await tenancy.upsertAgentByExternalId(actorOf(request), request.params.externalId, request.body);
      return reply.code(created ? 201 : 200).send(agent);
    },
  );

  app.get(
    '/v1/agents/:agentId',
    {
      config: { permission: 'agents.read', rateClass: 'reads' },
      schema: {
        summary: 'Retrieves an agent with its memberships',
        tags: ['agents'],
        operationId: 'getAgent',
        params: AgentParams,
        response: { 200: { ...Agent, description: 'The agent' }, ...errorResponses(...READ) },
      },
    },
    async (request) => tenancy.getAgent(request.params.agentId),
  );

  app.patch(
    '/v1/agents/:agentId',
    {
      config: { permission: 'agents.edit', rateClass: 'admin', fieldRules: AGENT_RULES },
      schema: {
        summary: "Updates an agent's name, email or externalId",
        description: 'Each field present changes one thing; null clears email or externalId.',
        tags: ['agents'],
        operationId: 'updateAgent',
        params: AgentParams,
        body: UpdateAgentBody,
        response: { 200: { ...Agent, description: 'The agent as it stands' }, ...errorResponses(...WRITE, 409) },
      },
    },
    async (request) => tenancy.updateAgent(actorOf(request), request.params.agentId, request.body),
  );

  app.delete(
    '/v1/agents/:agentId',
    {
      config: { permission: 'agents.delete', rateClass: 'admin' },
      schema: {
        summary: 'Deletes an agent',
        description:
          "Its keys stop working at once, its devices and memberships go, and each of its chatbots' streams announce the removal. Refused with 409 last_admin while it is the only admin of a chatbot.",
        tags: ['agents'],
        operationId: 'deleteAgent',
        params: AgentParams,
        response: { 204: { ...Removed, description: 'Deleted' }, ...errorResponses(...READ, 409) },
      },
    },
    async (request, reply) => {
      await tenancy.deleteAgent(actorOf(request), request.params.agentId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/chatbots/:chatbotId/members',
    {
      config: { permission: 'chatbots.members.list', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: 'Lists the members of a chatbot',
        description: 'In the order they joined, a page at a time.',
        tags: ['chatbots'],
        operationId: 'listMembers',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...MemberPage, description: 'A page of members' }, ...errorResponses(...READ, 400) },
      },
    },
    async (request) => tenancy.listMembers(request.params.chatbotId, pageOf(request.query)),
  );

  app.get(
    '/v1/chatbots/:chatbotId/members/:agentId',
    {
      config: { permission: 'chatbots.members.list', rateClass: 'reads' },
      schema: {
        summary: 'Retrieves one member of a chatbot',
        tags: ['chatbots'],
        operationId: 'getMember',
        params: MemberParams,
        response: { 200: { ...Member, description: 'The member' }, ...errorResponses(...READ) },
      },
    },
    async (request) => tenancy.getMember(request.params.chatbotId, request.params.agentId),
  );

  app.put(
    '/v1/chatbots/:chatbotId/members/:agentId',
    {
      config: { permission: 'chatbots.members.edit', rateClass: 'admin', fieldRules: { role: ROLE_RULE } },
      schema: {
        summary: 'Adds an agent to a chatbot with a role, or changes its role',
        description:
          "201 when the agent was added, 200 when it was a member already (its role is set; the same role changes nothing). Announced on the chatbot's stream. A key may give only a role whose permissions it holds on this chatbot (`admin` needs `chatbots.*`), and the last admin cannot be made an agent (409 last_admin). An agent that is not a member of a chatbot this key administers is 404 unless the key is an operator key.",
        tags: ['chatbots'],
        operationId: 'setMember',
        params: MemberParams,
        body: MemberBody,
        response: {
          200: { ...Member, description: 'The membership as it stands' },
          201: { ...Member, description: 'The agent was added' },
          ...errorResponses(...WRITE, 409),
        },
      },
    },
    async (request, reply) => {
      const { member, added } = await tenancy.setMember(actorOf(request), { ...request.params, role: request.body.role });
      return reply.code(added ? 201 : 200).send(member);
    },
  );

  app.delete(
    '/v1/chatbots/:chatbotId/members/:agentId',
    {
      config: { permission: 'chatbots.members.edit', rateClass: 'admin' },
      schema: {
        summary: 'Removes an agent from a chatbot',
        description:
          "Its keys stop working on this chatbot at once, and its settings and devices there go; announced on the chatbot's stream. The last admin cannot be removed (409 last_admin).",
        tags: ['chatbots'],
        operationId: 'removeMember',
        params: MemberParams,
        response: { 204: { ...Removed, description: 'Removed' }, ...errorResponses(...READ, 409) },
      },
    },
    async (request, reply) => {
      await tenancy.removeMember(actorOf(request), request.params);
      return reply.code(204).send(null);
    },
  );
};
