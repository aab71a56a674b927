import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { AppError } from './errors.js';
import { createServices, type Services } from './services.js';
import { describeStartupFailure } from './startup.js';

/**
 * The admin CLI: `npm run cli -- <resource> <action> [options] [--json]`. It opens the same
 * database as the service (DATABASE_URL) and calls the same services as the HTTP routes.
 */

const USAGE = `Usage: npm run cli -- <command> [options] [--json]

  chatbot create --name <name>
  chatbot list
  agent create --chatbot <id> --name <name> [--email <e>] [--role agent|admin]
  agent add --agent <id> --chatbot <id> [--role agent|admin]
  agent remove --agent <id> --chatbot <id>
  agent list [--chatbot <id>]
  key create --agent <id> [--name <label>]
  key create --chatbot <id> --permission <p> [--permission <p> ...] [--name <label>]
  key revoke <keyId>
  key list [--agent <id> | --chatbot <id>]

--json prints one JSON object on stdout. DATABASE_URL selects the database (default ./data/inbox-agents.db).
A key's secret is printed once, at creation; store it then.`;

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  chatbot: { type: 'string' },
  agent: { type: 'string' },
  permission: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Options = {
  name?: string;
  email?: string;
  role?: string;
  chatbot?: string;
  agent?: string;
  permission?: string[];
};

interface Output {
  /** What --json prints. */
  json: unknown;
  /** What a person reads. */
  text: string;
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} <value> is required`);
  return value;
}

function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : Array.isArray(value) ? value.join(',') : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

const commands: Record<string, (services: Services, options: Options, positionals: string[]) => Promise<Output>> = {
  'chatbot create': async ({ tenancy }, options) => {
    const chatbot = await tenancy.createChatbot({ name: need(options.name, 'name') });
    return { json: chatbot, text: `created chatbot ${chatbot.id} (${chatbot.name})` };
  },
  'chatbot list': async ({ tenancy }) => {
    const chatbots = await tenancy.listChatbots();
    return { json: { chatbots }, text: table(chatbots as never, ['id', 'name', 'createdAt']) };
  },
  'agent create': async ({ tenancy }, options) => {
    const agent = await tenancy.createAgent({
      chatbotId: need(options.chatbot, 'chatbot'),
      name: need(options.name, 'name'),
      email: options.email,
      role: options.role,
    });
    return { json: agent, text: `created agent ${agent.id} (${agent.name}) as ${agent.role} of chatbot ${agent.chatbotId}` };
  },
  'agent add': async ({ tenancy }, options) => {
    const membership = await tenancy.addMember({ agentId: need(options.agent, 'agent'), chatbotId: need(options.chatbot, 'chatbot'), role: options.role });
    return { json: membership, text: `agent ${membership.agentId} is ${membership.role} of chatbot ${membership.chatbotId}` };
  },
  'agent remove': async ({ tenancy }, options) => {
    const result = await tenancy.removeMember({ agentId: need(options.agent, 'agent'), chatbotId: need(options.chatbot, 'chatbot') });
    return { json: result, text: `agent ${result.agentId} is no longer a member of chatbot ${result.chatbotId}` };
  },
  'agent list': async ({ tenancy }, options) => {
    const agents = await tenancy.listAgents(options.chatbot);
    const rows = agents.map((agent) => ({ ...agent, memberships: agent.memberships.map((m) => `${m.chatbotId}:${m.role}`) }));
    return { json: { agents }, text: table(rows, ['id', 'name', 'email', 'memberships']) };
  },
  'key create': async ({ auth }, options) => {
    if (options.agent && options.chatbot) throw new UsageError('give either --agent (an agent key) or --chatbot (an integration key), not both');
    if (options.agent && options.permission) {
      throw new UsageError("an agent key takes its permissions from the agent's role in each chatbot; --permission is only for --chatbot keys");
    }
    const key = options.agent
      ? await auth.createAgentKey({ agentId: options.agent, name: options.name })
      : options.chatbot
        ? await auth.createChatbotKey({ chatbotId: options.chatbot, permissions: options.permission ?? [], name: options.name })
        : (() => {
            throw new UsageError('key create needs --agent <id> or --chatbot <id>');
          })();
    return { json: key, text: `created ${key.kind} key ${key.id}\nsecret (shown once, store it now): ${key.key}` };
  },
  'key revoke': async ({ auth }, _options, positionals) => {
    const id = positionals[0];
    if (!id || positionals.length > 1) throw new UsageError('key revoke takes exactly one key id');
    const result = await auth.revokeKey(id);
    return { json: result, text: `revoked key ${result.id}` };
  },
  'key list': async ({ auth }, options) => {
    const keys = await auth.listKeys({ agentId: options.agent, chatbotId: options.chatbot });
    return { json: { keys }, text: table(keys as never, ['id', 'kind', 'agentId', 'chatbotId', 'permissions', 'hint', 'revokedAt']) };
  },
};

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const [resource, action, ...rest] = positionals;
  if (values.help || !resource) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const command = commands[`${resource} ${action ?? ''}`];
  if (!command) {
    process.stderr.write(`error: unknown command "${[resource, action].filter(Boolean).join(' ')}"\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.length > 0 && `${resource} ${action}` !== 'key revoke') {
    process.stderr.write(`error: unexpected argument "${rest[0]}"\n\n${USAGE}\n`);
    return 2;
  }

  const config = loadConfig();
  // The CLI never creates a database: a typo in DATABASE_URL must not answer "(none)" from a new, empty one.
  const database = await openDatabase(config.databaseUrl, { poolSize: 2, watchOutsideChanges: false, mustExist: true });
  try {
    const output = await command(createServices(database, config, Date.now), values, rest);
    process.stdout.write(`${json ? JSON.stringify(output.json) : output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof AppError) {
      process.stderr.write(json ? `${JSON.stringify({ error: error.message, code: error.code })}\n` : `error: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${describeStartupFailure(error, { databaseUrl: process.env.DATABASE_URL ?? './data/inbox-agents.db' })}\n`);
    process.exitCode = 1;
  },
);
