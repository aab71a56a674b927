import { CLI } from '../../src/auth/actor.js';
import type { Permission } from '../../src/auth/permissions.js';
import type { TestContext } from './context.js';

/**
 * Every route of the provisioning API, for the security battery, the bad-input table and the
 * OpenAPI check: its permission, and how to call it successfully on a target made for the call.
 */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the OpenAPI document writes it. */
  path: string;
  permission: Permission;
  /** The status of a successful call. */
  status: number;
  /** A body a key holding only this route's permission may send. */
  body?: object;
  /** What a key needs besides the permission for the call to pass the escalation rules (removing a member takes its role's grants away). */
  alsoHeld?: string[];
  /** The successful call changes nothing (a role set to the one the member has), so it records nothing. */
  unchanged?: boolean;
  /** The key targeted by key routes is made with these grants (so a key with only the route's permission may act on it). */
  keyGrants?: string[];
}

export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'POST', path: '/v1/chatbots', permission: 'chatbots.create', status: 201, body: { name: 'New chatbot' } },
  { method: 'GET', path: '/v1/chatbots', permission: 'chatbots.list', status: 200 },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}', permission: 'chatbots.read', status: 200 },
  { method: 'PATCH', path: '/v1/chatbots/{chatbotId}', permission: 'chatbots.edit', status: 200, body: { name: 'Renamed' } },
  { method: 'DELETE', path: '/v1/chatbots/{chatbotId}', permission: 'chatbots.delete', status: 204 },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}/members', permission: 'chatbots.members.list', status: 200 },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}/members/{agentId}', permission: 'chatbots.members.list', status: 200 },
  { method: 'PUT', path: '/v1/chatbots/{chatbotId}/members/{agentId}', permission: 'chatbots.members.edit', status: 200, body: { role: 'agent' }, unchanged: true },
  { method: 'DELETE', path: '/v1/chatbots/{chatbotId}/members/{agentId}', permission: 'chatbots.members.edit', status: 204, alsoHeld: ['chatbots.inbox.*'] },
  { method: 'PUT', path: '/v1/chatbots/{chatbotId}/members/{agentId}/skills', permission: 'chatbots.members.edit', status: 200, body: { skills: ['es'] } },
  {
    method: 'POST',
    path: '/v1/chatbots/{chatbotId}/invitations',
    permission: 'chatbots.members.edit',
    status: 201,
    body: { name: 'Invitee', email: 'invitee@example.com' },
    alsoHeld: ['chatbots.inbox.*'],
  },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}/invitations', permission: 'chatbots.members.edit', status: 200 },
  { method: 'DELETE', path: '/v1/chatbots/{chatbotId}/invitations/{invitationId}', permission: 'chatbots.members.edit', status: 204 },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}/keys', permission: 'chatbots.keys.list', status: 200 },
  { method: 'POST', path: '/v1/chatbots/{chatbotId}/keys', permission: 'chatbots.keys.create', status: 201, body: { kind: 'chatbot', permissions: ['chatbots.keys.create'] } },
  { method: 'DELETE', path: '/v1/chatbots/{chatbotId}/keys/{keyId}', permission: 'chatbots.keys.revoke', status: 204, keyGrants: ['chatbots.keys.revoke'] },
  {
    method: 'POST',
    path: '/v1/chatbots/{chatbotId}/keys/{keyId}/rotate',
    permission: 'chatbots.keys.create',
    status: 200,
    body: { overlapSeconds: 60 },
    keyGrants: ['chatbots.keys.create'],
  },
  { method: 'GET', path: '/v1/chatbots/{chatbotId}/audit', permission: 'chatbots.audit.read', status: 200 },
  { method: 'POST', path: '/v1/agents', permission: 'agents.create', status: 201, body: { name: 'New agent', email: 'new@example.com' } },
  { method: 'GET', path: '/v1/agents', permission: 'agents.list', status: 200 },
  { method: 'PUT', path: '/v1/agents/by-external-id/{externalId}', permission: 'agents.sync', status: 201, body: { name: 'Synced agent' } },
  { method: 'GET', path: '/v1/agents/{agentId}', permission: 'agents.read', status: 200 },
  { method: 'PATCH', path: '/v1/agents/{agentId}', permission: 'agents.edit', status: 200, body: { name: 'Renamed agent' } },
  { method: 'DELETE', path: '/v1/agents/{agentId}', permission: 'agents.delete', status: 204 },
  { method: 'GET', path: '/v1/keys', permission: 'keys.list', status: 200 },
  { method: 'POST', path: '/v1/keys', permission: 'keys.create', status: 201, body: { permissions: ['keys.create'] } },
  { method: 'DELETE', path: '/v1/keys/{keyId}', permission: 'keys.revoke', status: 204, keyGrants: ['keys.revoke'] },
  { method: 'POST', path: '/v1/keys/{keyId}/rotate', permission: 'keys.create', status: 200, body: { overlapSeconds: 0 }, keyGrants: ['keys.create'] },
  { method: 'GET', path: '/v1/audit', permission: 'audit.read', status: 200 },
];

/** What a call acts on: a chatbot with an admin and an agent member, and a key to act on. */
export interface Target {
  chatbotId: string;
  agentId: string;
  adminId: string;
  keyId: string;
  externalId: string;
  /** A pending invitation to the chatbot. */
  invitationId: string;
}

let made = 0;

/** A fresh target for one call of `route` (so destructive calls never touch another test's data). */
export async function makeTarget(ctx: TestContext, route: AdminRoute): Promise<Target> {
  const n = ++made;
  const chatbotId = await ctx.chatbot(`Target ${n}`);
  const adminId = await ctx.agent(chatbotId, { role: 'admin' });
  const agentId = await ctx.agent(chatbotId);
  const grants = route.keyGrants ?? ['chatbots.inbox.agents.list'];
  const key = route.path.startsWith('/v1/keys')
    ? await ctx.services.keys.createOperatorKey(CLI, { permissions: grants })
    : await ctx.services.keys.createChatbotKey(CLI, { chatbotId, permissions: grants });
  const invitation = await ctx.services.invitations.create(CLI, { chatbotId, name: `Invitee ${n}`, email: `invitee-${n}@example.com`, baseUrl: 'http://localhost' });
  return { chatbotId, agentId, adminId, keyId: key.id, externalId: `ext-${n}-${Math.random().toString(36).slice(2, 8)}`, invitationId: invitation.id };
}

/** The route's URL for a target (or for another chatbot id, to test refusals). */
export function urlOf(route: AdminRoute, target: Target, chatbotId = target.chatbotId): string {
  return route.path
    .replace('{chatbotId}', chatbotId)
    .replace('{agentId}', target.agentId)
    .replace('{keyId}', target.keyId)
    .replace('{externalId}', target.externalId)
    .replace('{invitationId}', target.invitationId);
}

/** Whether the route acts on one chatbot (resource chatbots/:chatbotId) rather than the install. */
export const onChatbot = (route: AdminRoute) => route.path.includes('{chatbotId}');
