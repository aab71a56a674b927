import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorName, actorWords } from '../src/audit/service.js';

describe('the audit log says who acted in words a person reads', () => {
  const cases: Array<[string, Parameters<typeof actorName>[0], { name: string | null; agentId: string | null }]> = [
    ['an agent key: its agent', { actor_key_name: 'Phone', actor_agent_id: 'agt_1', actor_agent_name: 'Grace' }, { name: 'Grace', agentId: 'agt_1' }],
    ['a chatbot key: its own name', { actor_key_name: 'Helpdesk sync', actor_agent_id: null, actor_agent_name: null }, { name: 'Helpdesk sync', agentId: null }],
    ['an unnamed key', { actor_key_name: null, actor_agent_id: null, actor_agent_name: null }, { name: null, agentId: null }],
  ];
  for (const [what, row, expected] of cases) it(what, () => assert.deepEqual(actorName(row), expected));

  const words: Array<[Parameters<typeof actorWords>[0], string]> = [
    [{ keyId: 'key_a', kind: 'agent', name: 'Grace Hopper', agentId: 'agt_1' }, 'Grace Hopper (agent key key_a)'],
    [{ keyId: 'key_a', kind: 'agent', name: null, agentId: 'agt_1' }, 'a deleted agent (agent key key_a)'],
    [{ keyId: 'key_b', kind: 'chatbot', name: 'Helpdesk sync', agentId: null }, 'chatbot key Helpdesk sync (key_b)'],
    [{ keyId: 'key_c', kind: 'operator', name: null, agentId: null }, 'operator key (key_c)'],
    [{ keyId: null, kind: 'cli', name: null, agentId: null }, 'cli'],
    [{ keyId: null, kind: 'service', name: null, agentId: null }, 'service'],
  ];
  for (const [actor, expected] of words) it(`${expected}`, () => assert.equal(actorWords(actor), expected));
});
