/**
 * Whether an error means the database is unreachable or overloaded for now (answer 503 and let
 * the client retry) rather than a bug (500): refused or dropped connections, pool and statement
 * timeouts, a PostgreSQL server shutting down, SQLite busy past its timeout.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
// The PostgreSQL driver's own (postgres.js): a connection closed, ended or destroyed under a
// query, not made within connect_timeout, none free within queue_timeout, or a statement not
// answered within query_timeout.
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'QUEUE_TIMEOUT', 'QUERY_TIMEOUT', 'CANCEL_UNANSWERED']);
// PostgreSQL SQLSTATEs: connection exceptions (08…), operator intervention (57…: shutdown,
// cannot connect now, query canceled by statement_timeout), too many connections (53300).
const POSTGRES_STATES = /^(08\d{3}|57P0[1-3]|57014|53300)$/;
const MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || POSTGRES_STATES.test(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'))
    return true;
  return typeof message === 'string' && MESSAGES.test(message);
}
