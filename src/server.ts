import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type OpenDatabase } from './db/database.js';
import { describeDatabase, describeStartupFailure } from './startup.js';

/** How long a stop may take before the process exits anyway (a stuck connection must not keep it up). */
const STOP_DEADLINE_MS = 10_000;

/**
 * Config -> database (migrated) -> app -> listen. SIGTERM or SIGINT stops it gracefully: streams
 * are ended so clients reconnect, requests in flight are answered, push claims are given back,
 * the database is closed, and the process exits 0 (1 if that took over 10 s).
 */
async function main(): Promise<void> {
  let config: Config | undefined;
  let database: OpenDatabase | undefined;
  try {
    config = loadConfig();
    database = await openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize, mustExist: config.databaseMustExist });
    const app = await buildApp({ config, database });
    // A mistyped DATABASE_URL starts on a new, empty database: say so, with the path.
    if (database.created) {
      app.log.warn(
        { path: database.created },
        `created a new, empty database at ${database.created}; if you meant an existing one, check DATABASE_URL (DATABASE_MUST_EXIST=true refuses to create one)`,
      );
    }
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const metricsAddress = app.metricsServer?.address();
    app.log.info(
      {
        url: `http://${host}:${port}`,
        database: describeDatabase(config.databaseUrl),
        ...(metricsAddress && typeof metricsAddress === 'object' ? { metrics: `http://${config.metricsHost}:${metricsAddress.port}/metrics` } : {}),
      },
      'inbox-agents listening',
    );

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        app.log.error(`did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS);
      force.unref();
      await app.close();
      await database!.close();
      app.log.info('stopped');
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (error) {
    process.stderr.write(`inbox-agents: ${describeStartupFailure(error, { databaseUrl: config?.databaseUrl, host: config?.host, port: config?.port })}\n`);
    await database?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
