import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserName } from '../src/auth/login-links.js';
import { freshDatabase, type TestDatabase } from './helpers/database.js';
import { createTestContext, expectError, meOnlinePath, snapshotState, type TestContext } from './helpers/context.js';
import { cliJson, runCli } from './helpers/processes.js';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

describe('the browser name a sign-in link gives a key', () => {
  const cases: Array<[string | undefined, string]> = [
    [CHROME_LINUX, 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['curl/8.5.0', 'A browser'],
    [undefined, 'A browser'],
  ];
  for (const [userAgent, name] of cases) it(`${userAgent ?? '(no User-Agent)'} → ${name}`, () => assert.equal(browserName(userAgent), name));
});

describe('sign-in links', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let adminKey: string;
  let agentId: string;
  before(async () => {
    ctx = await createTestContext({ env: { PUBLIC_URL: 'https://inbox.example.com/' } });
    chatbotId = await ctx.chatbot();
    const admin = await ctx.agent(chatbotId, { name: 'Ada', role: 'admin' });
    adminKey = (await ctx.agentKey(admin)).key;
    agentId = await ctx.agent(chatbotId, { name: 'Alice' });
  });
  after(() => ctx.close());

  const makeLink = async (key = adminKey, agent = agentId, chatbot = chatbotId) => ctx.call({ method: 'POST', url: `/v1/inbox/${chatbot}/agents/${agent}/login-links`, key });
  const tokenOf = (url: string) => new URL(url).hash.replace(/^#login=/, '');
  const exchange = (token: string, extra: Record<string, unknown> = {}) =>
    ctx.call({ method: 'POST', url: '/v1/login-links/exchange', headers: { 'user-agent': CHROME_LINUX }, payload: { token, ...extra } });

  it('an admin makes a link; opening it gives the browser its own key, once', async () => {
    const made = await makeLink();
    assert.equal(made.statusCode, 201, made.body);
    const { url, expiresAt } = made.json() as { url: string; expiresAt: string };
    assert.match(url, /^https:\/\/inbox\.example\.com\/app\/#login=[A-Za-z0-9_-]{43}$/);
    assert.equal(Date.parse(expiresAt), ctx.clock.now() + 15 * 60_000);

    const opened = await exchange(tokenOf(url));
    assert.equal(opened.statusCode, 201, opened.body);
    const browser = opened.json() as { key: string; keyId: string; agentId: string; chatbotId: string; name: string; expiresAt: string };
    assert.deepEqual([browser.agentId, browser.chatbotId, browser.name], [agentId, chatbotId, 'Chrome on Linux']);
    assert.equal(Date.parse(browser.expiresAt), ctx.clock.now() + 30 * 86_400_000);
    const online = await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: browser.key, payload: { online: true, clientTimestamp: String(ctx.clock.now()) } });
    assert.equal(online.statusCode, 200, 'the key acts as the agent');

    const again = await exchange(tokenOf(url));
    expectError(again, 410, 'login_link_invalid');
    assert.equal(again.json().error, 'This sign-in link was already used or has expired');

    // Listed with the agent's keys, named after the browser, with when it ends.
    const keys = await ctx.call({ method: 'GET', url: `/v1/chatbots/${chatbotId}/keys?limit=100`, key: adminKey });
    const listed = (keys.json() as { items: Array<{ id: string; name: string; agentId: string; expiresAt: string | null }> }).items.find((key) => key.id === browser.keyId);
    assert.deepEqual(listed && [listed.name, listed.agentId, listed.expiresAt], ['Chrome on Linux', agentId, browser.expiresAt]);
    assert.ok(!keys.body.includes(browser.key), 'listings never show the secret');
  });

  it('signing out revokes the browser key', async () => {
    const browser = (await exchange(tokenOf((await makeLink()).json().url))).json() as { key: string };
    const out = await ctx.call({ method: 'DELETE', url: `/v1/inbox/${chatbotId}/agents/me/key`, key: browser.key });
    assert.equal(out.statusCode, 204, out.body);
    expectError(await ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/online`, key: browser.key }), 401, 'revoked_key');
  });

  it('a link expires after 15 minutes', async () => {
    const { url } = (await makeLink()).json() as { url: string };
    ctx.clock.advance(15 * 60 + 1);
    expectError(await exchange(tokenOf(url)), 410, 'login_link_invalid');
  });

  it('a browser key ends after 30 days unused; using it keeps it going', async () => {
    const used = (await exchange(tokenOf((await makeLink()).json().url))).json() as { key: string };
    const unused = (await exchange(tokenOf((await makeLink()).json().url))).json() as { key: string };
    const list = (key: string) => ctx.call({ method: 'GET', url: `/v1/inbox/${chatbotId}/agents/online`, key });
    ctx.clock.advance(29 * 86_400);
    assert.equal((await list(used.key)).statusCode, 200);
    await ctx.services.auth.flushUses();
    ctx.clock.advance(2 * 86_400);
    expectError(await list(unused.key), 401, 'expired_key');
    assert.equal((await list(used.key)).statusCode, 200, 'used two days ago: it goes on');
  });

  it('two browsers opening one link at the same moment: one gets a key', async () => {
    const token = tokenOf((await makeLink()).json().url);
    const answers = await Promise.all([exchange(token), exchange(token), exchange(token)]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [201, 410, 410]);
  });

  it('only who could make the agent a key makes a link', async () => {
    const agentKey = (await ctx.agentKey(agentId)).key;
    expectError(await makeLink(agentKey), 403, 'permission_denied');
    // An integration key that may make keys still cannot make one with more than it holds.
    const integration = (await ctx.chatbotKey(chatbotId, ['chatbots.keys.create'])).key;
    expectError(await makeLink(integration), 403, 'permission_denied');
    // An admin here, for an agent who is also an admin elsewhere: the key would act there too.
    const other = await ctx.chatbot();
    const both = await ctx.agent(other, { role: 'admin' });
    await ctx.services.tenancy.setMember({ kind: 'cli' }, { chatbotId, agentId: both, role: 'agent' });
    expectError(await makeLink(adminKey, both), 403, 'permission_denied');
    expectError(await makeLink(adminKey, 'ag_nobody'), 404, 'not_found');
    const elsewhere = await ctx.chatbot();
    expectError(await makeLink(adminKey, agentId, elsewhere), 403, 'chatbot_forbidden');
  });

  it('a bad exchange is refused and changes nothing', async () => {
    const before = await snapshotState(ctx.database);
    expectError(await exchange('not-a-token'), 410, 'login_link_invalid');
    expectError(await exchange('A'.repeat(43)), 410, 'login_link_invalid');
    expectError(await ctx.call({ method: 'POST', url: '/v1/login-links/exchange', payload: {} }), 400, 'invalid_request');
    expectError(await exchange(tokenOf((await makeLink()).json().url), { extra: 1 }), 400, 'invalid_request');
    expectError(await exchange('x', { name: '' }), 400, 'invalid_request');
    const afterState = JSON.parse(await snapshotState(ctx.database)) as Record<string, unknown[]>;
    const beforeState = JSON.parse(before) as Record<string, unknown[]>;
    assert.deepEqual(afterState.api_keys, beforeState.api_keys, 'no key was made');
  });

  it('a link made while the agent is a member is refused once the agent left', async () => {
    const leaving = await ctx.agent(chatbotId);
    const { url } = (await makeLink(adminKey, leaving)).json() as { url: string };
    await ctx.services.tenancy.removeMember({ kind: 'cli' }, { chatbotId, agentId: leaving });
    expectError(await exchange(tokenOf(url)), 410, 'login_link_invalid');
  });
});

describe('sign-in links from the admin CLI', () => {
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
  });
  after(() => database.drop());

  it('agent login-link --json prints the link on PUBLIC_URL, which the service then honours', async () => {
    // The service made the database (the CLI never creates one); the CLI writes beside it.
    const ctx = await createTestContext({ database: { url: database.url, drop: async () => {} }, clock: 'real' });
    try {
      const env = { DATABASE_URL: database.url, PUBLIC_URL: 'https://inbox.example.com' };
      const chatbot = await cliJson<{ id: string }>(['chatbot', 'create', '--name', 'Acme'], env);
      const agent = await cliJson<{ id: string }>(['agent', 'create', '--chatbot', chatbot.id, '--name', 'Alice'], env);
      const link = await cliJson<{ url: string; expiresAt: string }>(['agent', 'login-link', '--agent', agent.id, '--chatbot', chatbot.id], env);
      assert.match(link.url, /^https:\/\/inbox\.example\.com\/app\/#login=[A-Za-z0-9_-]{43}$/);
      const opened = await ctx.call({ method: 'POST', url: '/v1/login-links/exchange', payload: { token: new URL(link.url).hash.slice('#login='.length), name: 'Test browser' } });
      assert.equal(opened.statusCode, 201, opened.body);
      assert.deepEqual([opened.json().agentId, opened.json().name], [agent.id, 'Test browser']);

      // Without PUBLIC_URL the CLI guesses the address from PORT, and says so.
      const guessed = await runCli(['agent', 'login-link', '--agent', agent.id, '--chatbot', chatbot.id], { DATABASE_URL: database.url, PORT: '4123' });
      assert.equal(guessed.code, 0, guessed.stderr);
      assert.match(guessed.stdout, /^http:\/\/localhost:4123\/app\/#login=/);
      assert.match(guessed.stderr, /PUBLIC_URL is not set, so the link assumes the service at http:\/\/localhost:4123/);
      const told = await runCli(['agent', 'login-link', '--agent', agent.id, '--chatbot', chatbot.id], env);
      assert.equal(told.stderr, '', 'with PUBLIC_URL there is nothing to say');
    } finally {
      await ctx.close({ keepFiles: true });
    }
  });
});
