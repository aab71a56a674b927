import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestContext, tempDir, type TestContext } from './helpers/context.js';
import { PROJECT_ROOT } from './helpers/processes.js';

/**
 * The OpenAPI document as the service serves it, checked by a tool that reads it as client
 * generators and validating proxies do: Redocly CLI with its recommended ruleset.
 */
describe('the OpenAPI document', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it("passes Redocly's recommended ruleset with no error and no warning", async () => {
    const document = (await ctx.call({ method: 'GET', url: '/openapi.json' })).json();
    const file = join(tempDir(), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const output = await new Promise<string>((resolve) => {
      execFile(join(PROJECT_ROOT, 'node_modules', '.bin', 'redocly'), ['lint', file, '--extends=recommended', '--format=json'], { cwd: PROJECT_ROOT }, (_error, stdout) =>
        resolve(stdout),
      );
    });
    const report = JSON.parse(output) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const problems = report.problems.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`);
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 }, problems.join('\n'));
  });

  it("carries the package's version, servers, and a security scheme for the stream's ticket", async () => {
    const document = (await ctx.call({ method: 'GET', url: '/openapi.json' })).json();
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    assert.equal(document.info.version, version);
    assert.deepEqual(
      document.servers.map((server: { url: string }) => server.url),
      ['/'],
      'without PUBLIC_URL: the address the document was read from',
    );
    const named = await createTestContext({ env: { PUBLIC_URL: 'https://inbox.example.com' } });
    try {
      const served = (await named.call({ method: 'GET', url: '/openapi.json' })).json();
      assert.deepEqual(
        served.servers.map((server: { url: string }) => server.url),
        ['https://inbox.example.com'],
        'PUBLIC_URL, as sign-in links use it',
      );
    } finally {
      await named.close();
    }
    assert.deepEqual(document.components.securitySchemes.streamTicket, {
      type: 'apiKey',
      in: 'query',
      name: 'ticket',
      description: document.components.securitySchemes.streamTicket.description,
    });
    const list = document.paths['/v1/inbox/{chatbotId}/agents/online'].get;
    assert.equal(list.summary, 'Lists the online status of every agent of a chatbot');
    assert.ok(list.parameters.some((parameter: { in: string; name: string }) => parameter.in === 'header' && parameter.name === 'if-none-match'));
    assert.equal(list.responses['200'].description, 'Every member of the chatbot with its listed status, ordered by name');
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(operation.operationId, `${method} ${path} has an operationId`);
        for (const [status, response] of Object.entries(operation.responses)) {
          assert.notEqual((response as { description?: string }).description, 'Default Response', `${method} ${path} ${status} says what it is`);
        }
      }
    }
  });
});
