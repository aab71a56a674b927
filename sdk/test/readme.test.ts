import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../test/helpers/processes.js';
import { ok, setMyStatus } from '../src/index.js';
import { provisionTeam, readmeExample, startService, until, type Service, type Team } from './helpers.js';

// Written where Node resolves `@inbox-agents/sdk` as an installed package would: the workspace's
// link in node_modules, through the package's exports, to the built dist/.
const SCRATCH = join(PROJECT_ROOT, 'node_modules', '.cache', 'sdk-readme');

interface Run {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => void;
}

function runExample(name: string, env: Record<string, string>): Run {
  mkdirSync(SCRATCH, { recursive: true });
  const file = join(SCRATCH, `${name}.mjs`);
  writeFileSync(file, readmeExample(name));
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exited, stop: () => child.kill('SIGTERM') };
}

describe('the SDK README examples, run as written', () => {
  let service: Service;
  let team: Team;
  before(async () => {
    service = await startService();
    team = await provisionTeam(service, ['Ada', 'Grace']);
  });
  after(async () => {
    await service?.close();
    rmSync(SCRATCH, { recursive: true, force: true });
  });
  const env = () => ({ INBOX_URL: service.url, INBOX_KEY: team.integrationKey, CHATBOT_ID: team.chatbotId, AGENT_KEY: team.agents[0]!.key });

  it('client: lists the agents, and a refused call is an InboxApiError with its code', async () => {
    const run = runExample('client', env());
    assert.equal(await run.exited, 0, run.output());
    assert.equal(run.output(), 'Ada: offline (no_sign_of_life)\nGrace: offline (no_sign_of_life)\nrefused: 403 chatbot_forbidden\n');
  });

  it('status: the agent is busy, in a meeting, for 30 minutes', async () => {
    const run = runExample('status', env());
    assert.equal(await run.exited, 0, run.output());
    assert.equal(run.output(), 'busy: In a meeting\n');
    const ada = ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })).agents.find(
      (agent) => agent.name === 'Ada',
    )!;
    assert.deepEqual([ada.state, ada.statusText], ['busy', 'In a meeting']);
    const minutes = (Date.parse(ada.statusUntil!) - Date.now()) / 60_000;
    assert.ok(minutes > 29 && minutes <= 30, `until in ${minutes} min`);
  });

  it('presence: prints the team, then each change, and stops on SIGTERM', async () => {
    const run = runExample('presence', env());
    try {
      await until('the first snapshot', () => run.output().includes('Ada: '));
      assert.match(run.output(), /^stream connecting\n(stream open\n)?Ada: \w+, Grace: offline\n/);
      await setMyStatus(team.agents[1]!.api, team.chatbotId, 'away', { text: 'Lunch' });
      await until('Grace away', () => run.output().includes('Grace: away'));
    } finally {
      run.stop();
    }
    assert.equal(await run.exited, 0, 'stream.stop() lets the process end');
    assert.match(run.output(), /stream stopped\n$/);
  });
});
