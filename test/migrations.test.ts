import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import SqliteDatabase from 'better-sqlite3';
import postgres from 'postgres';
import { migrate } from '../src/db/migrate.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';

/**
 * A migration run on data the version before it left: what it keeps and how it reads after.
 * On a raw Kysely of the dialect under test, so every migration before the one tested runs as
 * it ran then.
 */
/** A fresh database of the dialect under test, on a raw Kysely that no migration has touched. */
async function rawDatabase() {
  const database = await freshDatabase();
  const db = new Kysely<any>({
    dialect:
      TEST_DIALECT === 'postgres'
        ? new PostgresJSDialect({
            postgres: postgres(database.url, { max: 1, onnotice: () => undefined, types: { bigint: { to: 20, from: [20], serialize: String, parse: Number } } }),
          })
        : new SqliteDialect({ database: new SqliteDatabase(database.url) }),
  });
  return { database, db };
}

describe('migrations over existing data', () => {
  it('012 (liveness per device): signs of life and streams become a device each, the open interval is kept with its announcement, and the next change is due', async () => {
    const { database, db } = await rawDatabase();
    try {
      await migrate(db, '011_login_links');
      const now = Date.now();
      await db.insertInto('chatbots').values({ id: 'cb_1', name: 'Support', created_at: now }).execute();
      for (const id of ['ag_posted', 'ag_closed', 'ag_streaming', 'ag_never']) {
        await db.insertInto('agents').values({ id, name: id, email: null, external_id: null, created_at: now }).execute();
        await db.insertInto('memberships').values({ chatbot_id: 'cb_1', agent_id: id, role: 'agent', created_at: now }).execute();
      }
      await db
        .insertInto('presence')
        .values({ chatbot_id: 'cb_1', agent_id: 'ag_posted', online: 1, client_ts: now, updated_at: now, last_seen_at: now - 10_000 })
        .execute();
      await db
        .insertInto('stream_liveness')
        .values({ chatbot_id: 'cb_1', agent_id: 'ag_closed', seen_at: now - 5000, grace_until: now + 15_000 })
        .execute();
      await db
        .insertInto('instances')
        .values({ id: 'old', started_at: now, renewed_at: now, lease_until: now + 10_000 })
        .execute();
      await db.insertInto('stream_liveness').values({ chatbot_id: 'cb_1', agent_id: 'ag_streaming', seen_at: now, grace_until: null }).execute();
      await db.insertInto('stream_holders').values({ chatbot_id: 'cb_1', agent_id: 'ag_streaming', instance_id: 'old', opened_at: now }).execute();
      await db
        .insertInto('presence_announced')
        .values({ chatbot_id: 'cb_1', agent_id: 'ag_posted', online: 1, connected: 0, entry: '{}', visible: '["available","ready",null,null]', since: now })
        .execute();
      for (const [id, to] of [
        ['his_1', now - 1000],
        ['his_2', null],
      ] as const) {
        await db
          .insertInto('presence_history')
          .values({
            id,
            chatbot_id: 'cb_1',
            agent_id: 'ag_posted',
            state: 'available',
            reason: 'ready',
            status_text: null,
            from_at: now - 2000 + (to === null ? 1000 : 0),
            to_at: to,
            set_by: null,
          })
          .execute();
      }

      await migrate(db);

      const devices = await db.selectFrom('device_liveness').selectAll().orderBy('agent_id').execute();
      assert.deepEqual(
        devices.map((row) => [row.agent_id, row.key_id, row.posted_at === null ? null : Number(row.posted_at), row.closed_at === null ? null : Number(row.closed_at)]),
        [
          ['ag_closed', '', null, now - 5000],
          ['ag_posted', '', now - 10_000, null],
          ['ag_streaming', '', null, null],
        ],
        'a device (without a key) per agent that showed a sign of life',
      );
      assert.deepEqual(await db.selectFrom('stream_holders').select(['agent_id', 'key_id', 'instance_id']).execute(), [
        { agent_id: 'ag_streaming', key_id: '', instance_id: 'old' },
      ]);
      const announced = await db.selectFrom('presence_announced').select(['history_id', 'devices', 'next_change_at']).executeTakeFirstOrThrow();
      assert.deepEqual([announced.history_id, Number(announced.devices), Number(announced.next_change_at)], ['his_2', 0, 0], 'the open interval, and a next change due at once');
      const indexes =
        TEST_DIALECT === 'postgres'
          ? (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'presence_history'`.execute(db)).rows
          : (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'presence_history'`.execute(db)).rows;
      assert.deepEqual(
        indexes.map((row) => row.name).filter((name) => !/pkey|autoindex/.test(name)),
        ['presence_history_agent'],
      );
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
  it('016 (title, preview, told): open assignments made before it are marked told, so the first sweep pushes no old chat', async () => {
    const { database, db } = await rawDatabase();
    try {
      await migrate(db, '015_stream_events');
      const assignedAt = Date.now() - 3 * 86_400_000;
      await db.insertInto('chatbots').values({ id: 'cb_1', name: 'Support', created_at: assignedAt }).execute();
      await db.insertInto('agents').values({ id: 'ag_1', name: 'Ada', email: null, external_id: null, created_at: assignedAt }).execute();
      await db.insertInto('memberships').values({ chatbot_id: 'cb_1', agent_id: 'ag_1', role: 'agent', created_at: assignedAt }).execute();
      await db
        .insertInto('assignments')
        .values({ chatbot_id: 'cb_1', conversation_id: 'conv-old', agent_id: 'ag_1', strategy: 'least_loaded', assigned_at: assignedAt, assigned_by: null, considered: '[]' })
        .execute();
      await migrate(db);
      const row = await db.selectFrom('assignments').select(['title', 'preview', 'told_at']).executeTakeFirstOrThrow();
      assert.deepEqual([row.title, row.preview, Number(row.told_at)], [null, null, assignedAt]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
