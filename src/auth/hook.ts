import type { FastifyInstance } from 'fastify';
import type { Permission } from './permissions.js';
import type { AuthService, Principal } from './service.js';

/** Redeems a stream ticket for the principal of the key that made it. */
export type TicketRedeemer = (ticket: string, chatbotId: string) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The one permission this route needs on resource chatbots/:chatbotId. Absent = public. */
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

export const KEY_HEADER = 'x-chatcaptain-key';

/**
 * The single enforcement point for authentication and permissions. Runs on `onRequest`, before
 * the body is read, so a caller without access learns nothing from how its body is judged.
 */
export function installAuthHook(app: FastifyInstance, auth: AuthService, redeemTicket: TicketRedeemer): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const { permission, requiresAgent, acceptsTicket } = request.routeOptions.config ?? {};
    if (!permission) return;
    const { chatbotId } = request.params as { chatbotId: string };
    const ticket = acceptsTicket ? (request.query as { ticket?: unknown }).ticket : undefined;
    const header = request.headers[KEY_HEADER];
    const principal =
      typeof ticket === 'string' && header === undefined ? await redeemTicket(ticket, chatbotId) : await auth.authenticate(Array.isArray(header) ? '' : header);
    await auth.authorize(principal, chatbotId, permission, requiresAgent === true);
    request.principal = principal;
  });
}

/** The agent a `me` route acts as; the hook has already refused keys without one. */
export function agentOf(principal: Principal | null): string {
  if (principal?.kind !== 'agent') throw new Error('route declared requiresAgent but has no agent principal');
  return principal.agentId;
}
