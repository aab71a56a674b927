import type { MemberRole } from '../db/schema.js';
import { grantsCover, ROLE_GRANTS } from './permissions.js';

/**
 * The rules that keep any key from making something more powerful than itself. Each takes what
 * the acting key holds and what would be given, and answers why not (a sentence), or null when
 * it may. They decide; the key and membership services ask them before every change.
 *
 * What a key holds on a chatbot: an operator key its grants (on every chatbot), a chatbot key
 * its grants on its own chatbot (nothing elsewhere), an agent key its agent's role's grants
 * where the agent is a member (nothing elsewhere). The CLI, which has the database itself, is
 * not judged by these rules.
 */

/** What the acting key holds, where. */
export interface Holdings {
  /** Grants on the install (operator keys only; empty otherwise). */
  install: readonly string[];
  /** Grants on a chatbot. */
  on(chatbotId: string): readonly string[];
  /** True for operator keys: they alone may make operator keys. */
  operator: boolean;
}

/** A key with explicit grants on one chatbot. */
export function chatbotKeyRefusal(holdings: Holdings, chatbotId: string, grants: readonly string[]): string | null {
  if (grantsCover(holdings.on(chatbotId), grants)) return null;
  return `this key cannot give ${grants.join(', ')} on chatbot ${chatbotId}: a key can only make keys whose grants it holds itself`;
}

/** An install-wide key: only an operator key, and only with grants it holds on the install. */
export function operatorKeyRefusal(holdings: Holdings, grants: readonly string[]): string | null {
  if (!holdings.operator) return 'only an operator key can make operator keys';
  if (grantsCover(holdings.install, grants)) return null;
  return `this key cannot give ${grants.join(', ')}: a key can only make keys whose grants it holds itself`;
}

/**
 * A key acting as an agent acts with the agent's role in every chatbot it belongs to, so it
 * may be made only by a key that holds each of those roles' grants where the agent is a member.
 */
export function agentKeyRefusal(holdings: Holdings, memberships: ReadonlyArray<{ chatbotId: string; role: MemberRole }>): string | null {
  const beyond = memberships.find((membership) => !grantsCover(holdings.on(membership.chatbotId), ROLE_GRANTS[membership.role]));
  if (!beyond) return null;
  return `this key cannot act for this agent: the agent is ${beyond.role} of chatbot ${beyond.chatbotId}, with more power there than this key holds`;
}

/**
 * Giving an agent a role in a chatbot gives its keys that role's grants there, so only a key
 * that holds them may (an admin role needs every chatbot permission: `chatbots.*`).
 */
export function roleRefusal(holdings: Holdings, chatbotId: string, role: MemberRole): string | null {
  if (grantsCover(holdings.on(chatbotId), ROLE_GRANTS[role])) return null;
  return `this key cannot make an agent ${role} of chatbot ${chatbotId}: that role holds more than this key does there`;
}

/** The last admin of a chatbot cannot be removed or made an agent: someone must be able to administer it. */
export function lastAdminRefusal(admins: readonly string[], agentId: string, newRole: MemberRole | null): string | null {
  if (newRole === 'admin' || !admins.includes(agentId) || admins.length > 1) return null;
  return `agent ${agentId} is the last admin of this chatbot; make another member admin first`;
}

/**
 * Changing or ending a membership: the new role must be one the key may give (roleRefusal), and
 * the role the member has now one it holds too: no key demotes or removes a member with more
 * power on the chatbot than itself. `after` null ends the membership.
 */
export function membershipChangeRefusal(holdings: Holdings, chatbotId: string, before: MemberRole | undefined, after: MemberRole | null): string | null {
  if (before === after) return null;
  const giving = after === null ? null : roleRefusal(holdings, chatbotId, after);
  if (giving) return giving;
  if (before === undefined || grantsCover(holdings.on(chatbotId), ROLE_GRANTS[before])) return null;
  return `this key cannot ${after === null ? 'remove' : 'change the role of'} a member who is ${before} of chatbot ${chatbotId}: that role holds more than this key does there`;
}
