import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from './actor.js';
import { AppError, errorResponses, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { addressChecked, type RateLimits } from '../http/rate-limits.js';
import { ChatbotParams } from '../http-schemas.js';
import type { KeyService } from './keys.js';
import { browserName, type LoginLinkService } from './login-links.js';

const LoginLink = Type.Object(
  {
    url: Type.String({
      description: 'Open it in the browser the agent will use: `<PUBLIC_URL>/app/#login=<token>`. Works once.',
      examples: ['https://inbox.example.com/app/#login=Xy3…'],
    }),
    expiresAt: Type.String({ format: 'date-time', description: 'The link works until then (15 minutes).' }),
  },
  { title: 'LoginLink' },
);
const ExchangeBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'What follows `#login=` in the link.' }),
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'What the browser\'s key is called in the agent\'s keys (default: from the User-Agent, e.g. "Chrome on Linux").' }),
    ),
  },
  { additionalProperties: false, title: 'LoginLinkExchange' },
);
const BrowserKey = Type.Object(
  {
    key: Type.String({ description: "The browser's key, shown this once: send it as x-chatcaptain-key. Never put it in a URL." }),
    keyId: Type.String(),
    agentId: Type.String(),
    chatbotId: Type.String({ description: "The chatbot the link was made for (the key acts in all of the agent's chatbots)." }),
    name: Type.String(),
    expiresAt: Type.String({ format: 'date-time', description: 'The key ends then unless used before: 30 days after its last use.' }),
  },
  { title: 'BrowserKey' },
);
const MemberParams = Type.Object({ chatbotId: ChatbotParams.properties.chatbotId, agentId: Type.String({ minLength: 1, maxLength: 200 }) });

/** Sign-in links: made by a chatbot's admins (or operators), opened by the agent's browser. */
export const loginLinkRoutes: FastifyPluginAsyncTypebox<{ loginLinks: LoginLinkService; keys: KeyService; limits: RateLimits; publicUrl: string | null }> = async (
  app,
  { loginLinks, keys, limits, publicUrl },
) => {
  app.post(
    '/v1/inbox/:chatbotId/agents/:agentId/login-links',
    {
      config: { permission: 'chatbots.keys.create', rateClass: 'admin' },
      schema: {
        summary: 'Makes a single-use sign-in link for an agent (valid 15 minutes)',
        description:
          "Opening the link in a browser gives that browser a key of its own (see the exchange). Who makes it must be able to make the agent a key: an admin of the chatbot (and of the agent's other chatbots, if any), or an operator key.",
        tags: ['keys'],
        operationId: 'createLoginLink',
        params: MemberParams,
        response: { 201: { ...LoginLink, description: 'The link' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const baseUrl = publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send(await loginLinks.create(actorOf(request), { ...request.params, baseUrl }));
    },
  );
  app.post(
    '/v1/login-links/exchange',
    {
      // The token is the secret: no key.
      config: { public: true, fieldRules: { token: 'token must be the text after #login= in the sign-in link', name: 'name must be 1 to 200 characters' } },
      schema: {
        summary: "Opens a sign-in link: exchanges its token for the browser's own key",
        description:
          "No key needed: the token is the secret. The new key is an agent key, listed and revocable with the agent's keys, that ends after 30 days unused; signing out revokes it (`DELETE /v1/inbox/{chatbotId}/agents/me/key`). A used, expired or unknown token answers 410, and counts against the caller's address like a bad key.",
        tags: ['keys'],
        operationId: 'exchangeLoginLink',
        body: ExchangeBody,
        response: { 201: { ...BrowserKey, description: "The browser's key" }, ...errorResponses(400, 410, 413, 415, 429, 431, 500, 503) },
      },
      // Guessing tokens is bounded like guessing keys: the address's budget for failures.
      onRequest: addressChecked(limits),
    },
    async (request, reply) => {
      try {
        const answer = await loginLinks.exchange({ token: request.body.token, name: request.body.name ?? browserName(request.headers['user-agent']), requestId: request.id });
        return await reply.code(201).send(answer);
      } catch (error) {
        if (error instanceof AppError && error.code === 'login_link_invalid') await limits.failedFromAddress(request);
        throw error;
      }
    },
  );
  app.delete(
    '/v1/inbox/:chatbotId/agents/me/key',
    {
      config: { permission: 'chatbots.inbox.agents.online.edit', requiresAgent: true, rateClass: 'settings' },
      schema: {
        summary: 'Signs out: revokes the agent key this request is made with',
        description:
          'What a browser\'s "Sign out" does with the key its sign-in link gave it; any agent key may revoke itself. Every later request with the key answers 401 revoked_key.',
        tags: ['keys'],
        operationId: 'signOut',
        params: ChatbotParams,
        response: { 204: { description: 'Revoked', type: 'null' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request, reply) => {
      await keys.revokeKey(actorOf(request), request.principal!.keyId, 'any');
      return reply.code(204).send(null);
    },
  );
};
