import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { tempDir } from './helpers/context.js';
import { freshDatabase, type TestDatabase } from './helpers/database.js';
import { cliJson, runCli, startServer, type ServerProcess } from './helpers/processes.js';

describe('admin CLI end to end against a listening server', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ServerProcess;

  before(async () => {
    database = await freshDatabase();
    // On SQLite, a path in folders that do not exist yet: the first start creates them.
    env = { DATABASE_URL: database.url.endsWith('.db') ? database.url.replace(/inbox-agents\.db$/, 'nested/folder/inbox-agents.db') : database.url };
    server = await startServer(env);
  });
  after(async () => {
    await server.stop();
    await database.drop();
  });

  const http = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'x-chatcaptain-key': key, 'content-type': 'application/json', ...init.headers } });

  it('creates chatbots, agents, memberships and keys that the running service honours, and revokes them at once', async () => {
    const chatbot = await cliJson<{ id: string }>(['chatbot', 'create', '--name', 'Acme Support'], env);
    assert.match(chatbot.id, /^cb_/);
    const sales = await cliJson<{ id: string }>(['chatbot', 'create', '--name', 'Acme Sales'], env);
    const alice = await cliJson<{ id: string }>(['agent', 'create', '--chatbot', chatbot.id, '--name', 'Alice', '--email', 'alice@example.com'], env);
    assert.match(alice.id, /^ag_/);
    const bob = await cliJson<{ id: string; role: string }>(['agent', 'create', '--chatbot', chatbot.id, '--name', 'Bob', '--role', 'admin'], env);
    assert.equal(bob.role, 'admin');
    const added = await cliJson(['agent', 'add', '--agent', alice.id, '--chatbot', sales.id, '--role', 'agent'], env);
    assert.deepEqual(added, { agentId: alice.id, chatbotId: sales.id, role: 'agent' });
    const skilled = await cliJson(['agent', 'skills', '--agent', alice.id, '--chatbot', chatbot.id, '--skill', 'es', '--skill', 'billing'], env);
    assert.deepEqual(skilled, { chatbotId: chatbot.id, agentId: alice.id, skills: ['billing', 'es'] });
    assert.match((await runCli(['agent', 'skills', '--agent', alice.id, '--chatbot', sales.id], env)).stdout, /holds no skills in chatbot/);
    // Without --skill it only shows them; --clear removes them.
    assert.deepEqual(await cliJson(['agent', 'skills', '--agent', alice.id, '--chatbot', chatbot.id], env), {
      chatbotId: chatbot.id,
      agentId: alice.id,
      skills: ['billing', 'es'],
    });
    assert.deepEqual(await cliJson(['agent', 'skills', '--agent', alice.id, '--chatbot', chatbot.id, '--clear'], env), { chatbotId: chatbot.id, agentId: alice.id, skills: [] });

    const agentKey = await cliJson<{ id: string; key: string }>(['key', 'create', '--agent', alice.id], env);
    assert.match(agentKey.key, /^cck_/);
    const integrationKey = await cliJson<{ id: string; key: string }>(
      ['key', 'create', '--chatbot', chatbot.id, '--permission', 'chatbots.inbox.agents.list', '--permission', 'chatbots.inbox.agents.notifications.*'],
      env,
    );

    const posted = await http(`/v1/inbox/${chatbot.id}/agents/me/online`, agentKey.key, {
      method: 'POST',
      body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
    });
    assert.equal(posted.status, 200);
    const listed = await http(`/v1/inbox/${chatbot.id}/agents/online`, integrationKey.key);
    const agents = ((await listed.json()) as { agents: Array<{ name: string; online: boolean }> }).agents;
    assert.deepEqual(
      agents.map((a) => [a.name, a.online]),
      [
        ['Alice', true],
        ['Bob', false],
      ],
    );
    assert.equal((await http(`/v1/inbox/${sales.id}/agents/online`, agentKey.key)).status, 200, 'the added membership counts');

    const keys = await runCli(['key', 'list', '--json'], env);
    assert.ok(!keys.stdout.includes(agentKey.key) && !keys.stdout.includes(integrationKey.key), 'listings never show secrets');
    const listing = JSON.parse(keys.stdout) as { keys: Array<{ id: string; hint: string; revokedAt: string | null }> };
    assert.deepEqual(listing.keys.map((k) => k.id).sort(), [agentKey.id, integrationKey.id].sort());

    const revoked = await cliJson(['key', 'revoke', agentKey.id], env);
    assert.deepEqual(revoked, { id: agentKey.id, revoked: true });
    const refused = await http(`/v1/inbox/${chatbot.id}/agents/online`, agentKey.key);
    assert.equal(refused.status, 401, 'the running server refuses the key revoked by another process on the next request');
    assert.equal(((await refused.json()) as { code: string }).code, 'revoked_key');

    const table = await runCli(['agent', 'list', '--chatbot', chatbot.id], env);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^id\s+name\s+email\s+externalId\s+memberships/m, 'without --json a readable table');
    assert.match(table.stdout, /Alice\s+alice@example\.com/);
    const chatbots = await cliJson<{ chatbots: Array<{ name: string }> }>(['chatbot', 'list'], env);
    assert.deepEqual(
      chatbots.chatbots.map((c) => c.name),
      ['Acme Support', 'Acme Sales'],
    );
  });

  it('agent skills drains the queue into the member, and its agent is told before the CLI ends', async () => {
    const chatbot = await cliJson<{ id: string }>(['chatbot', 'create', '--name', 'Skills desk'], env);
    const ada = await cliJson<{ id: string }>(['agent', 'create', '--chatbot', chatbot.id, '--name', 'Ada'], env);
    const adaKey = await cliJson<{ key: string }>(['key', 'create', '--agent', ada.id], env);
    const integration = await cliJson<{ key: string }>(['key', 'create', '--chatbot', chatbot.id, '--permission', 'chatbots.inbox.assignments.*'], env);
    const online = await http(`/v1/inbox/${chatbot.id}/agents/me/online`, adaKey.key, {
      method: 'POST',
      body: JSON.stringify({ online: true, clientTimestamp: String(Date.now()) }),
    });
    assert.equal(online.status, 200);
    const waiting = await http(`/v1/inbox/${chatbot.id}/assignments`, integration.key, {
      method: 'POST',
      body: JSON.stringify({ conversationId: 'needs-es', requiredSkills: ['es'], wait: true }),
    });
    assert.equal(waiting.status, 202, await waiting.text());
    assert.deepEqual(await cliJson(['agent', 'skills', '--agent', ada.id, '--chatbot', chatbot.id, '--skill', 'es'], env), {
      chatbotId: chatbot.id,
      agentId: ada.id,
      skills: ['es'],
    });
    const chat = (await (await http(`/v1/inbox/${chatbot.id}/assignments/needs-es`, integration.key)).json()) as { state: string; agentId: string };
    assert.deepEqual([chat.state, chat.agentId], ['assigned', ada.id], 'assigned by the CLI’s unit of work');
    // Told by the CLI before it closed the database (else only the server's sweep, 30 s on, would).
    const told = await openDatabase(database.url === env.DATABASE_URL ? database.url : env.DATABASE_URL!);
    try {
      const row = await told.db
        .selectFrom('assignments')
        .select('told_at')
        .where('chatbot_id', '=', chatbot.id)
        .where('conversation_id', '=', 'needs-es')
        .executeTakeFirstOrThrow();
      assert.notEqual(row.told_at, null);
    } finally {
      await told.close();
    }
  });

  it('refuses bad arguments with a clear message and a non-zero exit', async () => {
    const cases: Array<{ args: string[]; code: number; says: RegExp }> = [
      { args: ['chatbot', 'create'], code: 2, says: /--name <value> is required/ },
      { args: ['agent', 'create', '--chatbot', 'cb_nope', '--name', 'Zed'], code: 1, says: /chatbot cb_nope does not exist/ },
      { args: ['agent', 'create', '--chatbot', 'cb_nope', '--name', 'Zed', '--role', 'superuser'], code: 2, says: /role must be one of agent, admin/ },
      { args: ['key', 'create'], code: 2, says: /give exactly one of --agent <id>/ },
      { args: ['key', 'create', '--chatbot', 'cb_x', '--permission', 'bogus.perm'], code: 2, says: /matches no chatbot permission/ },
      { args: ['key', 'create', '--operator'], code: 2, says: /--permission/ },
      { args: ['key', 'rotate', 'key_x', '--overlap', 'soon'], code: 2, says: /--overlap must be a whole number of seconds/ },
      { args: ['key', 'rotate', 'key_missing', '--overlap', '90000'], code: 2, says: /overlapSeconds must be a whole number from 0 to 86400/ },
      { args: ['audit', 'list', '--limit', '0'], code: 2, says: /limit must be a whole number from 1 to 200/ },
      { args: ['chatbot', 'list', '--limit', 'abc'], code: 2, says: /^error: chatbot list takes no --limit \(usage: chatbot list\)\n$/ },
      { args: ['agent', 'remove', '--agent', 'ag_x', '--chatbot', 'cb_x', '--role', 'admin'], code: 2, says: /agent remove takes no --role/ },
      { args: ['chatbot', 'rename', '--chatbot', 'cb_nope', '--name', 'X'], code: 1, says: /chatbot cb_nope does not exist/ },
      { args: ['key', 'revoke'], code: 2, says: /takes exactly one argument \(usage: key revoke <keyId>\)/ },
      { args: ['key', 'revoke', 'key_missing'], code: 1, says: /key key_missing does not exist/ },
      { args: ['chatbot', 'create', '--nmae', 'typo'], code: 2, says: /^error: unknown option --nmae \(npm run cli -- <command> --help lists a command's options\)\n$/ },
      { args: ['spaceship', 'launch'], code: 2, says: /unknown command "spaceship launch"/ },
      { args: ['agent', 'skills', '--agent', 'ag_x', '--chatbot', 'cb_x', '--skill', 'Tier 2'], code: 2, says: /"Tier 2" is not a skill name/ },
      { args: ['agent', 'skills', '--agent', 'ag_x', '--chatbot', 'cb_x', '--skill', 'es', '--clear'], code: 2, says: /give --skill or --clear, not both/ },
      { args: ['agent', 'skills', '--agent', 'ag_nope', '--chatbot', 'cb_nope', '--skill', 'es'], code: 1, says: /agent ag_nope is not a member of chatbot cb_nope/ },
    ];
    for (const { args, code, says } of cases) {
      const result = await runCli(args, env);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, says, args.join(' '));
      assert.equal(result.stdout, '', 'nothing on stdout for a failure');
    }
    const asJson = await runCli(['agent', 'add', '--agent', 'ag_nope', '--chatbot', 'cb_nope', '--json'], env);
    assert.equal(asJson.code, 1);
    assert.deepEqual(JSON.parse(asJson.stderr), { error: 'chatbot cb_nope does not exist', code: 'not_found' });
  });

  it('--help, per-command --help, --version, and no arguments: help on stdout, exit 0', async () => {
    const none = await runCli([], env);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /Usage: npm run cli -- <command>/);
    assert.match(none.stdout, /key rotate <keyId>/);
    assert.equal((await runCli(['--help'], env)).stdout, none.stdout);
    const one = await runCli(['key', 'rotate', '--help'], env);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /Usage: npm run cli -- key rotate <keyId> \[--overlap <seconds>\]/);
    assert.match(one.stdout, /old one stays valid/);
    assert.match(one.stdout, /Example:\n {2}npm run -s cli -- key rotate/);
    for (const group of [['agent', '--help'], ['agent']]) {
      const agentCommands = await runCli(group, env);
      assert.equal(agentCommands.code, 0, group.join(' '));
      assert.match(agentCommands.stdout, /The agent commands:\n\n {2}agent create --chatbot <id> --name <name>/);
      assert.match(agentCommands.stdout, /agent login-link --agent <id> --chatbot <id>/);
      assert.doesNotMatch(agentCommands.stdout, /key create/, 'only the agent commands');
    }
    const version = await runCli(['--version'], env);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('operator keys, rename, rotate, delete and the audit log, through the same services as HTTP', async () => {
    const operator = await cliJson<{ id: string; key: string; kind: string; permissions: string[] }>(
      ['key', 'create', '--operator', '--permission', '*', '--name', 'provisioning'],
      env,
    );
    assert.equal(operator.kind, 'operator');
    assert.deepEqual(operator.permissions, ['*']);
    const created = await http('/v1/chatbots', operator.key, { method: 'POST', body: JSON.stringify({ name: 'Made over HTTP' }) });
    assert.equal(created.status, 201);
    const chatbot = (await created.json()) as { id: string };
    const renamed = await cliJson<{ name: string }>(['chatbot', 'rename', '--chatbot', chatbot.id, '--name', 'Renamed by the CLI'], env);
    assert.equal(renamed.name, 'Renamed by the CLI');
    const rotated = await cliJson<{ id: string; key: string }>(['key', 'rotate', operator.id, '--overlap', '0'], env);
    assert.equal(rotated.id, operator.id);
    assert.equal((await http(`/v1/chatbots/${chatbot.id}`, operator.key)).status, 401, 'the old secret is refused at once');
    assert.equal((await http(`/v1/chatbots/${chatbot.id}`, rotated.key)).status, 200);
    assert.deepEqual(await cliJson(['chatbot', 'delete', '--chatbot', chatbot.id], env), { id: chatbot.id, deleted: true });
    assert.equal((await http(`/v1/chatbots/${chatbot.id}`, rotated.key)).status, 404);
    const audit = await cliJson<{ entries: Array<{ action: string; actor: { kind: string; keyId: string | null } }> }>(['audit', 'list', '--chatbot', chatbot.id], env);
    assert.deepEqual(
      audit.entries.map((e) => [e.action, e.actor.kind]),
      [
        ['chatbot.deleted', 'cli'],
        ['chatbot.renamed', 'cli'],
        ['chatbot.created', 'operator'],
      ],
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(await server.stop(), 0);
    assert.ok(server.logs.some((line) => line.includes('shutting down')));
  });
});

describe('server start-up', () => {
  it('says so, with the path, when DATABASE_URL names a SQLite file that does not exist yet (a new, empty database); not on the next start', async () => {
    const path = join(tempDir(), 'typo', 'inbox-agnets.db');
    const first = await startServer({ DATABASE_URL: path });
    await first.stop();
    const warned = first.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string; path?: string })
      .find((entry) => entry.msg.startsWith('created a new, empty database'));
    assert.ok(warned, first.logs.join('\n'));
    assert.equal(warned.path, path);
    assert.equal(warned.level, 40, 'a warning');
    const again = await startServer({ DATABASE_URL: path });
    await again.stop();
    assert.ok(!again.logs.some((line) => line.includes('created a new, empty database')), 'an existing file is no news');
  });

  it('refuses to start on a bad configuration, listing every problem', async () => {
    await assert.rejects(startServer({ PORT: 'abc', PRESENCE_TTL_SECONDS: 'soon' }), (error: Error) => {
      assert.match(error.message, /PORT must be a whole number/);
      assert.match(error.message, /PRESENCE_TTL_SECONDS must be a whole number/);
      return true;
    });
  });
});
