import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { isDatabaseUnavailable } from './db/availability.js';

/**
 * The closed set of error codes a client may rely on, each with its HTTP status.
 * Codes are stable API: add new ones, never rename.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_client_timestamp: 400,
  client_timestamp_in_future: 400,
  invalid_push_subscription: 400,
  push_endpoint_not_allowed: 400,
  too_many_devices: 400,
  payload_too_large: 400,
  missing_key: 401,
  invalid_key: 401,
  revoked_key: 401,
  invalid_ticket: 401,
  ticket_expired: 401,
  chatbot_forbidden: 403,
  permission_denied: 403,
  key_not_bound_to_agent: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 409,
  body_too_large: 413,
  too_many_streams: 429,
  unsupported_media_type: 415,
  internal_error: 500,
  service_unavailable: 503,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every non-2xx answer. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'A message a person understands' }),
    code: Type.String({ description: 'A stable, machine-readable code', enum: Object.keys(ERROR_STATUS) }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The one error type of the service: thrown anywhere, mapped to HTTP (or a CLI exit) in one place. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Rule messages per body field, used when that field fails validation (see formatValidation). */
    fieldRules?: Record<string, string>;
  }
}

/**
 * Turns Ajv's first complaint into a sentence that names the field and the rule. A route may
 * declare a rule text per field (config.fieldRules) for fields whose schema is a union, where
 * Ajv's own messages would list every branch.
 */
function formatValidation(errors: AjvError[], context: string, fieldRules: Record<string, string> = {}): string {
  const first = errors[0];
  if (!first) return `${context} is invalid`;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (first.keyword === 'required') {
    const field = [path, String(first.params.missingProperty)].filter(Boolean).join('.');
    return `${field} is required`;
  }
  const topField = path.split('.')[0] ?? '';
  const rule = fieldRules[topField];
  if (rule) return rule;
  if (path === '') return context === 'body' ? 'the body must be a JSON object' : `${context} ${first.message}`;
  if (first.keyword === 'type') return `${path} must be of type ${String(first.params.type)}`;
  return `${path} ${first.message ?? 'is invalid'}`;
}

function send(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send({ error: message, code });
}

/** Maps validation errors, AppErrors, Fastify's own errors and unknown errors to `{ error, code }`. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvError[] }, request: FastifyRequest, reply) => {
    if (error instanceof AppError) return send(reply, error.code, error.message);
    if (error.validation) {
      const rules = request.routeOptions.config?.fieldRules;
      return send(reply, 'invalid_request', formatValidation(error.validation, error.validationContext ?? 'body', rules));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 'body_too_large', 'the request body is larger than the 64 KiB limit');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 'invalid_json', 'the request body is not valid JSON');
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return send(reply, 'database_unavailable', 'the database is unavailable right now; retry shortly');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, 'invalid_request', error.message || 'the request is invalid');
    }
    // Internals stay in the log, keyed by the request id the client can quote.
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'internal_error', `internal error; quote request id ${request.id} when reporting it`);
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON',
  401: 'Missing, unknown or revoked API key',
  403: 'The key may not use this route on this chatbot (whether or not the chatbot exists)',
  404: 'Not found',
  409: 'The Idempotency-Key was used before with a different request (idempotency_key_reused)',
  413: 'Body larger than 64 KiB',
  415: 'Body is not application/json',
  429: 'Too many open streams for this key',
  500: 'Internal error (details are logged with the request id)',
  503: 'The database is unavailable for now (database_unavailable); retry shortly',
};

/** OpenAPI response entries for the error statuses a route can answer, all `{ error, code }`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, Type.Ref('ErrorBody', { description: STATUS_TEXT[status] ?? 'Error' })]),
  );
}

/** The statuses every key-protected route can answer, with or without a body. */
export const PROTECTED_READ_ERRORS = [401, 403, 500, 503] as const;
export const PROTECTED_WRITE_ERRORS = [400, 401, 403, 413, 415, 500, 503] as const;
