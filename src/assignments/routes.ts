import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/actor.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';
import type { Considered } from './choose.js';
import { CONVERSATION_ID_RULE, type AssignmentService, type NoAgent } from './service.js';

const ConversationId = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'Your own id for the conversation (1–200 visible characters).',
  examples: ['conv-8812'],
});
const Strategy = Type.Union([Type.Literal('least_loaded'), Type.Literal('round_robin')], {
  description: 'least_loaded (default): most spare capacity, then longest since last assigned. round_robin: longest since last assigned among those with room.',
});
const AgentIds = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200, description: 'Agents not to choose.' });
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

const ConsideredItem = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    state: Type.String({ description: 'The derived state, as in list entries.' }),
    reason: Type.String({ description: 'The availability reason, as in list entries.' }),
    activeChats: NullableInteger,
    maxChats: NullableInteger,
    outcome: Type.Union(
      [Type.Literal('chosen'), Type.Literal('preferred'), Type.Literal('ranked_lower'), Type.Literal('excluded'), Type.Literal('at_capacity'), Type.Literal('not_available')],
      {
        description:
          'chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; at_capacity (no room); not_available (its state is not available: see state and reason).',
      },
    ),
  },
  { title: 'ConsideredAgent' },
);
const Assignment = Type.Object(
  {
    conversationId: Type.String(),
    agentId: Type.String(),
    agentName: Type.String(),
    strategy: Type.Union([Type.Literal('least_loaded'), Type.Literal('round_robin'), Type.Literal('transfer')]),
    assignedAt: Type.String({ format: 'date-time' }),
    activeChats: { ...NullableInteger, description: "The agent's chats now, this one included." },
    maxChats: NullableInteger,
    considered: Type.Array(ConsideredItem, {
      description: 'Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name.',
    }),
  },
  { title: 'Assignment' },
);
const AssignmentListItem = Type.Object(
  {
    conversationId: Type.String(),
    agentId: Type.String(),
    agentName: Type.String(),
    strategy: Type.String(),
    assignedAt: Type.String({ format: 'date-time', description: 'When it became this agent’s (made, or moved to it).' }),
    title: Type.Union([Type.String(), Type.Null()], { description: 'As the assignment request gave it.' }),
    preview: Type.Union([Type.String(), Type.Null()], { description: 'As the assignment request gave it.' }),
  },
  { title: 'OpenAssignment' },
);
const NoAgentAvailable = Type.Object(
  {
    error: Type.String({ description: 'A message a person understands' }),
    code: Type.Literal('no_agent_available'),
    considered: Type.Array(ConsideredItem),
    nextAvailableAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: "When someone is next expected available (the availability summary's), or null.",
    }),
  },
  { title: 'NoAgentAvailable', description: 'Nobody can take the chat now: every member with its reason' },
);

