import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { SCHEMA_FILE, schemaTypes } from '../scripts/generate.mjs';
import { startService, type Service } from './helpers.js';

describe("the SDK's types and the running service", () => {
  let service: Service;
  before(async () => {
    service = await startService();
  });
  after(async () => {
    await service?.close();
  });

  it('regenerating the types from the OpenAPI document the service serves gives exactly the committed file', async () => {
    const response = await fetch(`${service.url}/openapi.json`);
    assert.equal(response.status, 200);
    const generated = await schemaTypes(await response.json());
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    if (generated !== committed) {
      const [left, right] = [generated.split('\n'), committed.split('\n')];
      const line = left.findIndex((text, index) => text !== right[index]);
      assert.fail(
        `sdk/src/schema.ts is out of date with the service's OpenAPI document (first difference at line ${line + 1}:\n  service:   ${left[line]}\n  committed: ${right[line]}).\nRegenerate it: npm start, then npm run generate -w sdk -- http://127.0.0.1:3000/openapi.json`,
      );
    }
  });
});
