import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths } from './schema.js';

/** The typed REST client: every route of the service, with its path, query, body and answers typed. */
export type InboxClient = Client<paths>;

/** One agent as `GET agents/online` lists it and the stream announces it. */
export type AgentEntry = paths['/v1/inbox/{chatbotId}/agents/online']['get']['responses'][200]['content']['application/json']['agents'][number];

/** An agent's derived state. */
export type AgentState = AgentEntry['state'];

export interface ClientOptions {
  /** Where the service answers, e.g. `https://inbox.example.com` (no trailing `/v1`). */
  baseUrl: string;
  /** An API key (agent, chatbot or operator key). Sent in the `x-chatcaptain-key` header only. */
  apiKey?: string | undefined;
  /** Another fetch (tests, instrumentation). Defaults to the platform's. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * Makes the typed client. Each call answers `{ data, error, response }`; pass it to `ok()` to get
 * the data or an `InboxApiError`.
 *
 *   const api = createInboxClient({ baseUrl, apiKey });
 *   const { agents } = ok(await api.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId } } }));
 */
export function createInboxClient(options: ClientOptions): InboxClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.apiKey === undefined ? {} : { 'x-chatcaptain-key': options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** An error answer of the service: `{ error, code }` with its HTTP status. */
export class InboxApiError extends Error {
  override readonly name = 'InboxApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; an `InboxApiError` (status, code, message) otherwise. */
export function ok<T>(answer: Answer<T>): T {
  if (answer.error === undefined && answer.response.ok) return answer.data as T;
  throw apiError(answer.response.status, answer.error);
}

/** The `InboxApiError` for an error answer's status and parsed body (any body, even none). */
export function apiError(status: number, body: unknown): InboxApiError {
  const fields = typeof body === 'object' && body !== null ? (body as { error?: unknown; code?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : `http_${status}`;
  const message = typeof fields.error === 'string' ? fields.error : `The service answered ${status}`;
  return new InboxApiError(status, code, message);
}
