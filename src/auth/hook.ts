import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppError } from '../errors.js';
import { header, KEY_HEADER } from '../http/headers.js';
import type { RouteAccess } from '../http/gate.js';
import type { RateLimits } from '../http/rate-limits.js';
import type { Permission } from './permissions.js';
import type { AuthService, Principal } from './service.js';

/** Redeems a stream ticket for the principal of the key that made it. */
export type TicketRedeemer = (ticket: string, chatbotId: string) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The one permission this route needs: on resource chatbots/:chatbotId when the path has a
     * chatbot, on the install otherwise. Absent = public.
     */
    permission?: Permission;
    /** Set on `me/...` routes: only a key bound to an agent can act. */
    requiresAgent?: boolean;
    /** The route also accepts a stream ticket as `?ticket=` (for EventSource, which cannot send headers). */
    acceptsTicket?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export { KEY_HEADER };

/** The chatbot in the request's path, or null on install routes. */
const chatbotOf = (request: FastifyRequest): string | null => (request.params as { chatbotId?: string }).chatbotId ?? null;

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/**
 * The single enforcement point for authentication, rate limits and permissions, made once per
 * route with that route's access rules (so no request reads its route's options). Runs on
 * `onRequest`, before the body is read, so a caller without access learns nothing from how its
 * body is judged, and a refused request costs no parsing.
 *
 * Order: a key seen lately is known without the database; any other key (or ticket, or none)
 * first passes the address's budget of failed authentications, so a flood of random keys from
 * one address stops reaching the database. Then the key's own budget for the route's class, and
 * only then the tenancy and permission checks.
 *
 * It runs on every request, so the common case (a key and membership seen lately, in-memory
 * rate limits) is decided synchronously, without a promise; anything else takes the async path.
 */
export function authHook(auth: AuthService, redeemTicket: TicketRedeemer, limits: RateLimits): (access: RouteAccess) => Hook {
  /** The full check, for keys, memberships or counts that need the database or Redis. */
  async function slowPath(access: RouteAccess, request: FastifyRequest, reply: FastifyReply, known: Principal | undefined, limited: boolean): Promise<void> {
    const chatbotId = chatbotOf(request);
    let principal = known;
    if (!principal) {
      await limits.checkAddress(request, reply);
      const key = header(request, KEY_HEADER, true);
      const ticket = access.acceptsTicket ? (request.query as { ticket?: unknown }).ticket : undefined;
      try {
        principal = typeof ticket === 'string' && key === undefined && chatbotId !== null ? await redeemTicket(ticket, chatbotId) : await auth.authenticate(key);
      } catch (error) {
        // Only refusals of the key count; a database outage is not the caller's failure.
        if (error instanceof AppError && error.status === 401) await limits.failedFromAddress(request);
        throw error;
      }
    }
    if (!limited) await limits.checkKey(reply, principal.keyId, access.rateClass);
    await auth.authorize(principal, chatbotId, access.permission, access.requiresAgent);
    request.principal = principal;
  }

  return (access) => (request, reply, done) => {
    const principal = auth.cachedPrincipal(header(request, KEY_HEADER, true));
    if (!principal) return void slowPath(access, request, reply, undefined, false).then(() => done(), done);
    let counted: void | Promise<void>;
    try {
      counted = limits.checkKey(reply, principal.keyId, access.rateClass);
    } catch (error) {
      return done(error as Error);
    }
    if (counted) return void counted.then(() => slowPath(access, request, reply, principal, true)).then(() => done(), done);
    const refusal = auth.authorizeCached(principal, chatbotOf(request), access.permission, access.requiresAgent);
    if (refusal === undefined) return void slowPath(access, request, reply, principal, true).then(() => done(), done);
    if (refusal) return done(refusal);
    request.principal = principal;
    done();
  };
}

/** The agent a `me` route acts as; the hook has already refused keys without one. */
export function agentOf(principal: Principal | null): string {
  if (principal?.kind !== 'agent') throw new Error('route declared requiresAgent but has no agent principal');
  return principal.agentId;
}
