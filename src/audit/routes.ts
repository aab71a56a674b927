import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, PROTECTED_READ_ERRORS } from '../errors.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';
import { AUDIT_ACTIONS, type AuditAction, type AuditService } from './service.js';

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const AuditEntry = Type.Object(
  {
    id: Type.String({ examples: ['aud_3kq9wz1x8v7c6b5n'] }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object(
      {
        keyId: Nullable('The key that made the change; null for the CLI.'),
        kind: Type.Union([Type.Literal('agent'), Type.Literal('chatbot'), Type.Literal('operator'), Type.Literal('cli'), Type.Literal('login_link'), Type.Literal('service')], {
          description: "The key's kind, cli, login_link (a sign-in link opened in a browser), or service (the service by itself: an orphaned chat moved).",
        }),
        name: Nullable(
          "Who acted, as a person reads it: an agent key's agent name, another key's own name; null for the CLI, the service, a key without a name, or one deleted since.",
        ),
        agentId: Nullable('The agent an agent key acts as; null for other keys.'),
      },
      { description: 'Who made the change.' },
    ),
    action: Type.Unsafe<AuditAction>({ type: 'string', enum: [...AUDIT_ACTIONS], description: 'What was done.' }),
    chatbotId: Nullable('The chatbot it concerns, if any.'),
    agentId: Nullable('The agent it concerns, if any.'),
    keyId: Nullable('The key it concerns, if any.'),
    requestId: Nullable('The HTTP request that made it (its x-request-id and log line); null for the CLI.'),
    detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'What changed: a name, a role, grants. Never a secret.' }),
  },
  { title: 'AuditEntry' },
);

const AuditPage = PageOf(AuditEntry, 'AuditPage');

/** The audit log, newest first: of the whole install (operator keys), or of one chatbot. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/v1/audit',
    {
      config: { permission: 'audit.read', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: 'Lists the audit log of the install',
        description: 'Every administrative change (HTTP or CLI), newest first, a page at a time.',
        tags: ['audit'],
        operationId: 'listAudit',
        querystring: PageQuery,
        response: { 200: { ...AuditPage, description: 'A page of entries' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => audit.list({}, pageOf(request.query, { descending: true })),
  );

  app.get(
    '/v1/chatbots/:chatbotId/audit',
    {
      config: { permission: 'chatbots.audit.read', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: "Lists a chatbot's audit log",
        description: 'The changes that concern this chatbot (its members, keys, name), newest first, a page at a time.',
        tags: ['audit'],
        operationId: 'listChatbotAudit',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...AuditPage, description: 'A page of entries' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => audit.list({ chatbotId: request.params.chatbotId }, pageOf(request.query, { descending: true })),
  );
};
