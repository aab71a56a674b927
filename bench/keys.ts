import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import type { Insertable } from 'kysely';
import { generateSecret, hashSecret } from '../src/auth/secrets.js';
import { openDatabase } from '../src/db/database.js';
import type { ApiKeyTable } from '../src/db/schema.js';
import { newId } from '../src/ids.js';
import { machine, measureRounds, report, seedChatbot, SERVICE_ENTRY, startProcess } from './harness.js';

/**
 * The key lookup under many keys. Two services as users run them (compiled, default settings,
 * SQLite), each with a chatbot of 20 agents × 5 keys:
 * - few keys: that chatbot's 100 agent keys are all the database holds, and the list load rotates
 *   over them (the core benchmark's list);
 * - many keys: the database also holds 99,900 more keys (1,000 integration keys of this chatbot,
 *   the rest of 2,000 other chatbots), and the list load rotates over 1,000 keys of this chatbot.
 * Both against the bare node:http baseline under the same load, in the same interleaved rounds.
 * The many-keys ratio must stay within 10 % of the few-keys ratio.
 *
 * One key alone cannot carry the load: at its default budget (6,000 reads per 10 s) it would be
 * refused, so "few keys" is the core benchmark's 100.
 */
const AGENTS = 20;
const KEYS_PER_AGENT = 5;
const TOTAL_KEYS = 100_000;
const ROTATING = 1_000;
const OTHER_CHATBOTS = 2_000;
const CONNECTIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
export const KEYS_TARGET = 0.9;

/** Adds keys straight into the database (the services would take minutes for 100,000): `ROTATING` list keys of the chatbot, the rest on other chatbots. */
async function addManyKeys(dbPath: string, chatbotId: string): Promise<string[]> {
  const database = await openDatabase(dbPath);
  const others: string[] = [];
  for (let i = 0; i < OTHER_CHATBOTS; i++) others.push(newId('cb'));
  const now = Date.now();
  for (const chunk of chunks(others, 500))
    await database.db
      .insertInto('chatbots')
      .values(chunk.map((id) => ({ id, name: `Other ${id}`, created_at: now })))
      .execute();
  const rotating: string[] = [];
  const existing = AGENTS * KEYS_PER_AGENT;
  const rows: Array<Insertable<ApiKeyTable>> = [];
  for (let i = 0; i < TOTAL_KEYS - existing; i++) {
    const secret = generateSecret();
    const own = i < ROTATING;
    if (own) rotating.push(secret);
    rows.push({
      id: newId('key'),
      kind: 'chatbot' as const,
      agent_id: null,
      chatbot_id: own ? chatbotId : others[i % OTHER_CHATBOTS]!,
      grants: JSON.stringify(['chatbots.inbox.agents.list']),
      secret_hash: hashSecret(secret),
      secret_hint: secret.slice(-4),
      name: own ? `integration ${i}` : null,
      created_at: now + i,
      revoked_at: null,
    });
  }
  await database.db.transaction().execute(async (x) => {
    for (const chunk of chunks(rows, 500)) await x.insertInto('api_keys').values(chunk).execute();
  });
  const count = await database.db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(count.n) !== TOTAL_KEYS) throw new Error(`seeded ${count.n} keys, not ${TOTAL_KEYS}`);
  await database.close();
  return rotating;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function listLoad(url: string, path: string, keys: string[]): autocannon.Options {
  let next = 0;
  return {
    url,
    connections: CONNECTIONS,
    requests: [{ method: 'GET', path, setupRequest: (request) => ({ ...request, headers: { 'x-chatcaptain-key': keys[next++ % keys.length]! } }) }],
  };
}

export async function runKeysBench(): Promise<boolean> {
  const few = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  const many = await seedChatbot({ agents: AGENTS, keysPerAgent: KEYS_PER_AGENT, setStatus: true });
  const rotating = await addManyKeys(many.dbPath, many.chatbotId);

  const fewService = await startProcess(SERVICE_ENTRY, { DATABASE_URL: few.dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening');
  const manyService = await startProcess(SERVICE_ENTRY, { DATABASE_URL: many.dbPath, PORT: '0', LOG_LEVEL: 'info' }, 'inbox-agents listening');
  const fewPath = `/v1/inbox/${few.chatbotId}/agents/online`;
  const manyPath = `/v1/inbox/${many.chatbotId}/agents/online`;
  const listBody = await (await fetch(`${fewService.url}${fewPath}`, { headers: { 'x-chatcaptain-key': few.allAgentKeys[0]![0]! } })).text();
  const bodyFile = join(few.dir, 'list.json');
  writeFileSync(bodyFile, listBody);
  const baseline = await startProcess('bench/baseline-server.ts', { BASELINE_BODY_FILE: bodyFile }, 'baseline listening');

  console.log(`inbox-agents key lookup benchmark — ${machine()}`);
  console.log(
    `GET agents/online of a chatbot of ${AGENTS} agents, default settings, ${CONNECTIONS} connections; few keys: ${AGENTS * KEYS_PER_AGENT} in the database, all in rotation; many keys: ${TOTAL_KEYS.toLocaleString('en')} in the database, ${ROTATING.toLocaleString('en')} in rotation; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s after a ${WARMUP_SECONDS} s warm-up round; median round shown\n`,
  );
  try {
    const names = {
      base: 'bare node:http, list load',
      few: `GET agents/online, ${AGENTS * KEYS_PER_AGENT} keys`,
      many: `GET agents/online, ${ROTATING} of ${TOTAL_KEYS.toLocaleString('en')} keys`,
    };
    const fewKeys = few.allAgentKeys.flat();
    const results = await measureRounds(
      [
        { name: names.base, options: () => listLoad(baseline.url, fewPath, fewKeys) },
        { name: names.few, options: () => listLoad(fewService.url, fewPath, fewKeys) },
        { name: names.many, options: () => listLoad(manyService.url, manyPath, rotating) },
      ],
      ROUNDS,
      ROUND_SECONDS,
      WARMUP_SECONDS,
    );
    const base = results.get(names.base)!;
    const fewResult = results.get(names.few)!;
    const manyResult = results.get(names.many)!;
    console.log('');
    const clean = report([
      { measurement: base, baseline: base },
      { measurement: fewResult, baseline: base },
      { measurement: manyResult, baseline: base },
    ]);
    const relative = manyResult.requestsPerSecond / fewResult.requestsPerSecond;
    const met = clean && relative >= KEYS_TARGET;
    console.log(
      `\nmany keys / few keys: ${relative.toFixed(2)} (target ≥ ${KEYS_TARGET}: the list ratio within 10 % of its few-keys figure, zero errors) — ${met ? 'met' : 'MISSED'}`,
    );
    return met;
  } finally {
    await baseline.stop();
    await fewService.stop();
    await manyService.stop();
    rmSync(few.dir, { recursive: true, force: true });
    rmSync(many.dir, { recursive: true, force: true });
  }
}
