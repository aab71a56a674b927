import { performance } from 'node:perf_hooks';
import { KEY_HEADER } from '../auth/hook.js';
import { header } from '../http/headers.js';
import { REQUEST_ID_HEADER } from '../http/request-ids.js';
import { countingAnswers, type FastLane, type FastLaneDeps } from './list-fast-lane.js';

/** POST /v1/inbox/{chatbotId}/agents/me/activity, with an id that needs no decoding and no query. */
const ACTIVITY_PATH = /^\/v1\/inbox\/([A-Za-z0-9_-]{1,200})\/agents\/me\/activity$/;
export const ACTIVITY_ROUTE = '/v1/inbox/:chatbotId/agents/me/activity';
const ACTIVITY_PERMISSION = 'chatbots.inbox.agents.online.edit';

/**
 * The activity report's fast lane: the other request clients make over and over (a report every
 * 30 s while the person types), answered by the HTTP server itself when it needs nothing but
 * memory: no body (the route takes none), a key and membership seen lately, a rate count below
 * half the budget, and a report that is kept in memory (its device's activity was written less
 * than 30 s ago: PresenceService.keepActivity). The checks are the route's own functions in
 * the route's order, and the answer is the route's bytes and headers; anything else (a body, a
 * report to write, a refusal) goes to Fastify untouched, which does the same with the database.
 */
export function activityFastLane(deps: FastLaneDeps): FastLane & { served: number } {
  return countingAnswers((request, response) => {
    if (request.method !== 'POST' || deps.logsEveryRequest || deps.isClosing()) return false;
    const match = ACTIVITY_PATH.exec(request.url ?? '');
    if (!match) return false;
    // No body at all: a length of 0 or none, no chunked body, no content type to parse.
    const length = header(request, 'content-length');
    if ((length !== undefined && length !== '0') || header(request, 'transfer-encoding') !== undefined || header(request, 'content-type') !== undefined) return false;
    const started = performance.now();
    const chatbotId = match[1]!;
    const principal = deps.auth.cachedPrincipal(header(request, KEY_HEADER, true));
    if (principal?.kind !== 'agent' || deps.auth.authorizeCached(principal, chatbotId, ACTIVITY_PERMISSION, true) !== null) return false;
    // One moment for the test and the report: a report at the 30 s edge is either kept or the route's.
    const at = deps.presence.now();
    if (!deps.presence.canKeepActivity(chatbotId, principal.agentId, principal.keyId, at) || !deps.limits.countIfRelaxed(principal.keyId, 'status')) return false;
    const kept = deps.presence.keepActivity(chatbotId, principal.agentId, principal.keyId, at);
    if (kept === null) return false;
    const body = JSON.stringify(kept);
    const id = deps.requestId(request);
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), [REQUEST_ID_HEADER]: id };
    response.writeHead(200, deps.cors ? { ...headers, ...deps.cors.headersFor(header(request, 'origin')) } : headers);
    response.end(body);
    deps.observe('POST', ACTIVITY_ROUTE, 200, (performance.now() - started) / 1000);
    return true;
  });
}
