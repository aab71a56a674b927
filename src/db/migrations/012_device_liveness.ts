import { sql, type Kysely } from 'kysely';

/**
 * Liveness per device (an API key): what each key of an agent posted last and when its last
 * stream closed, and which instances hold a stream of which key; what was announced also keeps
 * how many devices were alive and the rule's next change, so that a restart or a hand-over
 * watches every pending change (an opening, a lapse) without judging every chatbot.
 *
 * Rows from before this migration have no key: they become one device with the key id '',
 * which lives out its last post's TTL, or its grace when a stream had closed (counted from the
 * default grace of 20 s, the setting being unknown here), and is never renewed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('device_liveness')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('key_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('posted_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addPrimaryKeyConstraint('device_liveness_pk', ['chatbot_id', 'agent_id', 'key_id'])
    .addForeignKeyConstraint('device_liveness_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await sql`insert into device_liveness (chatbot_id, agent_id, key_id, posted_at, closed_at)
    select m.chatbot_id, m.agent_id, '',
      case when p.last_seen_at > 0 then p.last_seen_at end,
      case when s.grace_until is not null then s.grace_until - 20000 end
    from memberships m
    left join presence p on p.chatbot_id = m.chatbot_id and p.agent_id = m.agent_id
    left join stream_liveness s on s.chatbot_id = m.chatbot_id and s.agent_id = m.agent_id
    where p.last_seen_at > 0 or s.grace_until is not null
      or exists (select 1 from stream_holders h where h.chatbot_id = m.chatbot_id and h.agent_id = m.agent_id)`.execute(db);
  await db.schema.alterTable('stream_liveness').dropColumn('grace_until').execute();

  // Stream holders by key: a new table (a primary key cannot change in place on SQLite).
  await db.schema
    .createTable('stream_holders_by_key')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('key_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('instance_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_holders_by_key_pk', ['chatbot_id', 'agent_id', 'key_id', 'instance_id'])
    .addForeignKeyConstraint('stream_holders_by_key_membership_fk', ['chatbot_id', 'agent_id'], 'memberships', ['chatbot_id', 'agent_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await sql`insert into stream_holders_by_key (chatbot_id, agent_id, key_id, instance_id, opened_at)
    select chatbot_id, agent_id, '', instance_id, opened_at from stream_holders`.execute(db);
  await db.schema.dropTable('stream_holders').execute();
  await db.schema.alterTable('stream_holders_by_key').renameTo('stream_holders').execute();
  await db.schema.createIndex('stream_holders_instance').on('stream_holders').column('instance_id').execute();

  // A report reads a chatbot's intervals through presence_history_agent (chatbot first) as well;
  // this index only cost every announced change one more write (a burst: ten thousand).
  await db.schema.dropIndex('presence_history_chatbot').execute();
  // The open interval is found through the announcement that opened it (history_id, below), by
  // its key: the partial index of open intervals, an entry written and removed with every
  // change (and on PostgreSQL, what made closing an interval a non-HOT update), goes.
  await db.schema.alterTable('presence_announced').addColumn('history_id', 'varchar(40)').execute();
  await sql`update presence_announced set history_id = (
      select h.id from presence_history h
      where h.chatbot_id = presence_announced.chatbot_id and h.agent_id = presence_announced.agent_id and h.to_at is null
      order by h.from_at desc, h.id desc limit 1)`.execute(db);
  await db.schema.dropIndex('presence_history_open').execute();

  await db.schema
    .alterTable('presence_announced')
    .addColumn('devices', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('presence_announced').addColumn('next_change_at', 'bigint').execute();
  // Unknown until judged: 0 (due) makes the first start judge every chatbot once, which stores it.
  await db.updateTable('presence_announced').set({ next_change_at: 0 }).execute();
}
