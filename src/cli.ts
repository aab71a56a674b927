import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI } from './auth/actor.js';
import { actorWords } from './audit/service.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { AppError } from './errors.js';
import { PAGE_LIMIT_MAX } from './http/paging.js';
import { createServices, type Services } from './services.js';
import { describeStartupFailure } from './startup.js';

/**
 * The admin CLI: `npm run cli -- <resource> <action> [options] [--json]`. It opens the same
 * database as the service (DATABASE_URL) and calls the same services as the HTTP routes, as the
 * `cli` actor in the audit log. It is how the first operator key of a new install is made.
 */

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  email: { type: 'string' },
  'external-id': { type: 'string' },
  role: { type: 'string' },
  chatbot: { type: 'string' },
  agent: { type: 'string' },
  permission: { type: 'string', multiple: true },
  skill: { type: 'string', multiple: true },
  operator: { type: 'boolean', default: false },
  clear: { type: 'boolean', default: false },
  overlap: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

type Options = {
  name?: string;
  email?: string;
  'external-id'?: string;
  role?: string;
  chatbot?: string;
  agent?: string;
  permission?: string[];
  skill?: string[];
  operator?: boolean;
  clear?: boolean;
  overlap?: string;
  limit?: string;
};

interface Output {
  /** What --json prints. */
  json: unknown;
  /** What a person reads. */
  text: string;
}

interface Command {
  usage: string;
  about: string;
  example: string;
  /** Positional arguments it takes (after the resource and action). */
  positionals?: number;
  run(services: Services, options: Options, positionals: string[]): Promise<Output>;
}

