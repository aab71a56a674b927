import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/actor.js';
import { agentOf } from '../auth/hook.js';
import { AppError, errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { addressChecked, type RateLimits } from '../http/rate-limits.js';
import { offerReportCsv } from './offers.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotAgentParams, ChatbotParams } from '../http-schemas.js';
import type { Considered } from './choose.js';
import { MAX_WAIT_SECONDS, PRIORITY_MAX, PRIORITY_MIN } from './queue.js';
import { MAX_MEMBER_SKILLS, MAX_REQUIRED_SKILLS, MAX_SKILL_STEPS, SKILL_RULE } from './skills.js';
import { REPORT_FIELD_RULES, ReportQuery } from '../availability/schemas.js';
import { header } from '../http/headers.js';
import { waitReportCsv } from './wait-report.js';
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
      [
        Type.Literal('chosen'),
        Type.Literal('preferred'),
        Type.Literal('ranked_lower'),
        Type.Literal('excluded'),
        Type.Literal('missing_skill'),
        Type.Literal('at_capacity'),
        Type.Literal('not_available'),
      ],
      {
        description:
          'chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason).',
      },
    ),
    missingSkills: Type.Optional(Type.Array(Type.String(), { description: 'With missing_skill only: the required skills it lacks.' })),
  },
  { title: 'ConsideredAgent' },
);
const SkillStepSchema = Type.Object(
  {
    // Checked by the service (skills.ts requireSkillSteps), whose refusals name the step and the rule.
    afterSeconds: Type.Number({ description: `Seconds after the chat arrived: a whole number from 1 to ${MAX_WAIT_SECONDS}, before its maxWaitSeconds.` }),
    requiredSkills: Type.Array(Type.String(), { description: 'The requirement from then on ([] for anyone): the skills of the step before, less at least one.' }),
  },
  { additionalProperties: false, title: 'SkillStep' },
);
// Each name is checked by the service (skills.ts requireSkills), whose refusal names the one refused.
const SkillList = (description: string, maxItems: number) =>
  Type.Array(Type.String(), { maxItems, description: `${description} ${SKILL_RULE[0]!.toUpperCase()}${SKILL_RULE.slice(1)}.` });
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
    offerExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description:
        "Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered.",
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
    requiredSkills: Type.Array(Type.String(), { description: 'The skills it was assigned under ([] for none).' }),
    offerExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Offered, not yet accepted: when the offer lapses; null: the agent has the chat.',
    }),
  },
  { title: 'OpenAssignment' },
);
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const ChatFields = {
  conversationId: Type.String(),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('offered'), Type.Literal('assigned'), Type.Literal('released'), Type.Literal('cancelled'), Type.Literal('expired')], {
    description:
      'waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds).',
  }),
  priority: Type.Integer({ description: 'Its place in the queue: higher first.' }),
  arrivedAt: Type.String({ format: 'date-time', description: 'When the chat asked for an agent.' }),
  position: { ...NullableInteger, description: 'Waiting: its place in the queue, 1 for the next.' },
  estimatedWaitSeconds: {
    ...NullableInteger,
    description: "Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now.",
  },
  expiresAt: { ...NullableTime, description: 'Waiting: when it expires.' },
  maxWaitSeconds: { ...NullableInteger, description: 'As the request gave it (null: the longest wait, a day).' },
  agentId: { ...NullableString, description: 'Assigned or released: its agent.' },
  agentName: NullableString,
  assignedAt: { ...NullableTime, description: 'Assigned or released: when it became this agent’s.' },
  endedAt: { ...NullableTime, description: 'Released, cancelled or expired: when.' },
  title: NullableString,
  preview: NullableString,
  requiredSkills: Type.Array(Type.String(), {
    description:
      'The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under.',
  }),
  skillSteps: Type.Union([Type.Array(SkillStepSchema), Type.Null()], { description: 'Waiting: the steps that relax its requirement, as the request gave them ([] for none).' }),
  offerExpiresAt: { ...NullableTime, description: 'Offered: when the offer to agentId lapses.' },
};
const Chat = Type.Object(ChatFields, { title: 'Chat', description: "A conversation's chat as it stands; fields that do not apply to its state are null." });
const QueuedChat = Type.Object(
  { ...ChatFields, considered: Type.Array(ConsideredItem, { description: 'Every member and why it cannot take the chat now (by the requirement in effect).' }) },
  { title: 'QueuedChat' },
);
const WaitingChat = Type.Object(
  {
    ...ChatFields,
    considered: Type.Array(ConsideredItem, { description: 'Every member and why it cannot take the chat now.' }),
    nextAvailableAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: "When someone is next expected available (the availability summary's), or null.",
    }),
  },
  { title: 'WaitingChat', description: 'Nobody can take the chat now: it waits in the queue, and is assigned as soon as someone can.' },
);

