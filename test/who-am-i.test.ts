import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLI } from '../src/auth/actor.js';
import { createTestContext, expectError, type TestContext } from './helpers/context.js';

describe('who am I (GET /v1/inbox/{chatbotId}/agents/me)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it("answers the agent key's agent and every chatbot it belongs to, by name, with its role there", async () => {
    const support = await ctx.chatbot('Support');
    const billing = await ctx.chatbot('Billing');
    await ctx.chatbot('Elsewhere');
    const ada = await ctx.agent(support, { name: 'Ada' });
    await ctx.services.tenancy.setMember(CLI, { chatbotId: billing, agentId: ada, role: 'admin' });
    const { key } = await ctx.agentKey(ada);
    for (const chatbot of [support, billing]) {
      const response = await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbot}/agents/me`, key });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        agentId: ada,
        name: 'Ada',
        email: null,
        chatbots: [
          { chatbotId: billing, name: 'Billing', role: 'admin' },
          { chatbotId: support, name: 'Support', role: 'agent' },
        ],
      });
    }
  });

  it('is for agent keys of members only', async () => {
    const support = await ctx.chatbot('Support');
    const other = await ctx.chatbot('Other');
    const { key } = await ctx.agentKey(await ctx.agent(support));
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${other}/agents/me`, key }), 403, 'chatbot_forbidden');
    const integration = await ctx.chatbotKey(support, ['chatbots.inbox.agents.list']);
    const refused = await ctx.call({ method: 'GET', url: `/v1/inbox/${support}/agents/me`, key: integration.key });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error, /agent/);
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${support}/agents/me` }), 401, 'missing_key');
  });
});
