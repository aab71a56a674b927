import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { agentOf } from '../auth/hook.js';
import type { Principal } from '../auth/service.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { header } from '../http/headers.js';
import { ChatbotParams } from '../http-schemas.js';
import { ActivityResult, AvailabilitySummary, ChosenStatusBody, ChosenStatusResult, ListHeaders, OnlineList, SetOnlineBody, SetOnlineResult } from './schemas.js';
import type { ListAnswer } from './list-answers.js';
import type { PresenceService } from './service.js';

/** Whether an If-None-Match header names this ETag (weak or strong, in a list or alone). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag) === true;
}

/** Answers the list, or an empty 304 when the client's If-None-Match holds its ETag. */
function sendList(ifNoneMatch: string | undefined, reply: FastifyReply, { body, etag, headers }: ListAnswer): FastifyReply {
  // A 304 has no body, so no Content-Type or Content-Length either (RFC 9110 section 15.4.5).
  if (etagMatches(ifNoneMatch, etag)) return reply.headers(headers.notModified).code(304).send();
  // Fastify sends a Buffer as is: the typed reply is told it gets the OnlineList it documents.
  return reply.headers(headers.ok).send(body);
}

const CLIENT_TIMESTAMP_RULE = 'clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone';

/** The device a request speaks for: its key (a browser's own, from its sign-in link; an app's; a ticket's maker). */
const deviceOf = (principal: Principal | null): string => principal!.keyId;

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
        summary: 'Lists the online status of every agent of a chatbot',
        description: 'Answers with an `ETag`; a request with `If-None-Match` set to it gets an empty 304 while nothing changed.',
        tags: ['presence'],
        operationId: 'listAgentsOnline',
        params: ChatbotParams,
        response: {
          200: { ...OnlineList, description: 'Every member of the chatbot with its listed status, ordered by name' },
          304: { description: 'Not modified since the ETag sent in If-None-Match: no body', type: 'null' },
          ...errorResponses(...PROTECTED_READ_ERRORS),
        },
      },
    },
    (request, reply): void | Promise<void> => {
      // The list is cached already serialized (see presenceService.listJson). A cached list is
      // answered in the same turn that read the request: awaiting it would defer the answer to
      // a microtask, which costs more than everything else this route does.
      const cached = presence.lists.cached(request.params.chatbotId);
      const ifNoneMatch = header(request, 'if-none-match');
      if (cached) return void sendList(ifNoneMatch, reply, cached);
      return presence.lists.list(request.params.chatbotId).then((list) => void sendList(ifNoneMatch, reply, list));
    },
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/online',
    {
      config: {
        permission: 'chatbots.inbox.agents.online.edit',
        requiresAgent: true,
        rateClass: 'status',
        fieldRules: { clientTimestamp: CLIENT_TIMESTAMP_RULE },
      },
      schema: {
        summary: "Sets the agent's own online status",
        description:
          "Last writer wins by clientTimestamp across all of the agent's keys and devices. A stale update answers 200 with applied=false and still counts as a sign of life. A clientTimestamp more than MAX_CLIENT_CLOCK_AHEAD_SECONDS ahead of the server clock is refused.",
        tags: ['presence'],
        operationId: 'setOwnOnlineStatus',
        params: ChatbotParams,
        body: SetOnlineBody,
        response: {
          200: { ...SetOnlineResult, description: 'The status that stands after this request, and whether this request set it' },
          ...errorResponses(...PROTECTED_WRITE_ERRORS),
        },
      },
    },
    async (request) => presence.setOwnStatus(request.params.chatbotId, agentOf(request.principal), deviceOf(request.principal), request.body),
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/status',
    {
      config: {
        permission: 'chatbots.inbox.agents.online.edit',
        requiresAgent: true,
        rateClass: 'status',
        fieldRules: {
          clientTimestamp: CLIENT_TIMESTAMP_RULE,
          status: 'status must be "available", "away", "busy" or "dnd"',
          text: 'text must be at most 100 characters, or null',
          until: 'until must be an ISO-8601 date-time with a time zone, or null',
        },
      },
      schema: {
        summary: "Sets the agent's own chosen status: available, away, busy or do not disturb",
        description:
          'Ordered by its own clientTimestamp (last writer wins), apart from POST agents/me/online: `online: false` still means offline, and `online: true` returns to the chosen status. With `until`, the status lapses by itself at that moment (announced then) and the agent is available again. Also a sign of life. Answers with the state the availability rule derives afterwards.',
        tags: ['presence'],
        operationId: 'setOwnChosenStatus',
        params: ChatbotParams,
        body: ChosenStatusBody,
        response: {
          200: { ...ChosenStatusResult, description: 'The chosen status that stands, whether this request set it, and the derived state' },
          ...errorResponses(...PROTECTED_WRITE_ERRORS),
        },
      },
    },
    async (request) => presence.setChosenStatus(request.params.chatbotId, agentOf(request.principal), deviceOf(request.principal), request.body),
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/activity',
    {
      config: { permission: 'chatbots.inbox.agents.online.edit', requiresAgent: true, rateClass: 'status' },
      schema: {
        summary: 'Reports that the person at a client of the agent is active',
        description:
          "No body. Send it while the person uses the client (input in the last minute), at most every 30 s. After the chatbot's idleAfterSeconds without a report from any of the agent's clients, the agent is away with reason idle; the next report makes it available again. Also a sign of life of the device (the key) that sends it. Cheap: at most one stored write per device per 30 s, and nothing is announced unless what clients see changes. Agents whose clients never report activity are never idle.",
        tags: ['presence'],
        operationId: 'reportOwnActivity',
        params: ChatbotParams,
        response: { 200: { ...ActivityResult, description: 'The report was taken' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request) => presence.reportActivity(request.params.chatbotId, agentOf(request.principal), deviceOf(request.principal)),
  );

  app.get(
    '/v1/inbox/:chatbotId/availability',
    {
      config: { permission: 'chatbots.inbox.availability.read', rateClass: 'reads', documentedHeaders: ListHeaders },
      schema: {
        summary: "Summarizes the chatbot's availability: agents by state, whether anyone is available, when the next is due",
        description:
          'What a chat widget needs to say "we reply in a few minutes" or "we\'re back at 9:00". A widget\'s chatbot key may hold `chatbots.inbox.availability.read` alone. Answers with an `ETag`; `If-None-Match` set to it gets an empty 304 while nothing changed.',
        tags: ['presence'],
        operationId: 'getAvailability',
        params: ChatbotParams,
        response: {
          200: { ...AvailabilitySummary, description: 'The summary now' },
          304: { description: 'Not modified since the ETag sent in If-None-Match: no body', type: 'null' },
          ...errorResponses(...PROTECTED_READ_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const summary = await presence.lists.summary(request.params.chatbotId);
      return sendList(header(request, 'if-none-match'), reply, summary);
    },
  );
};
