import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readmeExample } from '../sdk/test/helpers.js';
import { CLI } from '../src/auth/actor.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { freshDatabase } from './helpers/database.js';
import { startServer } from './helpers/processes.js';

const run = promisify(execFile);

/**
 * The SDK as an integrator outside this repository gets it: a project in a temporary folder
 * installs it from the running service with one command (`npm install <service>/sdk/…tgz`; the
 * registry is a closed port, so nothing but the service is reached), then runs the SDK README's
 * example against that service. The module for `<script type="module">` is imported as served.
 */
describe('the SDK, installed from the service', () => {
  it('npm install <service>/sdk/inbox-agents-sdk-<version>.tgz in a project elsewhere, then the README example runs; the ES module works as served', async () => {
    const database = await freshDatabase();
    const env = { DATABASE_URL: database.url };
    const seed = await openDatabase(env.DATABASE_URL);
    const services = createServices(seed, loadConfig(env), Date.now);
    const chatbot = await services.tenancy.createChatbot(CLI, { name: 'Acme' });
    await services.tenancy.createMemberAgent(CLI, { chatbotId: chatbot.id, name: 'Alice' });
    const key = (await services.keys.createChatbotKey(CLI, { chatbotId: chatbot.id, permissions: ['chatbots.inbox.agents.list'] })).key;
    await seed.close();
    const server = await startServer(env);
    const project = mkdtempSync(join(tmpdir(), 'integrator-'));
    try {
      const index = (await (await fetch(`${server.url}/sdk/`)).json()) as { version: string; install: string; module: string };
      assert.match(index.install, /^npm install http:\/\/127\.0\.0\.1:\d+\/sdk\/inbox-agents-sdk-\d+\.\d+\.\d+\.tgz$/);

      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'integrator', private: true, type: 'module' }));
      const [npm, ...args] = index.install.split(' ') as [string, ...string[]];
      await run(npm, [...args, '--no-audit', '--no-fund', '--registry', 'http://127.0.0.1:9/'], { cwd: project });

      writeFileSync(join(project, 'example.mjs'), readmeExample('client'));
      const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: project, env: { ...process.env, INBOX_URL: server.url, INBOX_KEY: key, CHATBOT_ID: chatbot.id } });
      assert.equal(stdout, 'Alice: offline (no_sign_of_life)\nrefused: 403 chatbot_forbidden\n');

      const served = await fetch(index.module, { headers: { origin: 'https://integrator.example.com' } });
      assert.equal(served.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(served.headers.get('access-control-allow-origin'), '*', 'a module script from any origin');
      writeFileSync(join(project, 'module.mjs'), await served.text());
      const module = (await import(join(project, 'module.mjs'))) as typeof import('../sdk/src/index.js');
      const api = module.createInboxClient({ baseUrl: server.url, apiKey: key });
      const { agents } = module.ok(await api.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: chatbot.id } } }));
      assert.deepEqual(
        agents.map((agent) => agent.name),
        ['Alice'],
      );

      const missing = await fetch(`${server.url}/sdk/inbox-agents-sdk-9.9.9.tgz`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { code: string }).code, 'not_found');
    } finally {
      rmSync(project, { recursive: true, force: true });
      await server.stop();
      await database.drop();
    }
  });
});
