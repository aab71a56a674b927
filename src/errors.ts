import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { drainAfterRefusal } from './http/oversized-body.js';

/**
 * The closed set of error codes a client may rely on: each with its HTTP status and an example
 * of its message (the OpenAPI document shows it). Codes are stable API: add new ones, never
 * rename.
 */
export const ERRORS = {
  invalid_request: [400, 'clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone'],
  invalid_json: [400, 'the request body is not valid JSON (Unexpected end of JSON input)'],
  invalid_client_timestamp: [400, 'clientTimestamp "yesterday" is not epoch milliseconds or an ISO-8601 date-time'],
  client_timestamp_in_future: [400, 'clientTimestamp is 3600 s ahead of the server clock; at most 300 s are allowed'],
  control_character: [
    400,
    "text contains the control character U+0000; text accepts no control characters (tab and line breaks only in a notification's body and data and an assignment's preview)",
  ],
  invalid_url: [400, 'the URL path has a bad percent-encoding (a "%" must be followed by two hex digits of UTF-8)'],
  invalid_http: [400, 'the request is not valid HTTP/1.1 (HPE_INVALID_HEADER_TOKEN)'],
  invalid_push_subscription: [400, 'pushSubscription.keys.auth must be 16 bytes, base64url'],
  push_endpoint_not_allowed: [400, 'pushSubscription.endpoint is on a private address (10.0.0.8); push services are on the public internet'],
  too_many_devices: [400, 'an agent can have at most 20 devices in a chatbot; remove one first'],
  payload_too_large: [400, 'the push would be 4200 bytes once encrypted, over the 4096-byte limit; shorten title, body, url or data by 104 bytes'],
  missing_key: [401, 'an API key is required in the x-chatcaptain-key header'],
  invalid_key: [401, 'the API key is not valid'],
  revoked_key: [401, 'the API key has been revoked'],
  invalid_ticket: [401, 'the stream ticket is unknown or was already used; tickets are single-use'],
  ticket_expired: [401, 'the stream ticket expired; tickets last 60 s'],
  rotated_key: [401, 'this secret was replaced when the key was rotated; use the new secret'],
  expired_key: [401, 'this browser session ended after 30 days unused; sign in again with a new sign-in link'],
  chatbot_forbidden: [403, 'this key has no access to chatbot cb_8f3k2'],
  permission_denied: [403, 'this key lacks the permission chatbots.inbox.agents.list on chatbot cb_8f3k2'],
  key_not_bound_to_agent: [403, 'this is a chatbot key, not bound to an agent, so it has no "me"; use an agent key'],
  not_found: [404, 'no notification ntf_2x9 in this chatbot'],
  method_not_allowed: [405, 'DELETE is not allowed on /v1/inbox/cb_8f3k2/agents/online; allowed: GET, HEAD'],
  request_timeout: [408, 'the request did not arrive in time'],
  idempotency_key_reused: [409, 'this Idempotency-Key was used with a different request; use a new key for a new notification'],
  last_admin: [409, 'agent ag_7hq2 is the last admin of this chatbot; make another member admin first'],
  external_id_taken: [409, 'another agent already has externalId "crm-4411"'],
  key_revoked: [409, 'key key_3kq9 is revoked; make a new key instead'],
  no_agent_available: [409, 'no agent can take conversation conv-8812 now: Ada is at capacity (3 of 3 chats); Linus is away (idle)'],
  offer_expired: [409, 'the offer of conversation conv-8812 lapsed at 2026-12-08T09:30:15.000Z; it goes to the next agent'],
  offer_ended: [409, 'the offer of conversation conv-8812 ended: it was accepted, declined, missed or withdrawn'],
  offer_accepted: [409, 'conversation conv-8812 was accepted already: it is yours; transfer or release it instead'],
  invitation_accepted: [409, 'invitation inv_5tq1 was already accepted: its agent is a member now; remove the member instead'],
  login_link_invalid: [410, 'This sign-in link was already used or has expired'],
  body_too_large: [413, 'the request body is larger than the 64 KiB limit'],
  uri_too_long: [414, 'a path segment of the URL is longer than 1000 characters'],
  unsupported_media_type: [415, 'the request body must be JSON (Content-Type: application/json)'],
  expectation_failed: [417, 'the service cannot meet "Expect: foo"; only 100-continue is supported'],
  rate_limited: [429, 'too many status writes with this key: 3000 per 10 s are allowed; retry in 4 s'],
  too_many_streams: [429, 'this key already has 20 open streams; close one first'],
  headers_too_large: [431, 'the request line and headers are larger than the 16 KiB the service reads'],
  internal_error: [500, 'internal error; quote request id 3f9a0c1b2d4e-1k when reporting it'],
  method_not_implemented: [501, 'the request method is not one the service knows; it answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS'],
  service_unavailable: [503, 'the database is not reachable'],
  database_unavailable: [503, 'the database is unavailable right now; retry shortly'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

/** Each code's HTTP status. */
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERRORS).map(([code, [status]]) => [code, status])) as { [C in ErrorCode]: (typeof ERRORS)[C][0] };

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
function formatValidation(errors: AjvError[], context: string, fieldRules: Record<string, string> = {}, unknownField?: string): string {
  const first = errors[0];
  if (!first) return `${context} is invalid`;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  // A required field missing beside one the body may not have is most likely that one misspelt:
  // say so (Ajv stops at the missing one, so its error alone would hide the typo).
  if (first.keyword === 'required' && path === '' && unknownField !== undefined) return `${unknownField} is not a field of this ${context}; check its spelling`;
  if (first.keyword === 'required') {
    const field = [path, String(first.params.missingProperty)].filter(Boolean).join('.');
    return `${field} is required`;
  }
  if (first.keyword === 'additionalProperties') {
    const field = [path, String(first.params.additionalProperty)].filter(Boolean).join('.');
    return `${field} is not a field of this ${context === 'querystring' ? 'query' : context}; check its spelling`;
  }
  if (first.keyword === 'minProperties' && path === '') return `the ${context} must hold at least one field to change`;
  const topField = path.split('.')[0] ?? '';
  const rule = fieldRules[topField];
  if (rule) return rule;
  if (path === '') return context === 'body' ? 'the body must be a JSON object' : `${context} ${first.message}`;
  if (first.keyword === 'type') return `${path} must be of type ${String(first.params.type)}`;
  return `${path} ${first.message ?? 'is invalid'}`;
}

