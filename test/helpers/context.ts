import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { CLI } from '../../src/auth/actor.js';
import { buildApp, type App, type AppDependencies } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import type { Services } from '../../src/services.js';
import { freshDatabase, type TestDatabase } from './database.js';

export { tempDir } from './database.js';

/** A clock the test moves by hand, so time-based rules are tested without sleeping. */
export class TestClock {
  constructor(public current = Date.UTC(2026, 0, 15, 12, 0, 0)) {}
  now = (): number => this.current;
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

export interface TestContext {
  app: App;
  database: OpenDatabase;
  services: Services;
  clock: TestClock;
  config: Config;
  /** DATABASE_URL of this context's own database (a SQLite file or a PostgreSQL database). */
  databaseUrl: string;
  /** Closes the app and database; with `keepFiles` the database stays for a restart. */
  close(options?: { keepFiles?: boolean }): Promise<void>;
  /** `app.inject` with the key header set when a key is given. */
  call(options: InjectOptions & { key?: string }): Promise<LightMyRequestResponse>;
  chatbot(name?: string): Promise<string>;
  agent(chatbotId: string, options?: { name?: string; role?: 'agent' | 'admin' }): Promise<string>;
  agentKey(agentId: string): Promise<{ id: string; key: string }>;
  chatbotKey(chatbotId: string, permissions: string[]): Promise<{ id: string; key: string }>;
}

/** An app on a fresh database of the dialect under test (or the given one, to test restarts). */
export async function createTestContext(
  options: {
    env?: Record<string, string>;
    database?: TestDatabase;
    clock?: TestClock | 'real';
    logger?: unknown;
    live?: AppDependencies['live'];
    push?: AppDependencies['push'];
    timers?: AppDependencies['timers'];
  } = {},
): Promise<TestContext> {
  const own = options.database ?? (await freshDatabase());
  const config = loadConfig({ DATABASE_URL: own.url, LOG_LEVEL: 'silent', ...options.env });
  // 'real': the wall clock, for tests of timers (stream grace, expiry) that must really fire.
  const clock = options.clock === 'real' ? Object.assign(new TestClock(), { now: Date.now }) : (options.clock ?? new TestClock());
  const database = await openDatabase(own.url, { poolSize: 4 });
  const app = await buildApp({ config, database, now: clock.now, logger: options.logger as never, live: options.live, push: options.push, timers: options.timers });
  await app.ready();
  const services = app.services;
  let counter = 0;

  return {
    app,
    database,
    services,
    clock,
    config,
    databaseUrl: own.url,
    async close({ keepFiles = false } = {}) {
      await app.close();
      // A test may have closed the database itself (to see the service without it).
      await database.close().catch(() => undefined);
      if (!keepFiles) await own.drop();
    },
    call({ key, headers, ...rest }) {
      return app.inject({ ...rest, headers: { ...(key ? { 'x-chatcaptain-key': key } : {}), ...headers } });
    },
    async chatbot(name = `Chatbot ${++counter}`) {
      return (await services.tenancy.createChatbot(CLI, { name })).id;
    },
    async agent(chatbotId, { name = `Agent ${++counter}`, role = 'agent' } = {}) {
      return (await services.tenancy.createMemberAgent(CLI, { chatbotId, name, role })).id;
    },
    async agentKey(agentId) {
      const { id, key } = await services.keys.createAgentKey(CLI, { agentId });
      return { id, key };
    },
    async chatbotKey(chatbotId, permissions) {
      const { id, key } = await services.keys.createChatbotKey(CLI, { chatbotId, permissions });
      return { id, key };
    },
  };
}

/** What the service's own timers write whatever requests come (a table, or table.column): left out of the snapshot, each with its reason. */
const WRITTEN_BY_TIMERS: Record<string, string> = {
  instances: 'each instance renews its lease on a timer, whatever requests it gets',
  'api_keys.last_used_at': "a key's uses are written in batches, to the minute, on a timer (a refused request still used its key)",
};

/**
 * Every row of every table of the database (read from the database's own catalogue, so a table a
 * migration adds is covered without anyone listing it), to prove a bad request changed nothing.
 */
export async function snapshotState(database: OpenDatabase): Promise<string> {
  const tables = (await database.db.introspection.getTables()).map((table) => table.name).filter((name) => !(name in WRITTEN_BY_TIMERS));
  assert.ok(tables.includes('presence') && tables.includes('audit_log'), `the catalogue lists the service's tables: ${tables.join(', ')}`);
  const state: Record<string, string[]> = {};
  for (const table of tables.sort()) {
    const rows = (await database.db
      .selectFrom(table as 'chatbots')
      .selectAll()
      .execute()) as Array<Record<string, unknown>>;
    const kept = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([column]) => !(`${table}.${column}` in WRITTEN_BY_TIMERS)));
    // Sorted: the order rows come back in is not part of the state.
    state[table] = rows.map((row) => JSON.stringify(kept(row))).sort();
  }
  return JSON.stringify(state);
}

export const onlinePath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/online`;
export const meOnlinePath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/me/online`;
export const meNotificationsPath = (chatbotId: string) => `/v1/inbox/${chatbotId}/agents/me/notifications`;

/** Asserts a refusal: the status, a body of exactly `{ error, code }` with this code, and a message that says something. */
export function expectError(response: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(response.statusCode, status, response.body);
  assert.deepEqual(Object.keys(response.json()).sort(), ['code', 'error']);
  assert.equal(response.json().code, code, response.body);
  assert.ok(response.json().error.length > 10, 'the message says something');
}

/** A logger that writes to memory: hand `logger` to createTestContext, read what was logged in `text`. */
export function capturedLogs(level: string): { logger: { level: string; stream: Writable }; readonly text: string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    logger: { level, stream },
    get text() {
      return text;
    },
  };
}
