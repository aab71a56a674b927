import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import type { RateClass } from './rate-limits.js';
import { AppError } from '../errors.js';
import { controlCharacterInUrl, controlCharacterMessage } from './control-characters.js';
import { SHUTTING_DOWN } from './edges.js';
import { REQUEST_ID_HEADER } from './request-ids.js';

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** The matched route's template (`/v1/inbox/:chatbotId/agents/online`), for metrics; null when none matched. */
    routeTemplate: string | null;
  }
  interface FastifyContextConfig {
    /**
     * The route needs no API key: health, readiness, the API's description, the console's
     * files, and routes that check a secret of their own (a sign-in link's token, the metrics
     * token). Every other route declares a permission; a route with neither is refused at start-up.
     */
    public?: true;
  }
  interface FastifyInstance {
    /** Every route registered, with what it asks of callers (for the security battery). */
    routeAccess: RouteAccessEntry[];
  }
}

/** What a route asks of its callers, from its config (its permission's type comes with the config: see auth/hook.ts). */
export interface RouteAccess {
  permission: NonNullable<FastifyContextConfig['permission']>;
  requiresAgent: boolean;
  acceptsTicket: boolean;
  rateClass: RateClass;
}

/** One registered route and what the gate asks of its callers. */
export interface RouteAccessEntry {
  method: string;
  url: string;
  /** Null on public routes. */
  permission: string | null;
}

const NO_ACCESS_RULE = (method: string, url: string) =>
  new AppError('permission_denied', `${method} ${url} declares neither a permission nor that it is public, so no caller may use it`);

/**
 * Gives every route, as it is registered, the one onRequest hook all its requests run: the
 * refusal during shutdown, and the route's access check (made once, with the route's
 * permission, from its config). One hook per route rather than a global hook that reads each
 * request's route options: Fastify builds that options object on every read, and this runs on
 * every request.
 *
 * It denies by default: a route is public only when it says so (`config.public`), and a route
 * with neither a permission nor that mark fails the start-up (and, were it ever reached, would
 * refuse every request). Routes a plugin registers are marked with `markPublic`.
 *
 * Call it before any route is registered.
 */
export function installRequestGate(app: FastifyInstance, options: { isClosing: () => boolean; accessCheck: (access: RouteAccess) => Hook }): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('routeTemplate', null);
  const registered: Array<{ route: RouteOptions; entry: RouteAccessEntry }> = [];
  app.decorate('routeAccess', []);
  app.addHook('onRoute', (route) => {
    const { permission, requiresAgent = false, acceptsTicket = false, rateClass = 'reads' } = route.config ?? {};
    const checkAccess = permission ? options.accessCheck({ permission, requiresAgent, acceptsTicket, rateClass }) : null;
    const template = route.url;
    const methods = ([] as string[]).concat(route.method);
    // Read when a request comes, not now: a plugin's routes are marked public by a hook that runs after this one.
    const isPublic = () => route.config?.public === true;
    for (const method of methods) registered.push({ route, entry: { method, url: template, permission: permission ?? null } });
    const gate: Hook = (request, reply, done) => {
      request.routeTemplate = template;
      // On every answer, success included, so a change can be traced from the client to the log.
      reply.header(REQUEST_ID_HEADER, request.id);
      if (options.isClosing()) {
        reply.header('connection', 'close');
        return done(SHUTTING_DOWN());
      }
      // Before the access check, which reads the chatbot id: no control character reaches a store.
      const control = controlCharacterInUrl(request.params as Record<string, unknown>, 'path') ?? controlCharacterInUrl(request.query as Record<string, unknown>, 'query');
      if (control) return done(new AppError('control_character', controlCharacterMessage(control)));
      if (checkAccess) checkAccess(request, reply, done);
      else if (isPublic()) done();
      else done(NO_ACCESS_RULE(request.method, template));
    };
    route.onRequest = [gate, ...(route.onRequest === undefined ? [] : ([] as unknown[]).concat(route.onRequest))] as typeof route.onRequest;
  });
  app.addHook('onReady', (done) => {
    const unmarked = registered.filter(({ route, entry }) => entry.permission === null && route.config?.public !== true).map(({ entry }) => `${entry.method} ${entry.url}`);
    app.routeAccess.push(...registered.map(({ entry }) => entry));
    if (unmarked.length > 0) return done(new Error(`routes without a permission must be marked public (config.public): ${[...new Set(unmarked)].join(', ')}`));
    done();
  });
}

/**
 * Marks public the routes registered from now on in `scope` that `which` picks (by default every
 * one): a plugin's own routes, which cannot declare it themselves (the API's documentation pages,
 * the CORS preflight route).
 */
export function markPublic(scope: FastifyInstance, which: (route: RouteOptions) => boolean = () => true): void {
  scope.addHook('onRoute', (route) => {
    if (which(route)) route.config = { ...route.config, public: true };
  });
}
