import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { KEY_HEADER } from './auth/hook.js';
import type { LogLevel } from './config.js';

/** JSON logs at the configured level; keys never reach them, even if header logging is turned on. */
export function loggerOptions(level: LogLevel) {
  return { level, redact: [`req.headers["${KEY_HEADER}"]`] };
}

/**
 * One access line per request, when it ends, instead of Fastify's two at `info`. At thousands of
 * requests a second, info-level access lines would cost more than the work, so successful
 * requests log at `debug`; refused ones (401/403) at `warn`, failures at `error`. Only the path
 * is logged, never the query string.
 */
export class AccessLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const line = { method: request.method, path: request.url.split('?')[0], status, ms: Math.round(reply.elapsedTime) };
    if (error || status >= 500) reply.log.error({ ...line, err: error }, 'request failed');
    else if (status === 401 || status === 403) reply.log.warn(line, 'request refused');
    else reply.log.debug(line, 'request');
  }
}
