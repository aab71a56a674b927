import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshDatabase, type TestDatabase } from './helpers/database.js';
import { PROJECT_ROOT, startServer, type ServerProcess } from './helpers/processes.js';

/** The README and the API guide it leads to: their examples are run as written. */
const DOCUMENTS = ['README.md', 'docs/api.md'].map((file) => readFileSync(join(PROJECT_ROOT, file), 'utf8')).join('\n');

/** The fenced sh block that follows `marker` in the README or the API guide. */
function shellBlockAfter(marker: string): string {
  const at = DOCUMENTS.indexOf(marker);
  assert.ok(at >= 0, `the README or docs/api.md has "${marker}"`);
  const match = /```sh\n([\s\S]*?)```/.exec(DOCUMENTS.slice(at));
  assert.ok(match, `a sh block follows "${marker}"`);
  return match[1]!;
}

interface Step {
  command: string;
  /** The `# {...}` line the README shows as its answer, if any. */
  shown: string | null;
}

/** The block's commands (continuation lines joined), each with the answer the README shows for it. */
function steps(block: string): Step[] {
  const result: Step[] = [];
  // A command goes on while its line ends in a backslash or a single quote is still open.
  const continues = (command: string) => command.endsWith('\\') || (command.match(/'/g)?.length ?? 0) % 2 === 1;
  let pending = '';
  for (const line of block.split('\n')) {
    if (pending) {
      pending += `\n${line}`;
      if (!continues(pending)) {
        result.push({ command: pending, shown: null });
        pending = '';
      }
      continue;
    }
    if (line.startsWith('# {')) result.at(-1)!.shown = line.slice(2);
    else if (line.trim() === '' || line.startsWith('#')) continue;
    else if (continues(line)) pending = line;
    else result.push({ command: line, shown: null });
  }
  return result;
}

const SEPARATOR = '<<<readme-step>>>';

/** Runs the blocks as one bash script, exactly as written but for the service's address; one output per step. */
function runSteps(blocks: Step[], serviceUrl: string, env: Record<string, string>): Promise<string[]> {
  const script = ['set -e', ...blocks.map((step) => `${step.command.replaceAll('http://127.0.0.1:3000', serviceUrl)}\necho '${SEPARATOR}'`)].join('\n');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the README's commands failed: ${stderr}`));
      else resolve(stdout.split(`${SEPARATOR}\n`).slice(0, blocks.length));
    });
  });
}

/** Whether an answer has the shape the README shows: the same fields, and the same values where the README gives them plainly. */
function assertShaped(actual: unknown, shown: unknown, where: string): void {
  if (Array.isArray(shown)) {
    assert.ok(Array.isArray(actual), `${where} is a list`);
    for (const [i, item] of shown.entries()) assertShaped((actual as unknown[])[i], item, `${where}[${i}]`);
    return;
  }
  if (shown && typeof shown === 'object') {
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(shown).sort(), `${where} has the fields the README shows`);
    for (const [key, value] of Object.entries(shown)) assertShaped((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    return;
  }
  // Ids, times and timestamps change from run to run; names, flags and nulls do not.
  if (typeof shown === 'string' && (shown.includes('…') || /^\d{13}$/.test(shown) || /^\d{4}-\d\d-\d\dT/.test(shown))) return;
  assert.deepEqual(actual, shown, where);
}

describe('the README, run as written', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let env: Record<string, string>;

  before(async () => {
    database = await freshDatabase();
    env = { DATABASE_URL: database.url };
    server = await startServer(env);
  });
  after(async () => {
    await server.stop();
    await database.drop();
  });

  it('first steps: the CLI makes a chatbot, an agent and keys, and each curl answers as shown', async () => {
    const setup = steps(shellBlockAfter('### A first chatbot, agent and key'));
    const admin = steps(shellBlockAfter('**To make her an admin**'));
    // With it, Alice's own key reads the members, which only an admin may.
    const members = { command: 'curl -s http://127.0.0.1:3000/v1/chatbots/$CHATBOT/members -H "x-chatcaptain-key: $KEY"', shown: null };
    const calls = steps(shellBlockAfter('Then call each endpoint:'));
    const send = steps(shellBlockAfter('**Send** (an integration'));
    const outputs = await runSteps([...setup, ...admin, members, ...calls, ...send], server.url, env);
    assert.match(outputs[setup.length]!, /^agent ag_\S+ is admin of chatbot cb_\S+\n$/, 'the README shows what the CLI answers');
    const listed = JSON.parse(outputs[setup.length + 1]!) as { items: Array<{ name: string; role: string }> };
    assert.deepEqual(
      listed.items.map((member) => [member.name, member.role]),
      [['Alice', 'admin']],
      'Alice is an admin: her key reads the members',
    );
    const answers = outputs.slice(setup.length + 2);
    const all = [...calls, ...send];
    assert.equal(answers.length, all.length);
    all.forEach((step, i) => {
      const answer = JSON.parse(answers[i]!) as Record<string, unknown>;
      assert.equal(answer.code, undefined, `${step.command.split('\n')[0]} did not fail: ${answers[i]}`);
      if (step.shown) assertShaped(answer, JSON.parse(step.shown), step.command.split(' ').slice(0, 3).join(' '));
    });
    const notified = JSON.parse(answers.at(-1)!) as { id: string; deliveries: Array<{ state: string; reason: string }> };
    assert.match(notified.id, /^ntf_/);
    // Alice went online above, registered an FCM token, and no service account is configured.
    assert.deepEqual(
      notified.deliveries.map((delivery) => [delivery.state, delivery.reason]),
      [['skipped', 'fcm_not_configured']],
    );
  });

  it('provisioning over HTTP: one operator key from the CLI, then curl alone ends with a working agent key', async () => {
    const setup = steps(shellBlockAfter('## Provisioning over HTTP'));
    const calls = steps(shellBlockAfter('Then, from anywhere that reaches the service:'));
    assert.ok(
      setup.every((step) => step.command.includes('npm run -s cli -- key create --operator')),
      'the CLI makes the operator key',
    );
    assert.ok(
      calls.every((step) => !step.command.includes('npm run')),
      'and nothing after it uses the CLI',
    );
    const outputs = (await runSteps([...setup, ...calls], server.url, env)).slice(setup.length);
    calls.forEach((step, i) => {
      if (step.command.startsWith('curl')) {
        const answer = JSON.parse(outputs[i]!) as Record<string, unknown>;
        assert.equal(answer.code, undefined, `${step.command.split('\n')[0]} did not fail: ${outputs[i]}`);
        if (step.shown) assertShaped(answer, JSON.parse(step.shown), step.command.split('\n')[0]!);
      }
    });
    const last = JSON.parse(outputs.at(-1)!) as { applied: boolean; online: boolean };
    assert.deepEqual([last.online, last.applied], [true, true], "Ada's key, made over HTTP, sets her status");
  });
});
