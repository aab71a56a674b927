import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KEY_HEADER } from '../auth/hook.js';
import type { AuthService } from '../auth/service.js';
import { header } from '../http/headers.js';
import type { CorsPolicy } from '../http/cors.js';
import type { RateLimits } from '../http/rate-limits.js';
import { REQUEST_ID_HEADER } from '../http/request-ids.js';
import { etagMatches, LIST_PERMISSION, LIST_ROUTE } from './routes.js';
import type { PresenceService } from './service.js';

/** GET /v1/inbox/{chatbotId}/agents/online, with an id that needs no decoding. */
const LIST_PATH = /^\/v1\/inbox\/([A-Za-z0-9_-]{1,200})\/agents\/online(?:\?|$)/;

export interface FastLaneDeps {
  auth: AuthService;
  limits: RateLimits;
  presence: PresenceService;
  /** Request metrics, as the log controller records them for every other request. */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** True while the service shuts down (the full path answers 503). */
  isClosing(): boolean;
  /** True when successful requests are logged (debug): the full path writes that line. Read once. */
  logsEveryRequest: boolean;
  /** The request's id, as Fastify would give it (the caller's own, or one of ours). */
  requestId(request: IncomingMessage): string;
  /** The CORS policy when cross-origin calls are allowed: its headers are added as the plugin adds them. */
  cors: CorsPolicy | null;
}

/**
 * The agent list's fast lane: the one request clients make over and over (polling the list)
 * answered by the HTTP server itself when everything it needs is already in memory: a key
 * seen lately, its membership, a rate count below half the budget, and the cached list. The
 * checks are the same functions the route's own gate uses, in the same order, and the answer
 * is the same bytes and headers; a request that needs anything else (the database, Redis, a
 * refusal, RateLimit fields, a log line) goes to Fastify untouched and takes the full path.
 *
 * It exists because Fastify's per-request machinery (a request and reply object, a child
 * logger, hooks and listeners) cost about as much as the whole answer on this route; see the
 * benchmarks (docs/benchmarks.md).
 */
/** A lane: answers the request and says true, or leaves it to Fastify untouched and says false. */
export type FastLane = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The lane with how many requests it answered (tests check which path answered). */
export function countingAnswers(lane: FastLane): FastLane & { served: number } {
  let served = 0;
  const counted = (request: IncomingMessage, response: ServerResponse) => {
    const answered = lane(request, response);
    if (answered) served++;
    return answered;
  };
  return Object.defineProperty(counted, 'served', { get: () => served }) as FastLane & { served: number };
}

export function listFastLane(deps: FastLaneDeps): FastLane & { served: number } {
  return countingAnswers((request, response) => {
    if (request.method !== 'GET' || deps.logsEveryRequest || deps.isClosing()) return false;
    const match = LIST_PATH.exec(request.url ?? '');
    if (!match) return false;
    const started = performance.now();
    const chatbotId = match[1]!;
    const principal = deps.auth.cachedPrincipal(header(request, KEY_HEADER, true));
    if (!principal || deps.auth.authorizeCached(principal, chatbotId, LIST_PERMISSION, false) !== null) return false;
    const list = deps.presence.lists.cached(chatbotId);
    if (!list || !deps.limits.countIfRelaxed(principal.keyId, 'reads')) return false;
    const notModified = etagMatches(header(request, 'if-none-match'), list.etag);
    // One headers object for writeHead: a setHeader before it would take Node off its fast path.
    const headers = notModified ? list.headers.notModified : list.headers.ok;
    const id = deps.requestId(request);
    response.writeHead(
      notModified ? 304 : 200,
      deps.cors ? { ...headers, ...deps.cors.headersFor(header(request, 'origin')), [REQUEST_ID_HEADER]: id } : { ...headers, [REQUEST_ID_HEADER]: id },
    );
    response.end(notModified ? undefined : list.body);
    deps.observe('GET', LIST_ROUTE, notModified ? 304 : 200, (performance.now() - started) / 1000);
    return true;
  });
}
