import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams, NullableDateTime } from '../http-schemas.js';
import { MAX_DEBOUNCE_SECONDS, MAX_WEBHOOKS_PER_CHATBOT, type WebhookService } from './service.js';

const Webhook = Type.Object(
  {
    id: Type.String({ examples: ['whk_3kq9wz1x8v7c6b5n'] }),
    url: Type.String(),
    debounceSeconds: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Webhook' },
);
const NewWebhook = Type.Object(
  {
    ...Webhook.properties,
    secret: Type.String({ description: 'The signing secret (whsec_…), shown only here: verify each message with it (any Standard Webhooks library).' }),
  },
  { title: 'NewWebhook' },
);
const WebhookBody = Type.Object(
  {
    url: Type.String({ maxLength: 2048, description: 'Where messages are POSTed: an https URL on a public host.' }),
    debounceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_DEBOUNCE_SECONDS,
        description: `Wait this long after a change before sending it (default 0): a later change replaces it, and one back to what was last sent sends nothing. At most ${MAX_DEBOUNCE_SECONDS}.`,
      }),
    ),
  },
  { additionalProperties: false, title: 'WebhookRequest' },
);
const WebhookDelivery = Type.Object(
  {
    id: Type.String({ description: 'The message id, sent as webhook-id.' }),
    agentId: Type.String(),
    state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('expired'), Type.Literal('skipped')]),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'refused (a 4xx answer), ttl (24 h of retries ran out), unchanged (a debounced flap).' }),
    attempts: Type.Integer(),
    lastStatus: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: NullableDateTime('When the receiver accepted it.'),
    nextAttemptAt: NullableDateTime('While pending: the next attempt.'),
    payload: Type.Unknown({
      description:
        '{ type: "agent.availability.changed", timestamp, data: { chatbotId, agent } }, or { type: "assignment.orphaned" | "assignment.created" | "assignment.transferred" | "assignment.released" | "assignment.waiting" | "assignment.cancelled" | "assignment.expired" | "assignment.offered" | "assignment.accepted" | "assignment.declined" | "assignment.offer_missed", timestamp, data } (data as on the stream)',
    }),
  },
  { title: 'WebhookDelivery' },
);
const WebhookParams = Type.Object({ chatbotId: ChatbotParams.properties.chatbotId, webhookId: Type.String({ minLength: 1, maxLength: 200 }) });

/** Webhooks for integrations: availability changes, signed (Standard Webhooks), through an outbox. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  const config = { permission: 'chatbots.webhooks.edit' as const, rateClass: 'admin' as const };
  app.post(
    '/v1/inbox/:chatbotId/webhooks',
    {
      config: {
        ...config,
        fieldRules: { debounceSeconds: `debounceSeconds must be a whole number from 0 to ${MAX_DEBOUNCE_SECONDS}`, url: 'url must be an https URL of at most 2048 characters' },
      },
      schema: {
        summary: 'Registers a webhook for availability changes',
        description: `Every change of an agent's state, reason or status text is POSTed as \`{ "type": "agent.availability.changed", "timestamp", "data": { "chatbotId", "agent": <list entry> } }\`; an agent gone from its assigned chats as \`{ "type": "assignment.orphaned", "timestamp", "data": { "chatbotId", "agentId", "conversations", "moved" } }\`; a chat assigned, moved or released as \`assignment.created\`, \`assignment.transferred\` and \`assignment.released\`, and one put in the waiting queue, cancelled or expired as \`assignment.waiting\`, \`assignment.cancelled\`, \`assignment.expired\`, and the steps of an offer as \`assignment.offered\`, \`assignment.accepted\`, \`assignment.declined\`, \`assignment.offer_missed\`, with the stream event's data (never debounced). Signed as Standard Webhooks specifies (headers webhook-id, webhook-timestamp, webhook-signature). Retried with backoff for 24 h on network errors, 5xx, 408 and 429; any other answer but 2xx fails it. Private and loopback targets are refused, as for pushes. At most ${MAX_WEBHOOKS_PER_CHATBOT} per chatbot.`,
        tags: ['webhooks'],
        operationId: 'createWebhook',
        params: ChatbotParams,
        body: WebhookBody,
        response: { 201: { ...NewWebhook, description: 'The webhook, with its secret (shown once)' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request, reply) => reply.code(201).send(await webhooks.create(request.params.chatbotId, request.body)),
  );
  app.get(
    '/v1/inbox/:chatbotId/webhooks',
    {
      config: { ...config, fieldRules: PAGE_RULES },
      schema: {
        summary: "Lists a chatbot's webhooks (without secrets)",
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        params: ChatbotParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(Webhook, 'WebhookPage'), description: 'A page of webhooks' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => webhooks.list(request.params.chatbotId, pageOf(request.query)),
  );
  app.delete(
    '/v1/inbox/:chatbotId/webhooks/:webhookId',
    {
      config,
      schema: {
        summary: 'Removes a webhook and its messages',
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        params: WebhookParams,
        response: { 204: { description: 'Removed', type: 'null' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.params.chatbotId, request.params.webhookId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/v1/inbox/:chatbotId/webhooks/:webhookId/deliveries',
    {
      config: { ...config, fieldRules: PAGE_RULES },
      schema: {
        summary: "Lists a webhook's messages with their attempts, newest first",
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        params: WebhookParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(WebhookDelivery, 'WebhookDeliveryPage'), description: 'A page of messages' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400, 404) },
      },
    },
    async (request) => webhooks.deliveries(request.params.chatbotId, request.params.webhookId, pageOf(request.query)),
  );
};
