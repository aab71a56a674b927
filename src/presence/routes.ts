import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { header } from '../http/headers.js';
import { ChatbotParams } from '../http-schemas.js';
import { ListHeaders, OnlineList, SetOnlineBody, SetOnlineResult } from './schemas.js';
import type { ListAnswer, PresenceService } from './service.js';

/** Whether an If-None-Match header names this ETag (weak or strong, in a list or alone). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Answers the list, or an empty 304 when the client's If-None-Match holds its ETag. */
function sendList(ifNoneMatch: string | undefined, reply: FastifyReply, { body, etag, headers }: ListAnswer): FastifyReply {
  // A 304 has no body, so no Content-Type or Content-Length either (RFC 9110 section 15.4.5).
  if (etagMatches(ifNoneMatch, etag)) return reply.headers(headers.notModified).code(304).send();
  // Fastify sends a Buffer as is: the typed reply is told it gets the OnlineList it documents.
  return reply.headers(headers.ok).send(body);
}

export const LIST_ROUTE = '/v1/inbox/:chatbotId/agents/online';
export const LIST_PERMISSION = 'chatbots.inbox.agents.list';

/** The presence half of the Inbox agents API. */
export const presenceRoutes: FastifyPluginAsyncTypebox<{ presence: PresenceService }> = async (app, { presence }) => {
  app.get(
    LIST_ROUTE,
    {
      // If-None-Match is documented rather than validated: validating headers makes Node build
      // the whole headers object, on the hottest route (see http/headers.ts).
      config: { permission: 'chatbots.inbox.agents.list', rateClass: 'reads', documentedHeaders: ListHeaders },
      schema: {
        summary: "Lists the online status of every agent of a chatbot",
        description: 'Answers with an `ETag`; a request with `If-None-Match` set to it gets an empty 304 while nothing changed.',
        tags: ['presence'],
        operationId: 'listAgentsOnline',
        params: ChatbotParams,
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
      const ifNoneMatch = header(request, 'if-none-match');
      if (cached) return void sendList(ifNoneMatch, reply, cached);
      return presence.listJson(request.params.chatbotId).then((list) => void sendList(ifNoneMatch, reply, list));
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
