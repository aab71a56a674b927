import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { freshDatabase, tempDir, type TestDatabase } from './helpers/database.js';
import { cliJson, PROJECT_ROOT, runCli } from './helpers/processes.js';
import { freePort } from './helpers/redis.js';
import { SseClient } from './helpers/sse.js';

/** Every descendant of a process, as ps sees them now. */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs a command from the project root and resolves with its exit code and output. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('running it in production', () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });

  it('npm start runs the compiled service, and SIGTERM to npm stops the whole process tree gracefully, exit 0', async () => {
    const database = await freshDatabase();
    databases.push(database);
    const npm = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Array<Record<string, unknown>> = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('npm start did not report listening within 60 s')), 60_000);
      createInterface({ input: npm.stdout }).on('line', (line) => {
        if (!line.startsWith('{')) return; // npm's own banner
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'inbox-agents listening') {
          clearTimeout(timer);
          resolve(String(entry.url));
        }
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    const tree = descendants(npm.pid!);
    const commands = tree.map((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    assert.ok(
      commands.some((command) => /node .*dist\/server\.js/.test(command)),
      `compiled JavaScript runs: ${commands.join(' | ')}`,
    );
    assert.ok(!commands.some((command) => /tsx/.test(command)), 'no TypeScript runner at run time');

    // A stream open at shutdown is ended cleanly, so its client reconnects elsewhere.
    const env = { DATABASE_URL: database.url };
    const chatbot = await cliJson<{ id: string }>(['chatbot', 'create', '--name', 'Support'], env);
    const agent = await cliJson<{ id: string }>(['agent', 'create', '--chatbot', chatbot.id, '--name', 'Alice'], env);
    const { key } = await cliJson<{ key: string }>(['key', 'create', '--agent', agent.id], env);
    const stream = await SseClient.open(`${url}/v1/inbox/${chatbot.id}/agents/online/stream`, { 'x-chatcaptain-key': key });
    await stream.next((event) => event.event === 'snapshot');

    const exited = once(npm, 'exit');
    process.kill(npm.pid!, 'SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, 'npm reports the service stopped cleanly');
    assert.ok(stream.isEnded, 'the open stream was ended, not left hanging');
    // Give the kernel a moment to reap what exited with npm.
    for (let i = 0; i < 50 && tree.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(tree.filter(alive), [], 'no process of the tree survives');
    assert.ok(
      logs.some((entry) => entry.msg === 'stopped'),
      'the service says it stopped',
    );
    await assert.rejects(fetch(`${url}/healthz`), 'nothing answers any more');
  });

  it('SIGINT to node itself stops it gracefully too', async () => {
    const database = await freshDatabase();
    databases.push(database);
    const node = spawn(process.execPath, ['dist/server.js'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) => createInterface({ input: node.stdout }).on('line', (line) => line.includes('inbox-agents listening') && resolve()));
    const exited = once(node, 'exit');
    node.kill('SIGINT');
    assert.deepEqual(await exited, [0, null]);
  });

  it('startup failures print one clear line, not a stack trace, and exit 1', async () => {
    const dir = tempDir();
    const taken = await freePort();
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${taken}, '127.0.0.1', () => console.log('ready'))`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await once(holder.stdout, 'data');
    try {
      const cases: Array<{ env: Record<string, string>; says: RegExp }> = [
        { env: { DATABASE_URL: join(dir, 'typo', 'inbox.db'), DATABASE_MUST_EXIST: 'true' }, says: /the SQLite database .*typo\/inbox\.db does not exist/ },
        {
          env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/x` },
          says: /cannot reach the database at postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/x: connection refused/,
        },
        { env: { DATABASE_URL: join(dir, 'ok.db'), PORT: String(taken) }, says: new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}: the port is already in use`) },
        { env: { DATABASE_URL: join(dir, 'ok.db'), PORT: 'eighty' }, says: /PORT must be a whole number/ },
      ];
      for (const { env, says } of cases) {
        const result = await run(process.execPath, ['dist/server.js'], { LOG_LEVEL: 'silent', ...env });
        assert.equal(result.code, 1, result.stderr);
        const lines = result.stderr.trim().split('\n');
        assert.match(result.stderr, says);
        assert.ok(lines.length <= 3 && !/\n\s+at /.test(result.stderr), `no stack trace: ${result.stderr}`);
      }
      assert.ok(!existsSync(join(dir, 'typo')), 'DATABASE_MUST_EXIST created nothing');
    } finally {
      holder.kill();
    }
  });

  it('the CLI refuses a database file that does not exist instead of creating an empty one', async () => {
    const dir = tempDir();
    const result = await runCli(['chatbot', 'list'], { DATABASE_URL: join(dir, 'typo', 'inbox.db') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the SQLite database .*typo\/inbox\.db does not exist/);
    assert.equal(result.stdout, '');
    assert.ok(!existsSync(join(dir, 'typo')), 'nothing was created');
  });

  it('npm is not silenced: `npm run` lists the scripts and a mistyped script says so', async () => {
    const listed = await run('npm', ['run']);
    assert.equal(listed.code, 0);
    for (const script of ['start', 'build', 'dev', 'cli', 'test', 'bench']) assert.match(listed.stdout, new RegExp(`^  ${script}$`, 'm'));
    const typo = await run('npm', ['run', 'strat']);
    assert.notEqual(typo.code, 0);
    assert.match(typo.stderr, /Missing script: "strat"/);
  });

  it('`npm run -s cli -- … --json` prints one JSON object and nothing else on stdout', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: join(dir, 'inbox.db') };
    // The service creates the database on its first start; the migrations are what it runs.
    const created = await run(process.execPath, ['-e', `import('./dist/db/database.js').then(async (m) => (await m.openDatabase(${JSON.stringify(env.DATABASE_URL)})).close())`]);
    assert.equal(created.code, 0, created.stderr);
    const result = await runCli(['chatbot', 'create', '--name', 'Acme', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotThrow(() => JSON.parse(result.stdout));
    assert.equal(result.stdout.trim().split('\n').length, 1);
  });
});
