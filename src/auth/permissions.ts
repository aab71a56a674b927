import type { MemberRole } from '../db/schema.js';

/** Every permission a route can ask for. A route declares exactly one of these. */
export const PERMISSIONS = [
  'chatbots.inbox.agents.list',
  'chatbots.inbox.agents.online.edit',
  'chatbots.inbox.agents.notifications.get',
  'chatbots.inbox.agents.notifications.edit',
  'chatbots.inbox.notifications.send',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/**
 * What an agent key may do on a chatbot it is a member of, by its role there. Roles list exact
 * grants so that a permission added later is not handed to every agent by accident.
 */
export const ROLE_GRANTS: Record<MemberRole, readonly string[]> = {
  // Sending notifications is for integrations (a chatbot key) and admins, not every agent.
  agent: PERMISSIONS.filter((permission) => permission !== 'chatbots.inbox.notifications.send'),
  admin: ['chatbots.*'],
};

/**
 * Whether a grant covers a permission: the same name, `*`, or a prefix ending in `.*`
 * (`chatbots.inbox.*` covers `chatbots.inbox.agents.list`). Wildcards live only in grants.
 */
export function covers(grant: string, permission: Permission): boolean {
  if (grant === '*' || grant === permission) return true;
  return grant.endsWith('.*') && permission.startsWith(grant.slice(0, -1));
}

/** Returns why a grant is unacceptable, or null when it names or covers a known permission. */
export function grantProblem(grant: string): string | null {
  if (!/^(\*|[a-z]+(\.[a-z]+)*(\.\*)?)$/.test(grant)) {
    return `permission "${grant}" is not a dotted name (e.g. chatbots.inbox.agents.list, chatbots.inbox.*, or *)`;
  }
  if (!PERMISSIONS.some((permission) => covers(grant, permission))) {
    return `permission "${grant}" matches no known permission (known: ${PERMISSIONS.join(', ')})`;
  }
  return null;
}
