#!/usr/bin/env node
/**
 * Compiles src/ to dist/ when dist/ is missing or older than the sources, so that `npm start`
 * and `npm run cli` run compiled JavaScript and still work straight after `npm ci`. Plain
 * JavaScript on purpose: it runs before anything is compiled.
 *
 * Several processes may start at once (a test suite, a supervisor starting two instances): one
 * builds under a lock while the others wait for it, and a build lands in dist/ by a rename, so
 * nobody ever runs a half-written dist/. Everything it says goes to stderr: stdout belongs to
 * the program it precedes (the CLI's --json).
 *
 * The agent console (console/, served at /app/) is built the same way, with Vite, when its
 * sources (or the SDK's, which it bundles) are newer than console/dist/. Without Vite (an install
 * without dev dependencies) the console is left unbuilt, and /app/ says so.
 *
 * The SDK's release (sdk/release/, served at /sdk/ for integrators to install) is built the same
 * way when the SDK's sources are newer than it.
 *
 * `node scripts/build-if-stale.mjs --force` builds all three whatever the timestamps say (npm run build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built-at');
const lock = join(root, '.dist-build.lock');
const LOCK_STALE_MS = 120_000;

const consoleDist = join(root, 'console', 'dist');
const consoleStamp = join(consoleDist, '.built-at');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

const sdkRelease = join(root, 'sdk', 'release');
const sdkStamp = join(sdkRelease, '.built-at');
const sdkTsc = join(root, 'sdk', 'node_modules', 'typescript', 'bin', 'tsc');

/** The newest modification time among files and folders (searched through). */
function newestOf(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

function serverFresh() {
  return existsSync(join(dist, 'server.js')) && existsSync(stamp) && statSync(stamp).mtimeMs >= newestOf(['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']);
}

function consoleFresh() {
  if (!existsSync(vite)) return true; // cannot be built here; /app/ says it is not built
  return existsSync(consoleStamp) && statSync(consoleStamp).mtimeMs >= newestOf(['console/src', 'console/index.html', 'console/vite.config.ts', 'sdk/src', 'package-lock.json']);
}

function sdkFresh() {
  if (!existsSync(sdkTsc)) return true; // cannot be built here; /sdk/ says it is not built
  return existsSync(sdkStamp) && statSync(sdkStamp).mtimeMs >= newestOf(['sdk/src', 'sdk/scripts', 'sdk/package.json', 'sdk/README.md', 'package-lock.json']);
}

function isFresh() {
  return serverFresh() && consoleFresh() && sdkFresh();
}

/** The SDK compiled and released (sdk/release/: the package and the module the service hands integrators at /sdk/). */
function buildSdk() {
  process.stderr.write('building the SDK (sdk/ to sdk/release/) …\n');
  for (const step of [[sdkTsc, '-p', join(root, 'sdk', 'tsconfig.json')], [join(root, 'sdk', 'scripts', 'release.mjs')]]) {
    const result = spawnSync(process.execPath, step, { cwd: join(root, 'sdk'), stdio: ['ignore', 2, 2] });
    if (result.status !== 0) {
      process.stderr.write('the SDK build failed (see above)\n');
      process.exit(1);
    }
  }
  // release.mjs writes the stamp (so does `npm run build -w sdk`), with the time it started.
}

function buildConsole() {
  const startedAt = new Date();
  process.stderr.write('building the console (console/ to console/dist/) …\n');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: join(root, 'console'), stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('the console build failed (see above)\n');
    process.exit(1);
  }
  writeFileSync(consoleStamp, `${startedAt.toISOString()}\n`);
  utimesSync(consoleStamp, startedAt, startedAt);
  process.stderr.write('built the console.\n');
}

function takeLock() {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    // A build that died (kill -9) leaves its lock behind; past two minutes it is not a build.
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function build() {
  const startedAt = new Date();
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write(
      'dist/ is missing or older than src/, and TypeScript is not installed to build it: run `npm ci` (or `npm run build` where dev dependencies are installed)\n',
    );
    process.exit(1);
  }
  process.stderr.write('compiling src/ to dist/ …\n');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write('the build failed (see above); dist/ was left as it was\n');
    process.exit(1);
  }
  // The stamp carries the time the build started: a source saved during the build is newer.
  writeFileSync(join(staging, '.built-at'), `${startedAt.toISOString()}\n`);
  utimesSync(join(staging, '.built-at'), startedAt, startedAt);
  const old = join(root, `.dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
  process.stderr.write('compiled.\n');
}

const force = process.argv.includes('--force');
if (force || !isFresh()) {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    if (takeLock()) {
      try {
        if (force || !serverFresh()) build();
        if ((force && existsSync(vite)) || !consoleFresh()) buildConsole();
        if ((force && existsSync(sdkTsc)) || !sdkFresh()) buildSdk();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    // Another process is building: wait for it, then use what it built.
    if (Date.now() > deadline) {
      process.stderr.write(`waited ${LOCK_STALE_MS / 1000} s for another build (lock ${lock}); giving up\n`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
