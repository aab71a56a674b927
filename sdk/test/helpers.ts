import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freshDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { cliJson, startServer, type ServerProcess } from '../../test/helpers/processes.js';
import { freePort } from '../../test/helpers/redis.js';
import { createInboxClient, ok, type InboxClient } from '../src/index.js';

/**
 * The SDK is tested against the real service: the server's own process (`src/server.ts`) on a
 * fixed loopback port, so that a restart comes back where clients left it, on a SQLite file.
 */
export interface Service {
  url: string;
  database: TestDatabase;
  env: Record<string, string>;
  server: ServerProcess;
  /** An operator key, made with the CLI as on a new install. */
  operatorKey: string;
  operator: InboxClient;
  /** SIGTERM, then start again on the same port and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startService(env: Record<string, string> = {}): Promise<Service> {
  const database = await freshDatabase();
  const port = await freePort();
  const fullEnv = { DATABASE_URL: database.url, PORT: String(port), ...env };
  const server = await startServer(fullEnv);
  const { key: operatorKey } = await cliJson<{ key: string }>(['key', 'create', '--operator', '--permission', '*', '--name', 'sdk tests'], fullEnv);
  const service: Service = {
    url: '',
    database,
    env: fullEnv,
    server,
    operatorKey,
    operator: null as unknown as InboxClient,
    async restart() {
      await service.server.stop();
      service.server = await startServer(fullEnv);
    },
    async stop() {
      await service.server.stop();
    },
    async close() {
      await service.server.stop();
      await database.drop();
    },
  };
  service.url = service.server.url;
  service.operator = createInboxClient({ baseUrl: service.url, apiKey: operatorKey });
  return service;
}

export interface Team {
  chatbotId: string;
  agents: Array<{ id: string; name: string; key: string; api: InboxClient }>;
  /** A chatbot key of an integration, allowed to list agents and send notifications. */
  integrationKey: string;
}

/** A chatbot with agents (the first is its admin), each with an agent key, provisioned over HTTP with the SDK. */
export async function provisionTeam(service: Service, names: string[], chatbotName = 'Acme Support'): Promise<Team> {
  const api = service.operator;
  const chatbot = ok(await api.POST('/v1/chatbots', { body: { name: chatbotName } }));
  const agents: Team['agents'] = [];
  for (const [index, name] of names.entries()) {
    const agent = ok(await api.POST('/v1/agents', { body: { name } }));
    ok(
      await api.PUT('/v1/chatbots/{chatbotId}/members/{agentId}', {
        params: { path: { chatbotId: chatbot.id, agentId: agent.id } },
        body: { role: index === 0 ? 'admin' : 'agent' },
      }),
    );
    const key = ok(
      await api.POST('/v1/chatbots/{chatbotId}/keys', { params: { path: { chatbotId: chatbot.id } }, body: { kind: 'agent', agentId: agent.id, name: `${name} laptop` } }),
    );
    agents.push({ id: agent.id, name, key: key.key, api: createInboxClient({ baseUrl: service.url, apiKey: key.key }) });
  }
  const integration = ok(
    await api.POST('/v1/chatbots/{chatbotId}/keys', {
      params: { path: { chatbotId: chatbot.id } },
      body: { kind: 'chatbot', name: 'integration', permissions: ['chatbots.inbox.agents.list', 'chatbots.inbox.notifications.send'] },
    }),
  );
  return { chatbotId: chatbot.id, agents, integrationKey: integration.key };
}

/** Resolves when `check` answers true, polling every 20 ms; fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

/** The README's ```js block that starts with `// example: <name>`, exactly as written. */
export function readmeExample(name: string): string {
  const match = new RegExp(`\`\`\`js\\n(// example: ${name}\\n[\\s\\S]*?)\`\`\``).exec(README);
  assert.ok(match, `the SDK README has the "${name}" example`);
  return match[1]!;
}
