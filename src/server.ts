import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';

/** Config -> database (migrated) -> app -> listen; closes cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  const app = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // A PostgreSQL URL may carry a password: log where the data is, never the credentials.
  const where = database.dialect === 'postgres' ? config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@') : config.databaseUrl;
  app.log.info({ url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, database: where }, 'inbox-agents listening');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A stuck connection must not keep the process from stopping.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`inbox-agents failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
