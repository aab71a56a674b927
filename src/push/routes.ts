import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS, PUBLIC_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import { IdempotencyHeaders, NOTIFY_RULES, NotificationParams, NotificationView, NotifyAnswer, NotifyBody } from './schemas.js';
import type { PushService } from './service.js';

export const ROUTING_RULE =
  'Who gets a push: the audience (default `available`: members whose chosen status is online; `all`; or `{ "agentIds": [...] }`), minus agents who muted the type, minus agents with a live stream open unless they set `pushWhenConnected`. Each remaining agent gets one delivery per device. The others appear as `skipped` deliveries with the reason.';

/** Notifications integrations send, and the Web Push key browsers subscribe with. */
export const pushRoutes: FastifyPluginAsyncTypebox<{ push: PushService; vapidPublicKey: string }> = async (app, { push, vapidPublicKey }) => {
  app.post(
    '/v1/inbox/:chatbotId/notifications',
    {
      config: {
        permission: 'chatbots.inbox.notifications.send',
        rateClass: 'notify',
        fieldRules: { ...NOTIFY_RULES, 'idempotency-key': 'the Idempotency-Key header must be 1 to 255 visible ASCII characters' },
      },
      schema: {
        summary: "Sends a browser notification to a chatbot's agents",
        description: `${ROUTING_RULE}\n\nAnswers 202 at once with the deliveries; a worker sends them (retrying with backoff while the TTL lasts). An \`Idempotency-Key\` header makes a retried call answer as the first did and send nothing twice; the same key with a different body is 409. A push that would exceed 4096 bytes once encrypted is refused with 400 \`payload_too_large\`.`,
        tags: ['notifications'],
        operationId: 'sendNotification',
        params: ChatbotParams,
        headers: IdempotencyHeaders,
        body: NotifyBody,
        response: {
          202: { ...NotifyAnswer, description: 'Queued: the notification id and one delivery per device (or skipped agent)' },
          ...errorResponses(...PROTECTED_WRITE_ERRORS, 409),
        },
      },
    },
    async (request, reply) => {
      const answer = await push.notify(request.params.chatbotId, request.body, {
        keyId: request.principal?.keyId ?? null,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.code(202).send(answer);
    },
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/notifications/test',
    {
      config: { permission: 'chatbots.inbox.agents.notifications.edit', requiresAgent: true, rateClass: 'test_push' },
      schema: {
        summary: 'Sends me a test notification, to my own devices only',
        description:
          'What "Send me a test notification" does: one push titled "Test notification" (type `inbox.test`) to each of the calling agent\'s devices on this chatbot, whatever its muted types, status, working hours or open streams. Answers 202 with the deliveries; each device\'s outcome then shows in `GET me/notifications` (`lastSuccessAt`, `lastError`). Limited per key (`RATE_LIMIT_TEST_PUSH`, default 5 per minute).',
        tags: ['notifications'],
        operationId: 'sendMeATestNotification',
        params: ChatbotParams,
        response: { 202: { ...NotifyAnswer, description: 'Queued: the notification id and one delivery per device' }, ...errorResponses(...PROTECTED_READ_ERRORS, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as { keyId: string; agentId: string };
      return reply.code(202).send(await push.testToSelf(request.params.chatbotId, principal.agentId, principal.keyId));
    },
  );

  app.get(
    '/v1/inbox/:chatbotId/notifications/:notificationId',
    {
      config: { permission: 'chatbots.inbox.notifications.send', rateClass: 'reads' },
      schema: {
        summary: 'Shows a notification and the state of each delivery',
        description:
          'States: `pending` (queued or waiting to retry), `sent` (the push service accepted it), `failed` (refused for good: see `reason` and `lastError`), `expired` (the TTL ran out first), `skipped` (not sent: see `reason`).',
        tags: ['notifications'],
        operationId: 'getNotification',
        params: NotificationParams,
        response: { 200: { ...NotificationView, description: 'The notification, a summary by state, and every delivery' }, ...errorResponses(...PROTECTED_READ_ERRORS, 404) },
      },
    },
    async (request) => push.get(request.params.chatbotId, request.params.notificationId),
  );

  app.get(
    '/v1/push/vapid-public-key',
    {
      config: { public: true },
      schema: {
        summary: 'The VAPID public key browsers subscribe with',
        description: 'Pass it as `applicationServerKey` to `pushManager.subscribe`. Public: needs no key.',
        tags: ['notifications'],
        operationId: 'getVapidPublicKey',
        response: {
          200: Type.Object({ publicKey: Type.String({ description: 'base64url, 65 bytes' }) }, { description: 'The Web Push application server key' }),
          ...errorResponses(...PUBLIC_ERRORS),
        },
      },
    },
    async () => ({ publicKey: vapidPublicKey }),
  );
};
