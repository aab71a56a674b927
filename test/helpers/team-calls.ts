import assert from 'node:assert/strict';
import { meOnlinePath, type TestContext } from './context.js';

/**
 * The HTTP calls tests of assignments make against one chatbot, its agents (by name) and an
 * integration key: agents coming online, capacity reports, assignments, ends, and a chat's state.
 * Values are read when called, so a suite may fill them in its `before`.
 */
export function teamCalls(team: () => { ctx: TestContext; chatbotId: string; integration: string; agents: Record<string, { id: string; key: string }> }) {
  return {
    online: (name: string, value = true) => {
      const { ctx, chatbotId, agents } = team();
      return ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: agents[name]!.key, payload: { online: value, clientTimestamp: Date.now() } });
    },
    capacity: (name: string, maxChats: number) => {
      const { ctx, chatbotId, integration, agents } = team();
      return ctx.call({ method: 'PUT', url: `/v1/inbox/${chatbotId}/agents/${agents[name]!.id}/capacity`, key: integration, payload: { maxChats, clientTimestamp: Date.now() } });
    },
    assign: (payload: object) => {
      const { ctx, chatbotId, integration } = team();
      return ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/assignments`, key: integration, payload });
    },
    end: (conversationId: string) => {
      const { ctx, chatbotId, integration } = team();
      return ctx.call({ method: 'DELETE', url: `/v1/inbox/${chatbotId}/assignments/${conversationId}`, key: integration });
    },
    /** The conversation's chat as it stands (200 asserted). */
    chatOf: async <Chat>(conversationId: string): Promise<Chat> => {
      const { ctx, chatbotId, integration } = team();
      const answer = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/assignments/${conversationId}`, key: integration });
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json() as Chat;
    },
  };
}
