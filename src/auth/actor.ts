import type { AuditActor } from '../audit/actor.js';
import type { Principal } from './service.js';

/**
 * Who makes an administrative change: a key over HTTP (judged by the escalation rules, recorded
 * with the request id), or the admin CLI, which has the database itself.
 */
export type Actor = { kind: 'key'; principal: Principal; requestId: string } | { kind: 'cli' };

export type { AuditActor };

export const CLI: Actor = { kind: 'cli' };

/** The actor of an HTTP request the access check let through. */
export function actorOf(request: { principal: Principal | null; id: string }): Actor {
  if (!request.principal) throw new Error('an administrative route ran without a principal');
  return { kind: 'key', principal: request.principal, requestId: request.id };
}
