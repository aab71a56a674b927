import { ConfigError } from './config.js';

/** A reason the process cannot start, in words an operator acts on. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Where a database URL points, without its password. */
export function describeDatabase(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * One line for an operator, instead of a stack trace, for the failures a start (of the service
 * or the CLI) meets: bad configuration, a database file or server that is not there, a port in
 * use. Anything else keeps its stack: it is a bug to report.
 */
export function describeStartupFailure(error: unknown, context: { databaseUrl?: string; host?: string; port?: number } = {}): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  const err = error as NodeJS.ErrnoException & { code?: string; address?: string; port?: number };
  const where = context.databaseUrl ? describeDatabase(context.databaseUrl) : 'the database';
  switch (err?.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${context.host ?? err.address}:${context.port ?? err.port}: the port is already in use; stop the other process or set PORT`;
    case 'EACCES':
      if (err.syscall === 'listen')
        return `cannot listen on ${context.host ?? err.address}:${context.port ?? err.port}: permission denied (ports below 1024 need privileges); set PORT`;
      break;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${context.host}: no such address on this machine; set HOST`;
    case 'ECONNREFUSED':
      return `cannot reach the database at ${where}: connection refused; is PostgreSQL running there, and is DATABASE_URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach the database at ${where}: the host name does not resolve; check DATABASE_URL`;
    case 'ETIMEDOUT':
      return `cannot reach the database at ${where}: the connection timed out`;
    case '3D000':
      return `the database in ${where} does not exist: create it (createdb) or fix DATABASE_URL`;
    case '28P01':
    case '28000':
      return `the database at ${where} refused the user or password in DATABASE_URL`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the SQLite file ${where}: check that its folder exists and is writable`;
    case 'SQLITE_NOTADB':
      return `${where} is not a SQLite database file; check DATABASE_URL`;
  }
  if (err?.message && /timeout exceeded when trying to connect/i.test(err.message)) return `cannot reach the database at ${where}: the connection timed out`;
  return `failed to start: ${(err as Error)?.stack ?? String(error)}`;
}
