import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './helpers/processes.js';

/**
 * How the folders of src/ depend on each other, read from their imports: no two folders import
 * each other, and the pure rules import nothing that does I/O.
 */
const SRC = join(PROJECT_ROOT, 'src');
const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());

/** The folders each file of `folder` imports from (type imports included: they tie the code as much). */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)].map((match) => match[1]!);
}
function filesOf(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(SRC, folder, name));
}
const uses = new Map(
  folders.map((folder) => [
    folder,
    new Set(
      filesOf(folder)
        .flatMap(importsOf)
        .filter((used) => used !== folder),
    ),
  ]),
);

/**
 * Pairs that import each other today outside presence; the trust issue's dependency rules
 * remove them. A pair not named here fails, so none is added.
 */
const KNOWN_PAIRS = new Set(['audit<>auth', 'auth<>http', 'auth<>tenancy', 'notifications<>push']);

describe('dependencies between the folders of src/', () => {
  it('no two folders import each other (presence, availability and webhooks never; the known few elsewhere only)', () => {
    const pairs: string[] = [];
    for (const [folder, used] of uses) for (const other of used) if (folder < other && uses.get(other)?.has(folder)) pairs.push(`${folder}<>${other}`);
    assert.deepEqual(
      pairs.filter((pair) => !KNOWN_PAIRS.has(pair)),
      [],
      `folders importing each other: ${pairs.join(', ')}`,
    );
    for (const folder of ['presence', 'availability', 'webhooks']) assert.ok(!pairs.some((pair) => pair.split('<>').includes(folder)), folder);
  });

  it('the pure rules of presence and availability import nothing that does I/O', () => {
    // Type imports carry no code; a value import of a driver, the database or a module that reads or writes it would.
    const io = /^node:|^(kysely|pg|better-sqlite3|ioredis|fastify)$|\/db\/|\/(store|members|announcements|event-log|unit-of-work|service|leases)\.js$/;
    for (const file of ['presence/liveness.ts', 'presence/judge.ts', 'presence/entry.ts', 'availability/rule.ts', 'availability/next-available.ts', 'availability/report.ts']) {
      const source = readFileSync(join(SRC, file), 'utf8');
      const imported = [...source.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map((match) => match[1]!);
      assert.deepEqual(
        imported.filter((module) => io.test(module)),
        [],
        `${file} imports something that does I/O`,
      );
    }
  });
});