const WaitRow = Type.Object(
  {
    period: Type.String({ description: 'The local day (or the Monday of the week) the chats arrived, YYYY-MM-DD.' }),
    priority: Type.Integer(),
    chats: Type.Integer({ description: 'Chats that arrived.' }),
    assigned: Type.Integer({ description: 'Given an agent (still open, or released since).' }),
    cancelled: Type.Integer(),
    expired: Type.Integer(),
    waiting: Type.Integer({ description: 'Still waiting.' }),
    waitP50Seconds: Type.Union([Type.Integer(), Type.Null()], { description: 'How long the assigned ones waited for their first agent, the median (a chat assigned at once: 0).' }),
    waitP90Seconds: Type.Union([Type.Integer(), Type.Null()], { description: 'The 90th percentile of the same.' }),
  },
  { title: 'WaitReportRow' },
);

const OfferTallyRow = Type.Object(
  {
    agentId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()], { description: 'Its name (null: no longer a member).' }),
    offered: Type.Integer({ description: 'Offers that ended in the period (decided in it).' }),
    accepted: Type.Integer(),
    declined: Type.Integer(),
    missed: Type.Integer({ description: 'Lapsed unanswered.' }),
    withdrawn: Type.Integer({ description: 'Taken back: the chat was released (DELETE) or moved while offered.' }),
    medianSecondsToAccept: Type.Union([Type.Number(), Type.Null()], { description: 'The median seconds from offer to accept, to a tenth (null: none accepted).' }),
  },
  { title: 'OfferReportRow' },
);
const OfferSecretBody = Type.Object(
  { secret: Type.String({ minLength: 1, maxLength: 100, description: "The offer's secret, as its push carried it (data.offer.secret)." }) },
  { additionalProperties: false, title: 'OfferSecret' },
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
    requiredSkills: Type.Optional(
      SkillList(
        `Only a member holding every one of these skills may take the chat (at most ${MAX_REQUIRED_SKILLS}; the others are considered missing_skill).`,
        MAX_REQUIRED_SKILLS,
      ),
    ),
    skillSteps: Type.Optional(
      Type.Array(SkillStepSchema, {
        description: `With wait: true, steps that relax requiredSkills as the chat waits ("after 30 s drop billing, after 90 s take anyone"): at most ${MAX_SKILL_STEPS}, each later than the one before, each dropping at least one skill of the requirement before it and adding none. The waiting chat is judged again within a second of each step.`,
      }),
    ),
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
    wait: Type.Optional(
      Type.Boolean({
        description:
          'true: when nobody can take the chat now, it waits in the queue (202) and is assigned as soon as someone can, announced as assignment.created. false (default): 409 no_agent_available.',
      }),
    ),
    priority: Type.Optional(
      Type.Integer({ minimum: PRIORITY_MIN, maximum: PRIORITY_MAX, description: `Its place in the queue: higher first, in arrival order within one priority (default 0).` }),
    ),
    maxWaitSeconds: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: MAX_WAIT_SECONDS }), Type.Null()], {
        description: `How long it may wait; then it expires (assignment.expired). Null or left out: the longest wait, ${MAX_WAIT_SECONDS} s (a day).`,
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
const SKILLS_RULE = `skills must be a list of at most ${MAX_MEMBER_SKILLS} skills; ${SKILL_RULE}`;
const SkillsBody = Type.Object(
  { skills: SkillList(`The member's skills (replacing those it had; [] for none).`, MAX_MEMBER_SKILLS) },
  { additionalProperties: false, title: 'MemberSkillsRequest' },
);
const MemberSkills = Type.Object(
  { chatbotId: Type.String(), agentId: Type.String(), skills: Type.Array(Type.String(), { description: 'Sorted, each once.' }) },
  { title: 'MemberSkills' },
);
const ListQuery = Type.Object({ ...PageQuery.properties, agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Only this agent's." })) });

const FIELD_RULES = {
  conversationId: CONVERSATION_ID_RULE,
  strategy: 'strategy must be least_loaded or round_robin',
  preferredAgentId: 'preferredAgentId must be an agent id or null',
  excludeAgentIds: 'excludeAgentIds must be a list of at most 200 agent ids',
  requiredSkills: `requiredSkills must be a list of at most ${MAX_REQUIRED_SKILLS} skills; ${SKILL_RULE}`,
  skillSteps: `skillSteps must be a list of at most ${MAX_SKILL_STEPS} steps {"afterSeconds": 1 to ${MAX_WAIT_SECONDS}, "requiredSkills": [...]}`,
  agentId: 'agentId must be an agent id',
  title: 'title must be 1 to 200 characters, or null',
  preview: 'preview must be 1 to 500 characters, or null',
  wait: 'wait must be true or false',
  priority: `priority must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`,
  maxWaitSeconds: `maxWaitSeconds must be a whole number from 1 to ${MAX_WAIT_SECONDS}, or null`,
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
    case 'missing_skill':
      return `lacks ${member.missingSkills?.join(', ') ?? 'a required skill'}`;
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
export const assignmentRoutes: FastifyPluginAsyncTypebox<{ assignments: AssignmentService; limits: RateLimits }> = async (app, { assignments, limits }) => {
  app.post(
    '/v1/inbox/:chatbotId/assignments',
    {
      config: { permission: 'chatbots.inbox.assignments.edit', rateClass: 'assignments', fieldRules: FIELD_RULES },
      schema: {
        summary: 'Assigns a conversation to the agent who should take it',
        description:
          "Eligible: a member whose state is available, who has room (activeChats < maxChats; no maxChats: no limit) and who holds every skill in requiredSkills. The choice and the load it adds are one unit of work under the chatbot's lock, so concurrent assignments never put an agent over maxChats, on one instance or many. 201 with the agent and every member considered with why; the same conversationId again answers its open assignment (200), so a retry is safe. Nobody eligible: 409 no_agent_available with every member's reason and nextAvailableAt, or with wait: true, 202 and the chat waits in the queue (its position, estimated wait and every member's reason), to be assigned as soon as someone can take it (in the unit of work that frees the room). Chats already waiting go first. A new assignment is announced once, on the stream and to the webhooks, as assignment.created (with title and preview); a chat put in the queue as assignment.waiting.",
        tags: ['assignments'],
        operationId: 'assign',
        params: ChatbotParams,
        body: AssignBody,
        response: {
          200: { ...Assignment, description: 'The conversation was assigned already: its open assignment' },
          201: { ...Assignment, description: 'Assigned' },
          202: { ...WaitingChat, description: 'Nobody can take it now: it waits in the queue (or was waiting already)' },
          409: NoAgentAvailable,
          ...errorResponses(...PROTECTED_WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const result = await assignments.assign(actorOf(request), request.params.chatbotId, request.body);
      if ('none' in result) return reply.code(409).send(noAgent(request.body.conversationId, result.none));
      if ('existing' in result) return reply.code(200).send(result.existing);
      if ('waiting' in result) return reply.code(202).send(result.waiting);
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

  app.get(
    '/v1/inbox/:chatbotId/agents/me/chats',
    {
      config: { permission: 'chatbots.inbox.agents.list', requiresAgent: true, rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: "The signed-in agent's open chats (My chats)",
        description:
          "An agent key's own open assignments, oldest first, a page at a time: what the console's My chats shows (assignedAt says how long each has been theirs). Other keys: 403 key_not_bound_to_agent (an integration lists them with GET …/assignments?agentId=).",
        tags: ['assignments'],
        operationId: 'listMyChats',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(AssignmentListItem, 'AssignmentPage'), description: 'A page of my open chats' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => assignments.list(request.params.chatbotId, agentOf(request.principal), pageOf(request.query)),
  );

  app.get(
    '/v1/inbox/:chatbotId/assignments/:conversationId',
    {
      config: { permission: 'chatbots.inbox.assignments.read', rateClass: 'reads', fieldRules: FIELD_RULES },
      schema: {
        summary: "A conversation's chat as it stands: waiting (position, estimate), assigned (its agent), or how it ended",
        description: 'The newest chat of the conversation. 404 when it never had one (or it ended longer ago than the availability history is kept, HISTORY_DAYS).',
        tags: ['assignments'],
        operationId: 'getChat',
        params: ConversationParams,
        response: { 200: { ...Chat, description: 'The chat' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400, 404) },
      },
    },
    async (request) => assignments.chat(request.params.chatbotId, request.params.conversationId),
  );

  app.get(
    '/v1/inbox/:chatbotId/queue',
    {
      config: { permission: 'chatbots.inbox.assignments.read', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: 'Lists the chats waiting for an agent, in queue order',
        description: 'Higher priority first, then the order they arrived in, a page at a time; each with its position, estimated wait and why it waits (as when it arrived).',
        tags: ['assignments'],
        operationId: 'listQueue',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(QueuedChat, 'QueuePage'), description: 'A page of the queue' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => assignments.queue(request.params.chatbotId, pageOf(request.query)),
  );

  app.get(
    '/v1/inbox/:chatbotId/reports/waiting',
    {
      config: { permission: 'chatbots.inbox.reports.read', rateClass: 'reads', fieldRules: REPORT_FIELD_RULES },
      schema: {
        summary: 'Reports how long chats waited for an agent, and how many were cancelled or expired, per day or week and priority',
        description:
          "Chats by the local day (or week) they arrived in tz, and priority: how many arrived, were assigned, cancelled, expired or still wait, and the p50 and p90 of the assigned ones' wait for their first agent (seconds; a chat assigned at once waited 0). `Accept: text/csv` answers the same rows as CSV. Ended chats are kept as long as the availability history (HISTORY_DAYS).",
        tags: ['reports'],
        operationId: 'reportWaiting',
        params: ChatbotParams,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'The rows, by period then priority (higher first)',
            content: {
              'application/json': { schema: Type.Object({ rows: Type.Array(WaitRow) }, { title: 'WaitReport' }) },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...errorResponses(...PROTECTED_READ_ERRORS, 400),
        },
      } as never,
    },
    async (request, reply) => {
      const { chatbotId } = request.params as { chatbotId: string };
      const rows = await assignments.waitReport(chatbotId, request.query as never);
      if (/\btext\/csv\b/.test(header(request, 'accept') ?? '')) {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="waiting-${chatbotId}.csv"`).send(waitReportCsv(rows));
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({ rows }));
    },
  );

  app.get(
    '/v1/inbox/:chatbotId/reports/offers',
    {
      config: { permission: 'chatbots.inbox.reports.read', rateClass: 'reads', fieldRules: REPORT_FIELD_RULES },
      schema: {
        summary: 'Reports offers per agent: accepted, declined, missed, and the median time to accept',
        description:
          "Offers that ended in the report's period (from its first local day to the end of its last, in tz), per agent: how many were accepted, declined, missed (lapsed unanswered) or withdrawn (the chat released (DELETE) or moved while offered), and the median seconds from offer to accept. `Accept: text/csv` answers the same rows as CSV. Kept as long as the availability history (HISTORY_DAYS).",
        tags: ['reports'],
        operationId: 'reportOffers',
        params: ChatbotParams,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'One row per agent offered a chat in the period, by agent id',
            content: {
              'application/json': {
                schema: Type.Object(
                  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }), agents: Type.Array(OfferTallyRow) },
                  { title: 'OfferReport' },
                ),
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...errorResponses(...PROTECTED_READ_ERRORS, 400),
        },
      } as never,
    },
    async (request, reply) => {
      const { chatbotId } = request.params as { chatbotId: string };
      const report = await assignments.offerReport(chatbotId, request.query as never);
      if (/\btext\/csv\b/.test(header(request, 'accept') ?? '')) {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="offers-${chatbotId}.csv"`).send(offerReportCsv(report.agents));
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
    },
  );

  for (const [verb, summary, description] of [
    [
      'accept',
      'Accepts a chat offered to the signed-in agent',
      "An agent key's own offer (assignment.offered): the chat becomes the agent's, announced as assignment.accepted; the agent's missed offers in a row go back to 0. Accepting a chat already accepted answers it again (a retry). 409 offer_expired once the offer lapsed (it goes on to the next agent within a second); 404 when no offer of the conversation is open to this agent. Other keys: 403 key_not_bound_to_agent.",
    ],
    [
      'decline',
      'Declines a chat offered to the signed-in agent',
      'The chat goes to the next eligible agent (never back to one who declined or missed it) or waits in the queue: announced as assignment.declined, then assignment.offered (or assignment.created) or assignment.waiting. Answers the chat as it stands after. A decline never sets the agent away (a miss may). 409 offer_accepted when the agent accepted it already; 404 when no offer of the conversation is open to this agent.',
    ],
  ] as const) {
    app.post(
      `/v1/inbox/:chatbotId/agents/me/offers/:conversationId/${verb}`,
      {
        config: { permission: 'chatbots.inbox.agents.online.edit', requiresAgent: true, rateClass: 'assignments', fieldRules: FIELD_RULES },
        schema: {
          summary,
          description,
          tags: ['assignments'],
          operationId: verb === 'accept' ? 'acceptOffer' : 'declineOffer',
          params: ConversationParams,
          response: {
            200: verb === 'accept' ? { ...Assignment, description: 'Accepted: the chat is yours' } : { ...Chat, description: 'Declined: the chat as it stands now' },
            ...errorResponses(...PROTECTED_WRITE_ERRORS, 404, 409),
          },
        },
      },
      async (request) => {
        const { chatbotId, conversationId } = request.params;
        const hand = { agentId: agentOf(request.principal)! };
        return verb === 'accept' ? assignments.accept(actorOf(request), hand, chatbotId, conversationId) : assignments.decline(actorOf(request), hand, chatbotId, conversationId);
      },
    );
    app.post(
      `/v1/inbox/:chatbotId/offers/:conversationId/${verb}`,
      {
        // The offer's secret is the credential: no key. Guessing is bounded like guessing keys.
        config: { public: true, fieldRules: { ...FIELD_RULES, secret: "secret must be the offer's secret from its push (data.offer.secret)" } },
        schema: {
          summary: `${verb === 'accept' ? 'Accepts' : 'Declines'} an offer with its secret (the notification's ${verb === 'accept' ? 'Accept' : 'Decline'})`,
          description:
            "No key needed: the secret the offer's push carried (data.offer.secret) acts for its agent on this one offer while it is open, as the agent's own route does. The service worker's Accept and Decline actions send it (the SDK's installInboxServiceWorker). A wrong secret answers 404 and counts against the caller's address like a bad key.",
          tags: ['assignments'],
          operationId: verb === 'accept' ? 'acceptOfferWithSecret' : 'declineOfferWithSecret',
          params: ConversationParams,
          body: OfferSecretBody,
          response: {
            200: verb === 'accept' ? { ...Assignment, description: 'Accepted: the chat is its agent’s' } : { ...Chat, description: 'Declined: the chat as it stands now' },
            ...errorResponses(400, 404, 409, 413, 415, 429, 431, 500, 503),
          },
        },
        onRequest: addressChecked(limits),
      },
      async (request) => {
        const { chatbotId, conversationId } = request.params;
        const hand = { secret: request.body.secret };
        try {
          return verb === 'accept'
            ? await assignments.accept({ kind: 'service' }, hand, chatbotId, conversationId)
            : await assignments.decline({ kind: 'service' }, hand, chatbotId, conversationId);
        } catch (error) {
          if (error instanceof AppError && error.code === 'not_found') await limits.failedFromAddress(request);
          throw error;
        }
      },
    );
  }

  app.delete(
    '/v1/inbox/:chatbotId/assignments/:conversationId',
    {
      config: { permission: 'chatbots.inbox.assignments.edit', rateClass: 'assignments', fieldRules: FIELD_RULES },
      schema: {
        summary: 'Ends a chat: releases an assigned one (its agent has room again), cancels a waiting one (the visitor left)',
        description:
          'Released: announced as assignment.released, and the queue drains into the room it frees in the same unit of work. Cancelled: announced as assignment.cancelled. 404 when the conversation has neither.',
        tags: ['assignments'],
        operationId: 'releaseAssignment',
        params: ConversationParams,
        response: { 204: { type: 'null', description: 'Released or cancelled' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400, 404) },
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
          'With agentId, to that member if it can take the chat (available, with room, holding the skills the chat requires); without, to the next eligible member by the strategy, never the one who has it. Nobody can: 409 no_agent_available, and the chat stays where it was.',
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

  app.put(
    '/v1/chatbots/:chatbotId/members/:agentId/skills',
    {
      config: { permission: 'chatbots.members.edit', rateClass: 'admin', fieldRules: { skills: SKILLS_RULE } },
      schema: {
        summary: "Sets a member's skills in a chatbot",
        description: `The list replaces the member's skills (at most ${MAX_MEMBER_SKILLS}; [] for none), kept sorted, each once. A chat that requires skills (requiredSkills) goes only to a member holding every one; the others are considered missing_skill. Chats waiting for a skill the member now holds are assigned to it in the same unit of work when it has room. Recorded in the audit log as member.skills_changed.`,
        tags: ['chatbots'],
        operationId: 'setMemberSkills',
        params: ChatbotAgentParams,
        body: SkillsBody,
        response: { 200: { ...MemberSkills, description: "The member's skills as they stand" }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request) => assignments.setSkills(actorOf(request), request.params.chatbotId, request.params.agentId, request.body.skills),
  );
};
