import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { KEY_HEADER } from './auth/hook.js';
import type { LogLevel } from './config.js';

/** JSON logs at the configured level; keys never reach them, even if header logging is turned on. */
export function loggerOptions(level: LogLevel) {
  return { level, redact: [`req.headers["${KEY_HEADER}"]`] };
}

type Logger = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
type Bindings = Record<string, unknown>;

/**
 * A request's logger, made only when the request logs something. Fastify gives every request a
 * child logger carrying its id; creating one serializes the bindings, which costs more per
 * request than anything the service itself does on a cached read, while most requests log
 * nothing at all.
 */
class RequestLogger {
  #child: FastifyBaseLogger | null = null;
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: object,
  ) {}

  get #log(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }
  get level(): string {
    return this.parent.level;
  }
  isLevelEnabled(level: string): boolean {
    // Fastify's null logger (logging off) has no isLevelEnabled: nothing is enabled.
    return typeof this.parent.isLevelEnabled === 'function' && this.parent.isLevelEnabled(level);
  }
  fatal(...args: unknown[]): void {
    (this.#log.fatal as (...a: unknown[]) => void)(...args);
  }
  error(...args: unknown[]): void {
    (this.#log.error as (...a: unknown[]) => void)(...args);
  }
  warn(...args: unknown[]): void {
    (this.#log.warn as (...a: unknown[]) => void)(...args);
  }
  info(...args: unknown[]): void {
    (this.#log.info as (...a: unknown[]) => void)(...args);
  }
  debug(...args: unknown[]): void {
    if (this.isLevelEnabled('debug')) (this.#log.debug as (...a: unknown[]) => void)(...args);
  }
  trace(...args: unknown[]): void {
    if (this.isLevelEnabled('trace')) (this.#log.trace as (...a: unknown[]) => void)(...args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.#log.child(bindings, options);
  }
}

/** Fastify's childLoggerFactory: a request logger that exists only once used. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  return new RequestLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

/** Told of every answered request (metrics). */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void;

/**
 * One access line per request, when it ends, instead of Fastify's two at `info`. At thousands of
 * requests a second, info-level access lines would cost more than the work, so successful
 * requests (and 429s, which a runaway client makes by the thousand; the metrics count them) log
 * at `debug`; refused ones (401/403) at `warn`, failures at `error`. Only the path is logged,
 * never the query string. Fastify calls it for every request anyway, so it also feeds the
 * request metrics, without a hook of its own.
 */
export class AccessLogController extends LogController {
  constructor(private readonly observe: RequestObserver = () => {}) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    this.observe(request.method, request.routeTemplate ?? 'unmatched', status, reply.elapsedTime / 1000);
    const level = error || status >= 500 ? 'error' : status === 401 || status === 403 ? 'warn' : 'debug';
    // Runs on every request: build the line only when it will be written.
    const log = reply.log as Partial<Logger>;
    if (typeof log.isLevelEnabled !== 'function' || !log.isLevelEnabled(level)) return;
    const line = { method: request.method, path: request.url.split('?')[0], status, ms: Math.round(reply.elapsedTime) };
    if (level === 'error') reply.log.error({ ...line, err: error }, 'request failed');
    else if (level === 'warn') reply.log.warn(line, 'request refused');
    else reply.log.debug(line, 'request');
  }
}
