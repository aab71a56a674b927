#!/usr/bin/env node
/**
 * Makes what the service hands integrators (GET /sdk/…), from the compiled SDK in dist/:
 *
 * - `release/inbox-agents-sdk-<version>.tgz`: the npm package, with its dependencies inside it
 *   (bundleDependencies), so `npm install <the service's URL for it>` needs no registry;
 * - `release/inbox-agents-sdk-<version>.js`: one ES module for `<script type="module">`, its
 *   dependencies bundled in (the `eventsource` package, for Node only, is left out).
 *
 * Run by `npm run build -w sdk` after tsc, and by the service's build when the SDK changed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(sdk, '..');
const pkg = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
const startedAt = new Date();
const target = join(sdk, 'release');
// Built beside it and renamed into place: a service starting meanwhile never reads half a release.
const release = join(sdk, `.release-${process.pid}`);
const base = `inbox-agents-sdk-${pkg.version}`;

/** The dependencies and theirs, as installed in the workspace. */
function closure(names, seen = new Set()) {
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    closure(Object.keys(manifest.dependencies ?? {}), seen);
  }
  return seen;
}

rmSync(release, { recursive: true, force: true });
mkdirSync(release, { recursive: true });

const stage = mkdtempSync(join(tmpdir(), 'inbox-agents-sdk-'));
try {
  cpSync(join(sdk, 'dist'), join(stage, 'dist'), { recursive: true });
  cpSync(join(sdk, 'README.md'), join(stage, 'README.md'));
  for (const name of closure(Object.keys(pkg.dependencies ?? {}))) {
    cpSync(join(root, 'node_modules', name), join(stage, 'node_modules', name), { recursive: true, dereference: true });
  }
  const { scripts: _scripts, devDependencies: _dev, ...published } = pkg;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...published, bundleDependencies: Object.keys(pkg.dependencies ?? {}) }, null, 2)}\n`);
  execFileSync('npm', ['pack', '--silent', '--pack-destination', release], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
const packed = join(release, `${base}.tgz`);
if (!existsSync(packed)) throw new Error(`npm pack did not write ${packed}`);

await build({
  entryPoints: [join(sdk, 'src', 'index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['eventsource'],
  outfile: join(release, `${base}.js`),
  logLevel: 'warning',
});
// The stamp the service's build compares with the SDK's sources (scripts/build-if-stale.mjs).
writeFileSync(join(release, '.built-at'), `${startedAt.toISOString()}\n`);
utimesSync(join(release, '.built-at'), startedAt, startedAt);
const old = join(sdk, `.release-old-${process.pid}`);
if (existsSync(target)) renameSync(target, old);
renameSync(release, target);
rmSync(old, { recursive: true, force: true });
process.stderr.write(`released ${base}.tgz and ${base}.js to sdk/release/\n`);
