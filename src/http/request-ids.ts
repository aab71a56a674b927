import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from './headers.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own request id is kept when it is 1 to 128 visible ASCII characters. */
const CALLERS_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The request id of each request: the caller's own `x-request-id` when it is one we can keep
 * (1 to 128 visible ASCII characters, sent once), so a change can be traced from the client to
 * the log line and the audit entry; otherwise one of ours, unique across restarts and instances
 * without per-request randomness: a random prefix per process and a counter. Anything else in
 * the header is ignored rather than refused: a tracing header never fails a request.
 */
export function requestIds(): ((request: IncomingMessage) => string) & { ours(): string } {
  const prefix = randomBytes(6).toString('hex');
  let count = 0;
  /** One of ours: also for an answer to bytes Node could not parse as a request. */
  const ours = () => `${prefix}-${(++count).toString(36)}`;
  return Object.assign(
    (request: IncomingMessage) => {
      const own = header(request, REQUEST_ID_HEADER, true);
      return own !== undefined && CALLERS_ID.test(own) ? own : ours();
    },
    { ours },
  );
}
