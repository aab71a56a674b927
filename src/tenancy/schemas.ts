import { Type, type Static } from 'typebox';
import { NullableWorkingHours } from '../availability/schemas.js';
import { PageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';

/** Request and answer shapes of the provisioning routes for chatbots, agents and memberships. */

export const NAME_RULE = (what: string) => `name must be 1 to 200 characters (the ${what}'s name)`;
export const EMAIL_RULE = 'email must be an e-mail address of at most 320 characters, or null';
export const EXTERNAL_ID_RULE = "externalId must be 1 to 200 visible characters (your product's own id for this person), or null";
export const ROLE_RULE = 'role must be "agent" or "admin"';
export const REASSIGN_AFTER_RULE = 'reassignAfterSeconds must be a whole number of seconds from 10 to 86400, or null (never)';
export const AUTO_REASSIGN_RULE = 'autoReassign must be true or false';
export const OFFER_TIMEOUT_RULE = 'offerTimeoutSeconds must be a whole number of seconds from 5 to 600, or null (assign without an offer)';
export const AWAY_AFTER_MISSED_RULE = 'awayAfterMissedOffers must be a whole number from 1 to 100, or null (never)';
export const IDLE_AFTER_RULE = 'idleAfterSeconds must be a whole number of seconds from 30 to 86400';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.Union([Type.String({ minLength: 3, maxLength: 320 }), Type.Null()], { description: 'An e-mail address, or null.' });
const ExternalIdValue = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[\\x21-\\x7E]+$',
  description: "The embedding product's own id for this person; unique per install.",
});
const Role = Type.Union([Type.Literal('agent'), Type.Literal('admin')], { description: "agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`)." });
const Time = Type.String({ format: 'date-time' });

const IdleAfterSeconds = Type.Integer({
  minimum: 30,
  maximum: 86_400,
  description:
    'Seconds without reported activity (POST agents/me/activity) after which an agent is away with reason idle. Agents whose clients never report activity are never idle.',
  examples: [600],
});

const ReassignAfterSeconds = Type.Union([Type.Integer({ minimum: 10, maximum: 86_400 }), Type.Null()], {
  description:
    'Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120.',
});
const OfferTimeoutSeconds = Type.Union([Type.Integer({ minimum: 5, maximum: 600 }), Type.Null()], {
  description:
    'Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer.',
});
const AwayAfterMissedOffers = Type.Union([Type.Integer({ minimum: 1, maximum: 100 }), Type.Null()], {
  description: "Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1.",
});
const AutoReassign = Type.Boolean({ description: 'Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default).' });

export const Chatbot = Type.Object(
  {
    id: Type.String({ examples: ['cb_3kq9wz1x8v7c6b5n'] }),
    name: Type.String(),
    idleAfterSeconds: Type.Integer(),
    workingHours: NullableWorkingHours,
    reassignAfterSeconds: ReassignAfterSeconds,
    autoReassign: AutoReassign,
    offerTimeoutSeconds: OfferTimeoutSeconds,
    awayAfterMissedOffers: AwayAfterMissedOffers,
    createdAt: Time,
  },
  { title: 'Chatbot' },
);
export type Chatbot = Static<typeof Chatbot>;

export const ChatbotBody = Type.Object({ name: Name, idleAfterSeconds: Type.Optional({ ...IdleAfterSeconds, default: undefined }) }, { additionalProperties: false });

export const ChatbotChanges = Type.Object(
  {
    name: Type.Optional(Name),
    idleAfterSeconds: Type.Optional(IdleAfterSeconds),
    workingHours: Type.Optional(NullableWorkingHours),
    reassignAfterSeconds: Type.Optional(ReassignAfterSeconds),
    autoReassign: Type.Optional(AutoReassign),
    offerTimeoutSeconds: Type.Optional(OfferTimeoutSeconds),
    awayAfterMissedOffers: Type.Optional(AwayAfterMissedOffers),
  },
  { additionalProperties: false, minProperties: 1, description: 'The fields to change; at least one.' },
);

export const Membership = Type.Object({ chatbotId: Type.String(), role: Role });

export const Agent = Type.Object(
  {
    id: Type.String({ examples: ['ag_7hq2m4x9c2v5b8n1'] }),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    externalId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Time,
    memberships: Type.Array(Membership, { description: 'The chatbots the agent belongs to, with its role in each.' }),
  },
  { title: 'Agent' },
);
export type Agent = Static<typeof Agent>;

export const CreateAgentBody = Type.Object(
  { name: Name, email: Type.Optional(Email), externalId: Type.Optional(Type.Union([ExternalIdValue, Type.Null()])) },
  { additionalProperties: false },
);

export const UpsertAgentBody = Type.Object({ name: Name, email: Type.Optional(Email) }, { additionalProperties: false });

export const UpdateAgentBody = Type.Object(
  { name: Type.Optional(Name), email: Type.Optional(Email), externalId: Type.Optional(Type.Union([ExternalIdValue, Type.Null()])) },
  { additionalProperties: false },
);

export const Member = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    externalId: Type.Union([Type.String(), Type.Null()]),
    role: Role,
    addedAt: Time,
    skills: Type.Array(Type.String(), {
      description: 'Its skills in this chatbot, sorted: a chat that requires skills goes only to a member holding every one (PUT …/skills sets them).',
    }),
  },
  { title: 'Member' },
);
export type Member = Static<typeof Member>;

export const MemberBody = Type.Object({ role: Role }, { additionalProperties: false });

export const AgentParams = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: 200, description: 'The ID of the agent.' }) });
export const ExternalIdParams = Type.Object({ externalId: ExternalIdValue });
export const MemberParams = Type.Object({ ...ChatbotParams.properties, ...AgentParams.properties });

export const AgentListQuery = Type.Object({
  ...PageQuery.properties,
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Only the agents with this e-mail address.' })),
  externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only the agent with this externalId.' })),
});

export const ChatbotPage = PageOf(Chatbot, 'ChatbotPage');
export const AgentPage = PageOf(Agent, 'AgentPage');
export const MemberPage = PageOf(Member, 'MemberPage');
