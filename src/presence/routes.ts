import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import { OnlineList, SetOnlineBody, SetOnlineResult } from './schemas.js';
import type { PresenceService } from './service.js';

/** The presence half of the Inbox agents API. */
export const presenceRoutes: FastifyPluginAsyncTypebox<{ presence: PresenceService }> = async (app, { presence }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/online',
    {
      config: { permission: 'chatbots.inbox.agents.list' },
      schema: {
        summary: "Lists all agent's online status from a chatbot",
        description: 'Answers with an `ETag`; a request with `If-None-Match` set to it gets an empty 304 while nothing changed.',
        tags: ['presence'],
        operationId: 'listAgentsOnline',
        params: ChatbotParams,
        response: { 200: OnlineList, 304: { description: 'Not modified since the ETag sent in If-None-Match', type: 'null' }, ...errorResponses(...PROTECTED_READ_ERRORS) },
      },
    },
    async (request, reply) => {
      // The list is cached already serialized (see presenceService.listJson); Fastify sends a
      // Buffer as is, so the typed reply is told it is getting the OnlineList it documents.
      const { body, etag } = await presence.listJson(request.params.chatbotId);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      // Polling clients send the ETag back and get an empty 304 while nothing changed.
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.code(304).send(null as never);
      return reply.type('application/json; charset=utf-8').send(body as unknown as OnlineList);
    },
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/online',
    {
      config: {
        permission: 'chatbots.inbox.agents.online.edit',
        requiresAgent: true,
        fieldRules: {
          clientTimestamp:
            'clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone',
        },
      },
      schema: {
        summary: "Sets the agent's own online status",
        description:
          'Last writer wins by clientTimestamp across all of the agent\'s keys and devices. A stale update answers 200 with applied=false and still counts as a sign of life. A clientTimestamp more than MAX_CLIENT_CLOCK_AHEAD_SECONDS ahead of the server clock is refused.',
        tags: ['presence'],
        operationId: 'setOwnOnlineStatus',
        params: ChatbotParams,
        body: SetOnlineBody,
        response: { 200: SetOnlineResult, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request) => presence.setOwnStatus(request.params.chatbotId, agentOf(request.principal), request.body),
  );
};
