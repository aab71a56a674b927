import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/actor.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';
import { EMAIL_RULE, NAME_RULE, ROLE_RULE } from '../tenancy/schemas.js';
import type { InvitationService } from './service.js';

const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Role = Type.Union([Type.Literal('agent'), Type.Literal('admin')], {
  description: "The role the new member gets: agent (the inbox) or admin (also the chatbot's administration).",
});

const InvitationFields = {
  id: Type.String({ examples: ['inv_5tq1m4x9c2v5b8n1'] }),
  name: Type.String({ description: "The new agent's name." }),
  email: Type.String({ description: "The new agent's e-mail address. No mail is sent: hand the link over yourself." }),
  role: Role,
  state: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('revoked'), Type.Literal('expired')], {
    description: 'pending: the link works; accepted: it was opened and made the agent (agentId); revoked; expired (7 days after it was made).',
  }),
  createdAt: Time,
  expiresAt: { ...Time, description: 'The link works until then: 7 days after the invitation was made.' },
  invitedBy: Nullable(Type.String({ description: 'The id of the key that invited; null: the admin CLI.' })),
  acceptedAt: Nullable(Time),
  agentId: Nullable(Type.String({ description: 'The agent the invitation made, once accepted.' })),
  revokedAt: Nullable(Time),
};
const Invitation = Type.Object(InvitationFields, { title: 'Invitation' });
const NewInvitation = Type.Object(
  {
    ...InvitationFields,
    url: Type.String({
      description:
        "The single-use sign-in link, shown this once: `<PUBLIC_URL>/app/#login=<token>`. Opened in a browser, it makes the agent, its membership and that browser's key.",
      examples: ['https://inbox.example.com/app/#login=Xy3…'],
    }),
  },
  { title: 'NewInvitation' },
);
const InvitationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: "The person's name, as the team will see it." }),
    email: Type.String({ minLength: 3, maxLength: 320, description: "The person's e-mail address." }),
    role: Type.Optional(Role),
  },
  { additionalProperties: false },
);
const InvitationParams = Type.Object({ ...ChatbotParams.properties, invitationId: Type.String({ minLength: 1, maxLength: 200 }) });

/** Invitations: a chatbot's admins bring new colleagues in with a sign-in link. */
export const invitationRoutes: FastifyPluginAsyncTypebox<{ invitations: InvitationService; publicUrl: string | null }> = async (app, { invitations, publicUrl }) => {
  app.post(
    '/v1/chatbots/:chatbotId/invitations',
    {
      config: {
        permission: 'chatbots.members.edit',
        rateClass: 'admin',
        fieldRules: { name: NAME_RULE('invitee'), email: EMAIL_RULE.replace(', or null', ''), role: ROLE_RULE },
      },
      schema: {
        summary: 'Invites a person to the chatbot: a single-use sign-in link that makes them an agent (valid 7 days)',
        description:
          'Opening the link (`POST /v1/login-links/exchange`, as the console does) creates a **new** agent with this name and e-mail, makes it a member with the role, and gives that browser its own key. No existing agent is looked up or bound, so the answer is the same whatever the address. A new invitation of the same address to this chatbot revokes its pending one. A key may invite only to a role whose permissions it holds here (`admin` needs `chatbots.*`).',
        tags: ['chatbots'],
        operationId: 'createInvitation',
        params: ChatbotParams,
        body: InvitationBody,
        response: { 201: { ...NewInvitation, description: 'The invitation and its link' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const baseUrl = publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send(await invitations.create(actorOf(request), { chatbotId: request.params.chatbotId, ...request.body, baseUrl }));
    },
  );

  app.get(
    '/v1/chatbots/:chatbotId/invitations',
    {
      config: { permission: 'chatbots.members.edit', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: "Lists the chatbot's invitations, pending and ended",
        description: 'In the order they were made, each with its state. Ended ones (accepted, revoked, expired) are kept 30 days. Links are never shown again.',
        tags: ['chatbots'],
        operationId: 'listInvitations',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(Invitation, 'InvitationPage'), description: 'A page of invitations' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400, 404) },
      },
    },
    async (request) => invitations.list(request.params.chatbotId, pageOf(request.query)),
  );

  app.delete(
    '/v1/chatbots/:chatbotId/invitations/:invitationId',
    {
      config: { permission: 'chatbots.members.edit', rateClass: 'admin' },
      schema: {
        summary: 'Revokes a pending invitation',
        description:
          'Its link stops working at once (it then answers 410 like a used link). Revoking one already revoked or expired changes nothing (204); one already accepted is 409 `invitation_accepted`: remove the member instead.',
        tags: ['chatbots'],
        operationId: 'revokeInvitation',
        params: InvitationParams,
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses(...PROTECTED_READ_ERRORS, 404, 409) },
      },
    },
    async (request, reply) => {
      await invitations.revoke(actorOf(request), request.params.chatbotId, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );
};
