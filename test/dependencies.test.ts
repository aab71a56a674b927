import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './helpers/processes.js';

/**
 * The dependency rules of src/, read from the sources' imports (what dependency-cruiser would
 * check; its current releases need Node 22 and TypeScript's JavaScript API, which TypeScript 7
 * no longer has): no cycle between folders; SQL built only in stores and db/; the HTTP layer
 * and the errors depend on no feature and not on db/; the pure rules import nothing that does I/O.
 */
const SRC = join(PROJECT_ROOT, 'src');
const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
const allFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => join(SRC, name));
const source = new Map(allFiles.map((file) => [file, readFileSync(file, 'utf8')]));
const rel = (file: string) => relative(SRC, file).replaceAll('\\', '/');

/** The modules a file imports (type imports included: they tie the code as much), as paths relative to src/ or package names. */
function importsOf(file: string): string[] {
  return [...source.get(file)!.matchAll(/from '([^']+)'/g)].map((match) => {
    const spec = match[1]!;
    return spec.startsWith('.') ? rel(join(file, '..', spec)) : spec;
  });
}
const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : null);

/** Folder -> the folders its files import. */
const uses = new Map(folders.map((folder) => [folder, new Set<string>()]));
for (const file of allFiles) {
  const from = folderOf(rel(file));
  if (from === null) continue;
  for (const target of importsOf(file)) {
    const to = folderOf(target);
    if (to !== null && to !== from && uses.has(to)) uses.get(from)!.add(to);
  }
}

/** The cycles of a graph (its strongly connected components of more than one node). */
function cycles(uses: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (folder: string) => {
    index.set(folder, next);
    low.set(folder, next++);
    stack.push(folder);
    for (const used of uses.get(folder)!) {
      if (!index.has(used)) {
        visit(used);
        low.set(folder, Math.min(low.get(folder)!, low.get(used)!));
      } else if (stack.includes(used)) low.set(folder, Math.min(low.get(folder)!, index.get(used)!));
    }
    if (low.get(folder) === index.get(folder)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== folder);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const folder of uses.keys()) if (!index.has(folder)) visit(folder);
  return found;
}

/** File -> the files of src/ it imports (type imports included). */
const fileUses = new Map(
  allFiles.map((file) => [
    rel(file),
    new Set(
      importsOf(file)
        .filter((target) => target.endsWith('.js') && source.has(join(SRC, target.replace(/\.js$/, '.ts'))))
        .map((target) => target.replace(/\.js$/, '.ts')),
    ),
  ]),
);

describe('dependency rules of src/', () => {
  it('no cycle between folders, of any length', () => {
    assert.deepEqual(cycles(uses), []);
  });

  it('no cycle between files, of any length', () => {
    assert.deepEqual(cycles(fileUses), []);
  });

  it('no module builds SQL text from a value: values are bound parameters, raw SQL only in db/ and only from code', () => {
    const offenders: string[] = [];
    for (const file of allFiles.map(rel)) {
      const text = source.get(join(SRC, file))!;
      // A literal the code writes (a constant) is no value from outside; anything else in sql.lit is.
      for (const match of text.matchAll(/sql\.lit\(([^)]*)\)/g)) if (!/^(null|true|false|-?\d+|'[^'$`]*')$/.test(match[1]!.trim())) offenders.push(`${file}: sql.lit(${match[1]})`);
      if (!file.startsWith('db/') && /sql\.raw\(|\.unsafe\(/.test(text)) offenders.push(`${file}: raw SQL outside db/`);
      if (/escapeLiteral|stringLiteral|quoteLiteral|withLiterals|escapeIdentifier/.test(text)) offenders.push(`${file}: quotes values into SQL`);
      // The driver's unsafe() in db/ runs fixed text: an interpolation in it would be a value.
      for (const match of text.matchAll(/\.unsafe\(`([^`]*)`/g)) if (/\$\{(?!CHANNEL\})/.test(match[1]!)) offenders.push(`${file}: unsafe(\`${match[1]}\`)`);
    }
    assert.deepEqual(offenders, []);
  });

  it('SQL is built only in stores (store.ts, *-store.ts, outbox.ts) and db/', () => {
    const builds =
      /\.(selectFrom|insertInto|updateTable|deleteFrom|executeQuery)\(|\bsql`|\b(prepareQuery|prepareRows|selectRows|afterCursor)\(|^import (?!type )[^;]*from 'kysely';$/m;
    const store = /^db\/|(^|\/)([a-z]+-)*store\.ts$|\/outbox\.ts$/;
    const offenders = allFiles.map(rel).filter((file) => !store.test(file) && builds.test(source.get(join(SRC, file))!));
    assert.deepEqual(offenders, [], 'modules building or running SQL outside a store');
  });

  it('the HTTP layer and the errors depend on no feature folder and not on db/', () => {
    const low = allFiles.map(rel).filter((file) => file.startsWith('http/') || file === 'errors.ts');
    const allowed = new Set(['http', null]);
    for (const file of low) {
      const reached = importsOf(join(SRC, file))
        .filter((target) => source.has(join(SRC, target.replace(/\.js$/, '.ts'))))
        .map(folderOf)
        .filter((folder) => !allowed.has(folder));
      assert.deepEqual(reached, [], `${file} imports from ${reached.join(', ')}`);
    }
  });

  it('the pure rules import nothing that does I/O', () => {
    // Type imports carry no code; a value import of a driver, the database or a module that reads or writes it would.
    const io = /^node:|^(kysely|pg|postgres|better-sqlite3|ioredis|fastify)$|\/db\/|\/([a-z-]*store|outbox|unit-of-work|service)\.js$/;
    const rules = [
      'presence/liveness.ts',
      'presence/judge.ts',
      'presence/entry.ts',
      'availability/rule.ts',
      'availability/next-available.ts',
      'availability/report.ts',
      'push/routing.ts',
      'auth/escalation.ts',
      'delivery/retry.ts',
      'assignments/absence.ts',
      'assignments/choose.ts',
      'http/control-characters.ts',
    ];
    for (const file of rules) {
      const imported = [...source.get(join(SRC, file))!.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map((match) => match[1]!);
      assert.deepEqual(
        imported.filter((module) => io.test(module)),
        [],
        `${file} imports something that does I/O`,
      );
    }
  });
});