/** Whether the command's usage names the option (its usage is the list of what it takes). */
const takes = (command: Command, option: string) => new RegExp(`--${option}\\b`).test(command.usage);

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} <value> is required`);
  return value;
}

function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : Array.isArray(value) ? value.join(',') : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

const limitOf = (raw: string | undefined) => {
  if (raw === undefined) return 50;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > PAGE_LIMIT_MAX) throw new UsageError(`--limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`);
  return limit;
};

const commands: Record<string, Command> = {
  'chatbot create': {
    usage: 'chatbot create --name <name>',
    about: 'Creates a chatbot.',
    example: 'npm run -s cli -- chatbot create --name "Acme Support" --json',
    run: async ({ tenancy }, options) => {
      const chatbot = await tenancy.createChatbot(CLI, { name: need(options.name, 'name') });
      return { json: chatbot, text: `created chatbot ${chatbot.id} (${chatbot.name})` };
    },
  },
  'chatbot list': {
    usage: 'chatbot list',
    about: 'Lists every chatbot, oldest first.',
    example: 'npm run -s cli -- chatbot list',
    run: async ({ tenancy }) => {
      const chatbots = await tenancy.allChatbots();
      return { json: { chatbots }, text: table(chatbots as never, ['id', 'name', 'createdAt']) };
    },
  },
  'chatbot rename': {
    usage: 'chatbot rename --chatbot <id> --name <name>',
    about: 'Renames a chatbot.',
    example: 'npm run -s cli -- chatbot rename --chatbot cb_8f3k2 --name "Acme Help"',
    run: async ({ tenancy }, options) => {
      const chatbot = await tenancy.updateChatbot(CLI, need(options.chatbot, 'chatbot'), { name: need(options.name, 'name') });
      return { json: chatbot, text: `chatbot ${chatbot.id} is now ${chatbot.name}` };
    },
  },
  'chatbot delete': {
    usage: 'chatbot delete --chatbot <id>',
    about: 'Deletes a chatbot with its memberships, chatbot keys, devices, settings and notifications; its streams end.',
    example: 'npm run -s cli -- chatbot delete --chatbot cb_8f3k2',
    run: async ({ tenancy }, options) => {
      const id = need(options.chatbot, 'chatbot');
      await tenancy.deleteChatbot(CLI, id);
      return { json: { id, deleted: true }, text: `deleted chatbot ${id}` };
    },
  },
  'agent create': {
    usage: 'agent create --chatbot <id> --name <name> [--email <e>] [--external-id <id>] [--role agent|admin]',
    about: 'Creates an agent as a member of a chatbot (role agent unless told otherwise).',
    example: 'npm run -s cli -- agent create --chatbot cb_8f3k2 --name Alice --email alice@example.com --role admin --json',
    run: async ({ tenancy }, options) => {
      const agent = await tenancy.createMemberAgent(CLI, {
        chatbotId: need(options.chatbot, 'chatbot'),
        name: need(options.name, 'name'),
        email: options.email,
        externalId: options['external-id'],
        role: options.role,
      });
      return { json: agent, text: `created agent ${agent.id} (${agent.name}) as ${agent.role} of chatbot ${agent.chatbotId}` };
    },
  },
  'agent add': {
    usage: 'agent add --agent <id> --chatbot <id> [--role agent|admin]',
    about: 'Makes an existing agent a member of a chatbot, or changes its role there.',
    example: 'npm run -s cli -- agent add --agent ag_7hq2 --chatbot cb_8f3k2 --role admin',
    run: async ({ tenancy }, options) => {
      const { member } = await tenancy.setMember(CLI, { agentId: need(options.agent, 'agent'), chatbotId: need(options.chatbot, 'chatbot'), role: options.role });
      const result = { agentId: member.agentId, chatbotId: need(options.chatbot, 'chatbot'), role: member.role };
      return { json: result, text: `agent ${result.agentId} is ${result.role} of chatbot ${result.chatbotId}` };
    },
  },
  'agent skills': {
    usage: 'agent skills --agent <id> --chatbot <id> [--skill <name>]... [--clear]',
    about:
      "Shows a member's skills in a chatbot; with --skill sets them (the list replaces its skills), with --clear removes them all. Chats requiring skills go only to members holding every one.",
    example: 'npm run -s cli -- agent skills --agent ag_7hq2 --chatbot cb_8f3k2 --skill es --skill billing',
    run: async ({ assignments, tenancy }, options) => {
      const chatbotId = need(options.chatbot, 'chatbot');
      const agentId = need(options.agent, 'agent');
      if (options.clear && options.skill) throw new UsageError('give --skill or --clear, not both');
      const result =
        options.skill || options.clear
          ? await assignments.setSkills(CLI, chatbotId, agentId, options.skill ?? [])
          : { chatbotId, agentId, skills: (await tenancy.getMember(chatbotId, agentId)).skills };
      return { json: result, text: `agent ${result.agentId} holds ${result.skills.length === 0 ? 'no skills' : result.skills.join(', ')} in chatbot ${result.chatbotId}` };
    },
  },
  'agent remove': {
    usage: 'agent remove --agent <id> --chatbot <id>',
    about: "Ends a membership; the agent's keys stop working on that chatbot at once.",
    example: 'npm run -s cli -- agent remove --agent ag_7hq2 --chatbot cb_8f3k2',
    run: async ({ tenancy }, options) => {
      const result = await tenancy.removeMember(CLI, { agentId: need(options.agent, 'agent'), chatbotId: need(options.chatbot, 'chatbot') });
      return { json: result, text: `agent ${result.agentId} is no longer a member of chatbot ${result.chatbotId}` };
    },
  },
  'agent delete': {
    usage: 'agent delete --agent <id>',
    about: 'Deletes an agent: its keys stop working, its devices and memberships go.',
    example: 'npm run -s cli -- agent delete --agent ag_7hq2',
    run: async ({ tenancy }, options) => {
      const id = need(options.agent, 'agent');
      await tenancy.deleteAgent(CLI, id);
      return { json: { id, deleted: true }, text: `deleted agent ${id}` };
    },
  },
  'agent list': {
    usage: 'agent list [--chatbot <id>]',
    about: 'Lists agents with their memberships (of one chatbot, or all).',
    example: 'npm run -s cli -- agent list --chatbot cb_8f3k2',
    run: async ({ tenancy }, options) => {
      const agents = await tenancy.allAgents(options.chatbot);
      const rows = agents.map((agent) => ({ ...agent, memberships: agent.memberships.map((m) => `${m.chatbotId}:${m.role}`) }));
      return { json: { agents }, text: table(rows, ['id', 'name', 'email', 'externalId', 'memberships']) };
    },
  },
  'agent login-link': {
    usage: 'agent login-link --agent <id> --chatbot <id>',
    about:
      "Makes a single-use sign-in link for an agent of a chatbot, valid 15 minutes: opened in a browser, it gives that browser a key of its own (ending after 30 days unused). The link's address is PUBLIC_URL (default http://localhost:PORT) + /app/#login=<token>.",
    example: 'npm run -s cli -- agent login-link --agent ag_7hq2 --chatbot cb_8f3k2 --json',
    run: async ({ loginLinks }, options) => {
      const config = loadConfig();
      const baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
      const link = await loginLinks.create(CLI, {
        chatbotId: need(options.chatbot, 'chatbot'),
        agentId: need(options.agent, 'agent'),
        baseUrl,
      });
      // Guessed: say so where a person reads it (stderr, so --json stays one object on stdout).
      if (config.publicUrl === null) {
        process.stderr.write(
          `note: PUBLIC_URL is not set, so the link assumes the service at ${baseUrl} (PORT ${config.port}); set PUBLIC_URL to the address browsers reach it at\n`,
        );
      }
      return { json: link, text: `${link.url}\n(works once, until ${link.expiresAt})` };
    },
  },
  'key create': {
    usage: 'key create (--agent <id> | --chatbot <id> --permission <p>... | --operator --permission <p>...) [--name <label>]',
    about:
      "Makes a key; its secret is printed once. --agent: acts as the agent with its roles. --chatbot: an integration's key with the grants given on that chatbot. --operator: an install-wide key (--permission '*' may do everything).",
    example: "npm run -s cli -- key create --operator --permission '*' --name provisioning --json",
    run: async ({ keys }, options) => {
      const kinds = [options.agent !== undefined, options.chatbot !== undefined, options.operator === true].filter(Boolean).length;
      if (kinds !== 1) throw new UsageError('give exactly one of --agent <id> (an agent key), --chatbot <id> (an integration key) or --operator (an install-wide key)');
      if (options.agent && options.permission) {
        throw new UsageError("an agent key takes its permissions from the agent's role in each chatbot; --permission is for --chatbot and --operator keys");
      }
      if (!options.agent && !options.permission) throw new UsageError('--permission <p> is required (repeat it for several), e.g. chatbots.inbox.agents.list');
      const key = options.agent
        ? await keys.createAgentKey(CLI, { agentId: options.agent, name: options.name })
        : options.chatbot
          ? await keys.createChatbotKey(CLI, { chatbotId: options.chatbot, permissions: options.permission ?? [], name: options.name })
          : await keys.createOperatorKey(CLI, { permissions: options.permission ?? [], name: options.name });
      return { json: key, text: `created ${key.kind} key ${key.id}\nsecret (shown once, store it now): ${key.key}` };
    },
  },
  'key revoke': {
    usage: 'key revoke <keyId>',
    about: 'Revokes a key: every later request with it is refused.',
    example: 'npm run -s cli -- key revoke key_3kq9',
    positionals: 1,
    run: async ({ keys }, _options, [id]) => {
      const result = await keys.revokeKey(CLI, id!, 'any');
      return { json: result, text: `revoked key ${result.id}` };
    },
  },
  'key rotate': {
    usage: 'key rotate <keyId> [--overlap <seconds>]',
    about: 'Gives a key a new secret (printed once); the old one stays valid for --overlap seconds (0 to 86400, default 0).',
    example: 'npm run -s cli -- key rotate key_3kq9 --overlap 3600 --json',
    positionals: 1,
    run: async ({ keys }, options, [id]) => {
      const overlap = options.overlap === undefined ? 0 : Number(options.overlap);
      if (options.overlap !== undefined && !/^\d+$/.test(options.overlap)) throw new UsageError('--overlap must be a whole number of seconds from 0 to 86400');
      const key = await keys.rotateKey(CLI, id!, 'any', overlap);
      return { json: key, text: `rotated key ${key.id}\nnew secret (shown once, store it now): ${key.key}` };
    },
  },
  'key list': {
    usage: 'key list [--agent <id> | --chatbot <id> | --operator] [--limit <n>]',
    about: "Lists keys without their secrets: an agent's, a chatbot's (its keys and its members'), the operator keys, or all.",
    example: 'npm run -s cli -- key list --chatbot cb_8f3k2',
    run: async ({ keys }, options) => {
      const page = await keys.listKeys(
        { agentId: options.agent, chatbotId: options.chatbot, ...(options.operator ? { kind: 'operator' as const } : {}) },
        { limit: options.limit === undefined ? 1_000_000 : limitOf(options.limit), after: null },
      );
      return { json: { keys: page.items }, text: table(page.items as never, ['id', 'kind', 'name', 'agentId', 'chatbotId', 'permissions', 'hint', 'lastUsedAt', 'revokedAt']) };
    },
  },
  'audit list': {
    usage: 'audit list [--chatbot <id>] [--limit <n>]',
    about: 'The audit log of administrative changes, newest first (of one chatbot, or all).',
    example: 'npm run -s cli -- audit list --chatbot cb_8f3k2 --limit 20',
    run: async ({ audit }, options) => {
      const page = await audit.list({ chatbotId: options.chatbot }, { limit: limitOf(options.limit), after: null });
      const rows = page.items.map((entry) => ({ ...entry, actor: actorWords(entry.actor) }));
      return { json: { entries: page.items }, text: table(rows, ['at', 'actor', 'action', 'chatbotId', 'agentId', 'keyId']) };
    },
  },
};

const USAGE = `Usage: npm run cli -- <command> [options] [--json]