/** A top-level field of the body that the route's schema refuses as unknown, if any (the keys are as many as the body limit allows). */
function unknownBodyField(request: FastifyRequest): string | undefined {
  const schema = request.routeOptions.schema?.body as { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined;
  const body = request.body;
  if (!schema?.properties || schema.additionalProperties !== false || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.keys(body).find((key) => !Object.hasOwn(schema.properties!, key));
}

/**
 * Sends `{ error, code }` with the code's status, and the request id its log line carries
 * (`x-request-id`): refused and failed requests are the ones logged, so the id finds the line.
 */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(ERROR_STATUS[code]).header('x-request-id', reply.request.id).type('application/json; charset=utf-8').send({ error: message, code });
}

/**
 * Maps validation errors, AppErrors, Fastify's own errors and unknown errors to `{ error, code }`;
 * an unknown path is 404, a known path with another method 405 (`methodsOf` says which it has).
 */
export function installErrorHandler(app: FastifyInstance, methodsOf: (path: string) => string[], isDatabaseUnavailable: (error: unknown) => boolean): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvError[] }, request: FastifyRequest, reply) => {
    if (error instanceof AppError) return sendError(reply, error.code, error.message);
    if (error.validation) {
      const rules = request.routeOptions.config?.fieldRules;
      const context = error.validationContext ?? 'body';
      return sendError(reply, 'invalid_request', formatValidation(error.validation, context, rules, context === 'body' ? unknownBodyField(request) : undefined));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        drainAfterRefusal(request, reply);
        return sendError(reply, 'body_too_large', 'the request body is larger than the 64 KiB limit');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 'invalid_json', 'the request body is not valid JSON');
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendError(reply, 'database_unavailable', 'the database is unavailable right now; retry shortly');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, 'invalid_request', error.message || 'the request is invalid');
    }
    // Internals stay in the log, keyed by the request id the client can quote.
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'internal_error', `internal error; quote request id ${request.id} when reporting it`);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodsOf(path);
    if (allowed.length === 0) return sendError(reply, 'not_found', `no route ${request.method} ${path}`);
    reply.header('allow', allowed.join(', '));
    return sendError(reply, 'method_not_allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
  });
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON',
  401: 'Missing, unknown or revoked API key',
  403: 'The key may not use this route on this chatbot (whether or not the chatbot exists)',
  404: 'Not found',
  410: 'The sign-in link was already used or has expired (login_link_invalid)',
  409: 'A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request',
  431: 'The request line and headers are larger than 16 KiB (headers_too_large)',
  413: 'Body larger than 64 KiB',
  415: 'Body is not application/json',
  429: 'Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams',
  500: 'Internal error (details are logged with the request id)',
  503: 'The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly',
};

/** The codes answered with `status`. */
export function codesOf(status: number): ErrorCode[] {
  return (Object.keys(ERRORS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

/**
 * One shared schema per error status, registered on the app: its `code` is limited to that
 * status's codes, and its example is one of them, so the document never shows a 401 with
 * `invalid_request`.
 */
export function errorSchemas() {
  const statuses = [...new Set(Object.values(ERROR_STATUS))].sort();
  return statuses.map((status) => {
    const codes = codesOf(status);
    const example = { error: ERRORS[codes[0]!][1], code: codes[0]! };
    return Type.Object(
      {
        error: Type.String({ description: 'A message a person understands' }),
        code: Type.String({ description: 'A stable, machine-readable code', enum: codes }),
      },
      { $id: `Error${status}`, title: `Error ${status}`, examples: [example] },
    );
  });
}

/** OpenAPI response entries for the error statuses a route can answer, all `{ error, code }`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref(`Error${status}`, { description: STATUS_TEXT[status] ?? 'Error' })]));
}

/** The statuses every key-protected route can answer, with or without a body. */
export const PROTECTED_READ_ERRORS = [401, 403, 429, 431, 500, 503] as const;
export const PROTECTED_WRITE_ERRORS = [400, 401, 403, 413, 415, 429, 431, 500, 503] as const;
/** What a public route can answer: any request can carry too many headers. */
export const PUBLIC_ERRORS = [431] as const;
