/**
 * Prints the service's OpenAPI document (as GET /openapi.json serves it) without starting a
 * server or touching a database on disk: `npm run -s openapi > openapi.json`.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', PUSH_WORKER: 'false' });
const database = await openDatabase(':memory:');
const app = await buildApp({ config, database, logger: false });
await app.ready();
process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await database.close();
