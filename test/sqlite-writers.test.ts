import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDriverDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { freshDatabase, TEST_DIALECT } from './helpers/database.js';

/**
 * The service and the admin CLI write the same SQLite file from two processes. A transaction
 * that began deferred reads a snapshot first; when the other process commits before it writes,
 * SQLite refuses its write with SQLITE_BUSY at once (the busy timeout does not apply to a stale
 * snapshot), and a CLI command or a request failed with "database is locked". Every
 * transaction therefore takes the write lock when it begins, so the other process waits.
 */
describe('two processes writing one SQLite file', {
  skip: TEST_DIALECT === 'postgres' ? 'about SQLite file locking; PostgreSQL has row locks and runs in its own half' : false,
}, () => {
  it('a transaction holds the write lock from its start: the other writer is kept out, not the transaction failed', async () => {
    const database = await freshDatabase();
    const { db, close } = await openDatabase(database.url);
    // The other process, impatient: it answers at once whether it could write.
    const other = new SqliteDriverDatabase(database.url);
    other.pragma('busy_timeout = 0');
    try {
      let otherWrite: string | null = null;
      await db.transaction().execute(async (trx) => {
        await sql`select count(*) from chatbots`.execute(trx);
        try {
          other.exec('create table written_by_the_other_process (x)');
          otherWrite = 'written';
        } catch (error) {
          otherWrite = (error as { code?: string }).code ?? String(error);
        }
        await sql`create table written_in_the_transaction (x)`.execute(trx);
      });
      assert.equal(otherWrite, 'SQLITE_BUSY', 'the other writer is refused while the transaction runs');
      const tables = other.prepare("select name from sqlite_master where name like 'written_%'").pluck().all();
      assert.deepEqual(tables, ['written_in_the_transaction'], 'the transaction committed');
      other.exec('create table written_by_the_other_process (x)');
    } finally {
      other.close();
      await close();
      await database.drop();
    }
  });
});
