import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { RouteAccess } from '../auth/hook.js';
import { SHUTTING_DOWN } from './edges.js';

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** The matched route's template (`/v1/inbox/:chatbotId/agents/online`), for metrics; null when none matched. */
    routeTemplate: string | null;
  }
}

/**
 * Gives every route, as it is registered, the one onRequest hook all its requests run: the
 * refusal during shutdown, and the route's access check (made once,
 * with the route's permission, from its config). One hook per route rather than a global hook
 * that reads each request's route options: Fastify builds that options object on every read,
 * and this runs on every request.
 *
 * Call it before any route is registered.
 */
export function installRequestGate(app: FastifyInstance, options: { isClosing: () => boolean; accessCheck: (access: RouteAccess) => Hook }): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('routeTemplate', null);
  app.addHook('onRoute', (route) => {
    const { permission, requiresAgent = false, acceptsTicket = false, rateClass = 'reads' } = route.config ?? {};
    const checkAccess = permission ? options.accessCheck({ permission, requiresAgent, acceptsTicket, rateClass }) : null;
    const template = route.url;
    const gate: Hook = (request, reply, done) => {
      request.routeTemplate = template;
      if (options.isClosing()) {
        reply.header('connection', 'close');
        return done(SHUTTING_DOWN());
      }
      if (checkAccess) checkAccess(request, reply, done);
      else done();
    };
    route.onRequest = [gate, ...(route.onRequest === undefined ? [] : ([] as unknown[]).concat(route.onRequest))] as typeof route.onRequest;
  });
}