const AssignBody = Type.Object(
  {
    conversationId: ConversationId,
    strategy: Type.Optional(Strategy),
    preferredAgentId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { description: 'Chosen when eligible (the agent who spoke with this visitor before).' }),
    ),
    excludeAgentIds: Type.Optional(AgentIds),
    title: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
        description: 'What the chat is about: in the assigned events (stream and webhooks) and the list of open assignments.',
      }),
    ),
    preview: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
        description: "The visitor's first words (line breaks kept): in the assigned events and the list of open assignments.",
      }),
    ),
  },
  { additionalProperties: false, title: 'AssignRequest' },
);
const TransferBody = Type.Object(
  {
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The member to move it to (it must be able to take it); left out: the next eligible one.' })),
    strategy: Type.Optional(Strategy),
    excludeAgentIds: Type.Optional(AgentIds),
  },
  { additionalProperties: false, title: 'TransferRequest' },
);
const ConversationParams = Type.Object({ ...ChatbotParams.properties, conversationId: ConversationId });
const ListQuery = Type.Object({ ...PageQuery.properties, agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Only this agent's." })) });

const FIELD_RULES = {
  conversationId: CONVERSATION_ID_RULE,
  strategy: 'strategy must be least_loaded or round_robin',
  preferredAgentId: 'preferredAgentId must be an agent id or null',
  excludeAgentIds: 'excludeAgentIds must be a list of at most 200 agent ids',
  agentId: 'agentId must be an agent id',
  title: 'title must be 1 to 200 characters, or null',
  preview: 'preview must be 1 to 500 characters, or null',
};

/** The most members a 409's message names; `considered` has every one. */
const MOST_NAMED = 10;
/** A reason as words. */
const reasonWords = (reason: string) => reason.replaceAll('_', ' ');

/** Why one member could not take it, after its name: "is at capacity (3 of 3 chats)". */
function whyNot(member: Considered, holderId: string | undefined): string {
  switch (member.outcome) {
    case 'excluded':
      return member.agentId === holderId ? 'already has it' : 'is excluded by the request';
    case 'at_capacity':
      return `is at capacity (${member.activeChats ?? 0} of ${member.maxChats} chats)`;
    case 'not_available':
      return member.reason === 'chosen' ? `is ${member.state}` : `is ${member.state} (${reasonWords(member.reason)})`;
    default:
      return reasonWords(member.outcome);
  }
}

/** "Ada is at capacity (3 of 3 chats); Linus is away (idle)": who could not take it, and why. */
export function why(considered: readonly Considered[], holderId?: string): string {
  if (considered.length === 0) return 'the chatbot has no members';
  const told = considered.slice(0, MOST_NAMED).map((member) => `${member.name} ${whyNot(member, holderId)}`);
  const more = considered.length - told.length;
  return told.join('; ') + (more > 0 ? `; and ${more} more (see considered)` : '');
}

const noAgent = (conversationId: string, none: NoAgent, holderId?: string) => ({
  error: `no agent can take conversation ${conversationId} now: ${why(none.considered, holderId)}`,
  code: 'no_agent_available' as const,
  ...none,
});

/** Assignments: an integration asks who takes a chat, releases it, moves it. */
export const assignmentRoutes: FastifyPluginAsyncTypebox<{ assignments: AssignmentService }> = async (app, { assignments }) => {
  app.post(
    '/v1/inbox/:chatbotId/assignments',
    {
      config: { permission: 'chatbots.inbox.assignments.edit', rateClass: 'assignments', fieldRules: FIELD_RULES },
      schema: {
        summary: 'Assigns a conversation to the agent who should take it',
        description:
          "Eligible: a member whose state is available and who has room (activeChats < maxChats; no maxChats: no limit). The choice and the load it adds are one unit of work under the chatbot's lock, so concurrent assignments never put an agent over maxChats, on one instance or many. 201 with the agent and every member considered with why; the same conversationId again answers its open assignment (200), so a retry is safe. Nobody eligible: 409 no_agent_available with every member's reason and nextAvailableAt. A new assignment is announced once, on the stream and to the webhooks, as assignment.created (with title and preview).",
        tags: ['assignments'],
        operationId: 'assign',
        params: ChatbotParams,
        body: AssignBody,
        response: {
          200: { ...Assignment, description: 'The conversation was assigned already: its open assignment' },
          201: { ...Assignment, description: 'Assigned' },
          409: NoAgentAvailable,
          ...errorResponses(...PROTECTED_WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const result = await assignments.assign(actorOf(request), request.params.chatbotId, request.body);
      if ('none' in result) return reply.code(409).send(noAgent(request.body.conversationId, result.none));
      if ('existing' in result) return reply.code(200).send(result.existing);
      return reply.code(201).send(result.created);
    },
  );

  app.get(
    '/v1/inbox/:chatbotId/assignments',
    {
      config: { permission: 'chatbots.inbox.assignments.read', rateClass: 'reads', fieldRules: { ...PAGE_RULES, agentId: FIELD_RULES.agentId } },
      schema: {
        summary: 'Lists open assignments (of one agent with ?agentId=)',
        description: 'Oldest first, a page at a time.',
        tags: ['assignments'],
        operationId: 'listAssignments',
        params: ChatbotParams,
        querystring: ListQuery,
        response: { 200: { ...PageOf(AssignmentListItem, 'AssignmentPage'), description: 'A page of open assignments' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => assignments.list(request.params.chatbotId, request.query.agentId, pageOf(request.query)),
  );

  app.delete(
    '/v1/inbox/:chatbotId/assignments/:conversationId',
    {
      config: { permission: 'chatbots.inbox.assignments.edit', rateClass: 'assignments', fieldRules: FIELD_RULES },
      schema: {
        summary: 'Releases a conversation (the chat ended): its agent has room again',
        tags: ['assignments'],
        operationId: 'releaseAssignment',
        params: ConversationParams,
        response: { 204: { type: 'null', description: 'Released' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400, 404) },
      },
    },
    async (request, reply) => {
      await assignments.release(actorOf(request), request.params.chatbotId, request.params.conversationId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/inbox/:chatbotId/assignments/:conversationId/transfer',
    {
      config: { permission: 'chatbots.inbox.assignments.edit', rateClass: 'assignments', fieldRules: FIELD_RULES },
      schema: {
        summary: 'Moves an open assignment to another agent, or to the next eligible one',
        description:
          'With agentId, to that member if it can take the chat (available, with room); without, to the next eligible member by the strategy, never the one who has it. Nobody can: 409 no_agent_available, and the chat stays where it was.',
        tags: ['assignments'],
        operationId: 'transferAssignment',
        params: ConversationParams,
        body: TransferBody,
        response: { 200: { ...Assignment, description: 'Moved' }, 409: NoAgentAvailable, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
      // Every field is optional, so no body at all means the next eligible member, as {} does.
      preValidation: (request, _reply, done) => {
        request.body ??= {};
        done();
      },
    },
    async (request, reply) => {
      const result = await assignments.transfer(actorOf(request), request.params.chatbotId, request.params.conversationId, request.body);
      if ('none' in result) return reply.code(409).send(noAgent(request.params.conversationId, result.none, result.holderId));
      return reply.code(200).send(result.moved);
    },
  );
};
