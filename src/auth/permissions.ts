import type { MemberRole } from '../db/schema.js';

/**
 * Every permission a route can ask for, with where it applies: `chatbot` permissions on the
 * resource `chatbots/:chatbotId` (the chatbot in the path), `install` permissions on the whole
 * install (they only operator keys can hold). A route declares exactly one.
 */
export const PERMISSION_SCOPES = {
  // The inbox: presence, an agent's own settings, notifications (the seed's routes and their kin).
  'chatbots.inbox.agents.list': 'chatbot',
  'chatbots.inbox.agents.online.edit': 'chatbot',
  'chatbots.inbox.availability.read': 'chatbot',
  'chatbots.inbox.reports.read': 'chatbot',
  'chatbots.inbox.agents.status.edit': 'chatbot',
  'chatbots.inbox.agents.capacity.edit': 'chatbot',
  'chatbots.inbox.agents.notifications.get': 'chatbot',
  'chatbots.inbox.agents.notifications.edit': 'chatbot',
  'chatbots.inbox.notifications.send': 'chatbot',
  // Assignments: who takes the next chat (integrations; admins through chatbots.*).
  'chatbots.inbox.assignments.edit': 'chatbot',
  'chatbots.inbox.assignments.read': 'chatbot',
  // Administration of one chatbot.
  'chatbots.read': 'chatbot',
  'chatbots.edit': 'chatbot',
  'chatbots.delete': 'chatbot',
  'chatbots.members.list': 'chatbot',
  'chatbots.members.edit': 'chatbot',
  'chatbots.keys.list': 'chatbot',
  'chatbots.keys.create': 'chatbot',
  'chatbots.keys.revoke': 'chatbot',
  'chatbots.audit.read': 'chatbot',
  'chatbots.webhooks.edit': 'chatbot',
  // The install: chatbots and the agent directory, operator keys, the audit log of everything.
  'chatbots.create': 'install',
  'chatbots.list': 'install',
  'agents.create': 'install',
  'agents.sync': 'install',
  'agents.list': 'install',
  'agents.read': 'install',
  'agents.edit': 'install',
  'agents.delete': 'install',
  'keys.list': 'install',
  'keys.create': 'install',
  'keys.revoke': 'install',
  'audit.read': 'install',
} as const satisfies Record<string, 'chatbot' | 'install'>;

export type Permission = keyof typeof PERMISSION_SCOPES;
export type PermissionScope = (typeof PERMISSION_SCOPES)[Permission];

export const PERMISSIONS = Object.keys(PERMISSION_SCOPES) as Permission[];

/**
 * What an agent key may do on a chatbot it is a member of, by its role there. Roles list exact
 * grants (the agent role) so that a permission added later is not handed to every agent by
 * accident; an admin holds every chatbot permission, including ones added later.
 */
export const ROLE_GRANTS: Record<MemberRole, readonly string[]> = {
  // Sending notifications is for integrations (a chatbot key) and admins, not every agent.
  agent: [
    'chatbots.inbox.agents.list',
    'chatbots.inbox.agents.online.edit',
    'chatbots.inbox.availability.read',
    'chatbots.inbox.agents.notifications.get',
    'chatbots.inbox.agents.notifications.edit',
  ],
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

/**
 * Whether holding `held` gives at least the power of holding `wanted`, now and for permissions
 * added later: `*` covers everything, `chatbots.*` covers `chatbots.inbox.*` and
 * `chatbots.keys.create`, while `chatbots.inbox.*` does not cover `chatbots.keys.create` and no
 * list of exact permissions covers a wildcard.
 */
export function grantCovers(held: string, wanted: string): boolean {
  if (held === '*' || held === wanted) return true;
  return held.endsWith('.*') && wanted.startsWith(held.slice(0, -1));
}

/** Whether the grants `held` cover every grant in `wanted` (see grantCovers). */
export function grantsCover(held: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((grant) => held.some((holding) => grantCovers(holding, grant)));
}

/** Returns why a grant is unacceptable, or null when it names or covers a known permission of the scope. */
export function grantProblem(grant: string, scope: PermissionScope | 'any' = 'chatbot'): string | null {
  if (!/^(\*|[a-z]+(\.[a-z]+)*(\.\*)?)$/.test(grant)) {
    return `permission "${grant}" is not a dotted name (e.g. chatbots.inbox.agents.list, chatbots.inbox.*, or *)`;
  }
  const known = PERMISSIONS.filter((permission) => scope === 'any' || PERMISSION_SCOPES[permission] === scope);
  if (!known.some((permission) => covers(grant, permission))) {
    const what = scope === 'chatbot' ? 'chatbot permission (a chatbot key holds permissions on its chatbot only)' : 'known permission';
    return `permission "${grant}" matches no ${what}; known: ${known.join(', ')}`;
  }
  return null;
}
