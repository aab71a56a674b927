#!/usr/bin/env node
/**
 * regenerates src/schema.ts, the types of every route, from the service's OpenAPI document:
 *
 *   npm run generate -w sdk -- http://localhost:3000/openapi.json   (a running service)
 *   npm run generate -w sdk -- openapi.json                          (a saved document)
 *
 * The drift test (sdk/test/types-drift.test.ts) calls `schemaTypes` on the document a running
 * service serves and fails when the committed file differs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_FILE = fileURLToPath(new URL('../src/schema.ts', import.meta.url));

const HEADER = `/**
 * Generated from the inbox-agents OpenAPI document by scripts/generate.mjs (openapi-typescript).
 * Do not edit: regenerate it, and the drift test fails until this file matches the service.
 */

`;

/** The types file for one OpenAPI document (a parsed object). */
export async function schemaTypes(document) {
  const ast = await openapiTS(document, { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const source = process.argv[2] ?? 'http://localhost:3000/openapi.json';
  const text = /^https?:/.test(source) ? await (await fetch(source)).text() : await readFile(source, 'utf8');
  await writeFile(SCHEMA_FILE, await schemaTypes(JSON.parse(text)));
  console.log(`wrote ${SCHEMA_FILE}`);
}
