import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import { Type } from 'typebox';
import {
  DeviceParams,
  MUTED_TYPES_RULE,
  NotificationSettings,
  PUSH_SUBSCRIPTION_RULE,
  PUSH_TOKEN_RULE,
  PUSH_WHEN_CONNECTED_RULE,
  UpdateNotificationSettingsBody,
} from './schemas.js';
import type { NotificationService } from './service.js';

/** The agent's own notification settings. */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/me/notifications',
    {
      config: { permission: 'chatbots.inbox.agents.notifications.get', requiresAgent: true, rateClass: 'reads' },
      schema: {
        summary: "Retrieves the agent's own notification settings",
        tags: ['notifications'],
        operationId: 'getOwnNotificationSettings',
        params: ChatbotParams,
        response: { 200: { ...NotificationSettings, description: "The agent's settings and devices in this chatbot" }, ...errorResponses(...PROTECTED_READ_ERRORS) },
      },
    },
    async (request) => notifications.get(request.params.chatbotId, agentOf(request.principal)),
  );

  app.post(
    '/v1/inbox/:chatbotId/agents/me/notifications',
    {
      config: {
        permission: 'chatbots.inbox.agents.notifications.edit',
        requiresAgent: true,
        rateClass: 'settings',
        fieldRules: {
          pushToken: PUSH_TOKEN_RULE,
          pushSubscription: PUSH_SUBSCRIPTION_RULE,
          mutedTypes: MUTED_TYPES_RULE,
          pushWhenConnected: PUSH_WHEN_CONNECTED_RULE,
        },
      },
      schema: {
        summary: "Updates the agent's own notification settings",
        description:
          'Each field present changes one thing; `{}` changes nothing. `pushToken` (an FCM token) or `pushSubscription` (a Web Push subscription, `PushSubscription.toJSON()`) adds or refreshes one device of this agent here, keyed by the token or endpoint (a token another agent had moves to this one); `{"pushToken": null}` removes every device of this agent here. `mutedTypes` replaces the list of event types not to push; `pushWhenConnected` (default false) pushes even while the agent watches the inbox live. At most 20 devices per agent; a subscription must be https on a public address. A refused field stores nothing. Answers with the settings as they stand, and `deviceId` when a device was added or refreshed.',
        tags: ['notifications'],
        operationId: 'updateOwnNotificationSettings',
        params: ChatbotParams,
        body: UpdateNotificationSettingsBody,
        response: { 200: { ...NotificationSettings, description: 'The settings as they stand after this request' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request) => notifications.update(request.params.chatbotId, agentOf(request.principal), request.body),
  );

  app.delete(
    '/v1/inbox/:chatbotId/agents/me/notifications/devices/:deviceId',
    {
      config: { permission: 'chatbots.inbox.agents.notifications.edit', requiresAgent: true, rateClass: 'settings' },
      schema: {
        summary: "Removes one of the agent's own devices",
        description: 'For a browser logging out: no more pushes to it. The other devices stay.',
        tags: ['notifications'],
        operationId: 'removeOwnDevice',
        params: DeviceParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(...PROTECTED_READ_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await notifications.removeDevice(request.params.chatbotId, agentOf(request.principal), request.params.deviceId);
      return reply.code(204).send(null);
    },
  );
};
