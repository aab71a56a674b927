import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agentOf } from '../auth/hook.js';
import { errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import { NotificationSettings, PUSH_TOKEN_RULE, UpdateNotificationSettingsBody } from './schemas.js';
import type { NotificationService } from './service.js';

/** The agent's own notification settings. */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/me/notifications',
    {
      config: { permission: 'chatbots.inbox.agents.notifications.get', requiresAgent: true },
      schema: {
        summary: "Retrieves the agent's own notification settings",
        tags: ['notifications'],
        operationId: 'getOwnNotificationSettings',
        params: ChatbotParams,
        response: { 200: NotificationSettings, ...errorResponses(...PROTECTED_READ_ERRORS) },
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
        fieldRules: { pushToken: PUSH_TOKEN_RULE },
      },
      schema: {
        summary: "Updates the agent's own notification settings",
        description: '`{"pushToken": "..."}` sets the token, `{"pushToken": null}` clears it, `{}` changes nothing. Answers with the settings as they stand.',
        tags: ['notifications'],
        operationId: 'updateOwnNotificationSettings',
        params: ChatbotParams,
        body: UpdateNotificationSettingsBody,
        response: { 200: NotificationSettings, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request) => notifications.update(request.params.chatbotId, agentOf(request.principal), request.body),
  );
};
