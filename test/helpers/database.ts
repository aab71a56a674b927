import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * Which database the behaviour tests run on: SQLite files by default, PostgreSQL with
 * TEST_DATABASE=postgres (npm run test:postgres). A PostgreSQL run needs a server at
 * TEST_POSTGRES_URL and fails, naming it, when there is none: it never skips silently.
 */
export const TEST_DIALECT = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'inbox-agents-test-'));
}

export interface TestDatabase {
  /** What DATABASE_URL would say: a file path or a postgres:// URL. */
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: postgres.Sql) => Promise<T>): Promise<T> {
  const client = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await client`select 1`;
  } catch (error) {
    await client.end();
    throw new Error(`TEST_DATABASE=postgres needs PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@/]*@/, '//***@')} (set TEST_POSTGRES_URL): ${(error as Error).message}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database of the dialect under test, isolated from every other test. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (TEST_DIALECT === 'sqlite') {
    const dir = tempDir();
    return { url: join(dir, 'inbox-agents.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `inbox_agents_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client`CREATE DATABASE ${client(name)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (client) => void (await client`DROP DATABASE IF EXISTS ${client(name)} WITH (FORCE)`)),
  };
}
