import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import { ListHeaders, OnlineList, SetOnlineBody, SetOnlineResult } from './schemas.js';
import type { PresenceService } from './service.js';

/** Answers the list, or an empty 304 when the client's If-None-Match holds its ETag. */
function sendList(ifNoneMatch: string | undefined, reply: FastifyReply, { body, etag }: { body: Buffer; etag: string }): FastifyReply {
  reply.header('etag', etag).header('cache-control', 'no-cache');
  // RFC 9110 section 15.4.5: a 304 has no body, so no Content-Type or Content-Length either.
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  // Fastify sends a Buffer as is: the typed reply is told it gets the OnlineList it documents.
  return reply.type('application/json; charset=utf-8').send(body);
}

/** The presence half of the Inbox agents API. */
export const presenceRoutes: FastifyPluginAsyncTypebox<{ presence: PresenceService }> = async (app, { presence }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/online',
    {
      config: { permission: 'chatbots.inbox.agents.list', rateClass: 'reads' },
      schema: {
        summary: "Lists the online status of every agent of a chatbot",
        description: 'Answers with an `ETag`; a request with `If-None-Match` set to it gets an empty 304 while nothing changed.',
        tags: ['presence'],
        operationId: 'listAgentsOnline',
        params: ChatbotParams,
        headers: ListHeaders,
        response: {
          200: { ...OnlineList, description: "Every member of the chatbot with its listed status, ordered by name" },
          304: { description: 'Not modified since the ETag sent in If-None-Match: no body', type: 'null' },
          ...errorResponses(...PROTECTED_READ_ERRORS),
        },
      },
    },
    (request, reply): void | Promise<void> => {
      // The list is cached already serialized (see presenceService.listJson). A cached list is
      // answered in the same turn that read the request: awaiting it would defer the answer to
      // a microtask, which costs more than everything else this route does.
      const cached = presence.cachedListJson(request.params.chatbotId);
      if (cached) return void sendList(request.headers['if-none-match'], reply, cached);
      return presence.listJson(request.params.chatbotId).then((list) => void sendList(request.headers['if-none-match'], reply, list));
    },
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/online',
    {
      config: {
        permission: 'chatbots.inbox.agents.online.edit',
        requiresAgent: true,
        rateClass: 'status',
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
        response: { 200: { ...SetOnlineResult, description: 'The status that stands after this request, and whether this request set it' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request) => presence.setOwnStatus(request.params.chatbotId, agentOf(request.principal), request.body),
  );
};