${Object.values(commands)
  .map((command) => `  ${command.usage}`)
  .join('\n')}

  <command> --help   what a command does, its options, an example
  --version          the version

--json prints one JSON object on stdout (run npm with -s: npm run -s cli -- ... --json).
DATABASE_URL selects the database (default ./data/inbox-agents.db); the CLI never creates one.
A key's secret is printed once, at creation or rotation; store it then.`;

function help(command: Command): string {
  return `Usage: npm run cli -- ${command.usage} [--json]\n\n${command.about}\n\nExample:\n  ${command.example}`;
}

/** Exit codes: 0 done, 1 refused (unknown chatbot, last admin, …), 2 bad arguments. */
async function run(argv: string[]): Promise<number> {
  const fail = (code: number, message: string) => {
    process.stderr.write(`error: ${message}\n`);
    return code;
  };
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = /Unknown option '([^']+)'/.exec((error as Error).message);
    if (unknown) return fail(2, `unknown option ${unknown[1]} (npm run cli -- <command> --help lists a command's options)`);
    return fail(2, `${(error as Error).message} (npm run cli -- --help lists the commands)`);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (values.version) {
    process.stdout.write(`${json ? JSON.stringify({ version: VERSION }) : VERSION}\n`);
    return 0;
  }
  const [resource, action, ...rest] = positionals;
  if (!resource) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = `${resource} ${action ?? ''}`.trim();
  const command = commands[name];
  // A group asked for help (`agent --help`, or just `agent`): its commands.
  const group = Object.entries(commands).filter(([commandName]) => commandName.startsWith(`${resource} `));
  if (!command && action === undefined && group.length > 0) {
    const lines = group.map(([, each]) => `  ${each.usage}`).join('\n');
    process.stdout.write(`The ${resource} commands:\n\n${lines}\n\n  <command> --help   what a command does, its options, an example\n`);
    return 0;
  }
  if (!command) return fail(2, `unknown command "${name}" (npm run cli -- --help lists the commands)`);
  if (values.help) {
    process.stdout.write(`${help(command)}\n`);
    return 0;
  }
  // An option the command does not take is refused, not ignored (`chatbot list --limit abc`).
  const unused = Object.keys(OPTIONS).filter(
    (option) =>
      !['json', 'help', 'version'].includes(option) &&
      (values as Record<string, unknown>)[option] !== undefined &&
      values[option as keyof typeof values] !== false &&
      !takes(command, option),
  );
  if (unused.length > 0) return fail(2, `${name} takes no --${unused[0]} (usage: ${command.usage})`);
  if (rest.length !== (command.positionals ?? 0)) {
    return fail(
      2,
      command.positionals
        ? `${name} takes exactly ${command.positionals === 1 ? 'one' : command.positionals} argument (usage: ${command.usage})`
        : `unexpected argument "${rest[0]}" (usage: ${command.usage})`,
    );
  }

  const config = loadConfig();
  // The CLI never creates a database: a typo in DATABASE_URL must not answer "(none)" from a new, empty one.
  const database = await openDatabase(config.databaseUrl, { poolSize: 2, watchOutsideChanges: false, mustExist: true });
  try {
    const services = createServices(database, config, Date.now);
    const output = await command.run(services, values, rest);
    // Chats a command assigned (skills given drain the queue) tell their agents before the database closes.
    await services.assignments.tellsSettled();
    process.stdout.write(`${json ? JSON.stringify(output.json) : output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(2, `${error.message} (usage: ${command.usage})`);
    if (error instanceof AppError) {
      // A value the rules refuse is a bad argument too; anything else was refused.
      const code = error.code === 'invalid_request' ? 2 : 1;
      if (json) process.stderr.write(`${JSON.stringify({ error: error.message, code: error.code })}\n`);
      else process.stderr.write(`error: ${error.message}\n`);
      return code;
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
