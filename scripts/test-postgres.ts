import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import postgres from 'postgres';

/**
 * The behaviour suite again, on PostgreSQL (TEST_DATABASE=postgres; each test file makes and
 * drops its own databases). Without a reachable server it says plainly that it was skipped,
 * and fails instead when CI=true or REQUIRE_POSTGRES=1: CI must never pass by skipping.
 */
const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const shown = url.replace(/\/\/[^@/]*@/, '//***@');
const required = process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1';

const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
try {
  await probe`select 1`;
  await probe.end();
} catch (error) {
  await probe.end({ timeout: 0 });
  const reason = `PostgreSQL is not reachable at ${shown} (${(error as Error).message}); set TEST_POSTGRES_URL to run the suite on it`;
  if (required) {
    console.error(`FAILED: the PostgreSQL suite is required here, but ${reason}`);
    process.exit(1);
  }
  console.log(`\nSKIPPED: the PostgreSQL half of the suite did not run: ${reason}. The SQLite half above ran in full.`);
  process.exit(0);
}

console.log(`\nThe same suite on PostgreSQL (${shown}):`);
const files = readdirSync('test')
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${name}`);
// A test that hangs fails after 5 minutes instead of holding CI.
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-timeout=300000', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE: 'postgres' },
});
process.exit(run.status ?? 1);
