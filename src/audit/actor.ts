import type { Principal } from '../auth/service.js';

/**
 * Who makes an administrative change: a key over HTTP (judged by the escalation rules, recorded
 * with the request id), or the admin CLI, which has the database itself.
 */
export type Actor = { kind: 'key'; principal: Principal; requestId: string } | { kind: 'cli' };

/**
 * Who the audit log names: an actor, or a sign-in link being opened (it makes the browser's key,
 * judged when the link was made; who made the link is in the link's own entry).
 */
export type AuditActor = Actor | { kind: 'login_link'; requestId: string };

export const CLI: Actor = { kind: 'cli' };

/** The actor of an HTTP request the access check let through. */
export function actorOf(request: { principal: Principal | null; id: string }): Actor {
  if (!request.principal) throw new Error('an administrative route ran without a principal');
  return { kind: 'key', principal: request.principal, requestId: request.id };
}
