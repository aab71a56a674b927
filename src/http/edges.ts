import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode } from '../errors.js';

/**
 * What the HTTP server answers before any route runs: requests Node's parser refuses, an
 * `Expect` it cannot meet, a URL that cannot be decoded, a method a path does not have, and
 * requests arriving while the service shuts down. Every one of them is `{ error, code }`, like
 * every other refusal of the service.
 */

function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: message, code });
}

/** Node's parser errors (llhttp's HPE_* codes and its own), as the answer and its reason. */
function describeClientError(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'headers_too_large', message: 'the request line and headers are larger than the 16 KiB the service reads' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', message: 'the request did not arrive in time' };
    case 'HPE_INVALID_METHOD':
      return { code: 'method_not_implemented', message: 'the request method is not one the service knows; it answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS' };
    case 'HPE_INVALID_URL':
      return { code: 'invalid_url', message: 'the request target is not a valid URL path (only printable ASCII is allowed; percent-encode anything else)' };
    default:
      return { code: 'invalid_http', message: `the request is not valid HTTP/1.1 (${String(error.code ?? 'malformed')})` };
  }
}

/**
 * Fastify's `clientErrorHandler`: Node gave up parsing a request (a header block over 16 KiB,
 * an unknown method, bytes that are not HTTP). The socket is in an unknown state, so the answer
 * is written raw and the connection closed. It carries a request id of ours (`newId`), as every
 * answer does: nothing of the request can be trusted, the caller's id included.
 */
export function clientErrorHandler(newId: () => string) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { code, message } = describeClientError(error);
    const status = ERROR_STATUS[code];
    const body = errorBody(code, message);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${newId()}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * An `Expect` other than `100-continue` cannot be met (RFC 9110 section 10.1.1): 417 with the
 * usual body, instead of Node's empty 417, and the request's id (the caller's own when usable).
 */
export function installExpectationHandler(server: Server, requestId: (request: IncomingMessage) => string): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const body = errorBody('expectation_failed', `the service cannot meet "Expect: ${String(request.headers.expect).slice(0, 100)}"; only 100-continue is supported`);
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId(request),
      connection: 'close',
    });
    response.end(body);
  });
}

/** Fastify's `frameworkErrors`: a URL it cannot decode, before any route is chosen. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const code: ErrorCode = error.code === 'FST_ERR_BAD_URL' ? 'invalid_url' : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'internal_error';
  const message =
    code === 'invalid_url'
      ? 'the URL path has a bad percent-encoding (a "%" must be followed by two hex digits of UTF-8)'
      : code === 'uri_too_long'
        ? 'a path segment of the URL is longer than 1000 characters'
        : 'internal error while routing the request';
  void reply.code(ERROR_STATUS[code]).header('x-request-id', reply.request.id).type('application/json; charset=utf-8').send(errorBody(code, message));
}

/** Longest path parameter the router passes on; longer ids are refused by the routes' schemas first. */
export const MAX_PARAM_LENGTH = 1000;

/**
 * 405 for a path that exists with other methods, with an `Allow` header (RFC 9110 section
 * 15.5.6), rather than a 404 that says the path does not exist. Routes are recorded as they are
 * registered; the not-found handler asks which of them match the path.
 */
export function methodsByPath(app: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    // Catch-all routes (CORS preflight, static files) say nothing about a path's methods.
    if (route.url === '*' || route.url === '/*' || route.url.endsWith('/*')) return;
    const pattern = new RegExp(`^${route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
    routes.push({ pattern, methods: ([] as string[]).concat(route.method) });
  });
  return (path) => {
    const methods = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  };
}

/** The error for a request that came during shutdown: retry, another instance (or this one restarted) answers. */
export const SHUTTING_DOWN = () => new AppError('service_unavailable', 'the service is shutting down; retry, and another instance (or this one, restarted) will answer');
