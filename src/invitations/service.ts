import type { Kysely } from 'kysely';
import type { Actor, AuditActor } from '../auth/actor.js';
import { membershipChangeRefusal, type Holdings } from '../auth/escalation.js';
import { grantsCover } from '../auth/permissions.js';
import { newSignInToken, signInUrl, type SignIn, type SignInTokens } from '../auth/login-links.js';
import type { Principal } from '../auth/service.js';
import type { AuditService } from '../audit/service.js';
import type { Database, MemberRole } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { newId } from '../ids.js';
import { requireEmail, requireName, requireRole, type TenancyService } from '../tenancy/service.js';
import { ENDED_INVITATIONS_KEPT_MS, INVITATION_TTL_MS, invitationState } from './state.js';
import { invitationStore, type InvitationRow } from './store.js';

export interface Invitation {
  id: string;
  name: string;
  email: string;
  role: MemberRole;
  state: ReturnType<typeof invitationState>;
  createdAt: string;
  expiresAt: string;
  /** The key that invited; null: the admin CLI. */
  invitedBy: string | null;
  acceptedAt: string | null;
  /** The agent the invitation created, once accepted (null again if that agent was deleted). */
  agentId: string | null;
  revokedAt: string | null;
}

export interface InvitationHooks {
  /** What the acting key holds on the chatbot (see auth/escalation.ts). */
  holdings(principal: Principal, chatbotIds: readonly string[]): Promise<Holdings>;
  /** What a key holds on the chatbot now, read in the transaction `x` (nothing once revoked). */
  holdingsOfKey(x: Kysely<Database>, keyId: string, chatbotIds: readonly string[]): Promise<Holdings>;
  /** A member was added (after commit): presence announces it. */
  membershipChanged(chatbotId: string, agentId: string): Promise<void>;
}

/** The permission an invitation is made with (its route's), held again when it is opened. */
const INVITE_PERMISSION = 'chatbots.members.edit';

/**
 * Why these holdings may not invite to the role: whoever invites must hold the members' edit
 * permission and every grant of the role, when inviting and again when the link is opened.
 */
function inviteRefusal(holdings: Holdings, chatbotId: string, role: MemberRole): string | null {
  if (!grantsCover(holdings.on(chatbotId), [INVITE_PERMISSION])) return `this key cannot invite: it lacks ${INVITE_PERMISSION} on chatbot ${chatbotId}`;
  const refusal = membershipChangeRefusal(holdings, chatbotId, undefined, role);
  return refusal?.replace('this key cannot', 'this key cannot invite with') ?? null;
}

/**
 * Invitations: an admin of a chatbot invites a person by name and e-mail with a role; the answer
 * is a single-use sign-in link (no mail is sent) that, opened within a week, creates a new agent
 * with that membership and gives the browser its key. Never an existing agent: the answer and
 * what the link does are the same whether or not the address belongs to someone of the install.
 * A new invitation of the same address to the same chatbot replaces a pending one.
 */
export function invitationService(db: Kysely<Database>, tenancy: TenancyService, audit: AuditService, hooks: InvitationHooks, now: () => number) {
  const store = invitationStore(db);

  const toInvitation = (row: InvitationRow, at: number): Invitation => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    state: invitationState(
      { expires_at: Number(row.expires_at), used_at: row.used_at === null ? null : Number(row.used_at), revoked_at: row.revoked_at === null ? null : Number(row.revoked_at) },
      at,
    ),
    createdAt: isoTime(row.created_at)!,
    expiresAt: isoTime(row.expires_at)!,
    invitedBy: row.created_by,
    acceptedAt: isoTime(row.used_at),
    agentId: row.agent_id,
    revokedAt: isoTime(row.revoked_at),
  });

  /** The invitation's sign-in: run by the exchange of sign-in links, in its transaction. */
  const tokens: SignInTokens = {
    async use(x, tokenHash, at, actor: AuditActor, keyId): Promise<SignIn | undefined> {
      const invitation = await invitationStore(x).use(tokenHash, at, x);
      if (!invitation) return undefined;
      // The invitation gives what its inviter may give now: one who left the chatbot, lost the
      // role, or whose key was revoked invites nobody any more, and the invitation is revoked.
      const refusal =
        invitation.created_by === null ? null : inviteRefusal(await hooks.holdingsOfKey(x, invitation.created_by, [invitation.chatbot_id]), invitation.chatbot_id, invitation.role);
      if (refusal) {
        await invitationStore(x).revokeUsed(invitation.id, at, x);
        await audit.record(x, actor, 'invitation.revoked', { chatbotId: invitation.chatbot_id, detail: { invitationId: invitation.id, reason: 'inviter_lost_access' } });
        return undefined;
      }
      const agentId = await tenancy.createInvitedMember(x, actor, { chatbotId: invitation.chatbot_id, name: invitation.name, email: invitation.email, role: invitation.role });
      await invitationStore(x).setAgent(invitation.id, agentId, x);
      await audit.record(x, actor, 'invitation.accepted', { chatbotId: invitation.chatbot_id, agentId, keyId, detail: { invitationId: invitation.id, role: invitation.role } });
      return { chatbotId: invitation.chatbot_id, agentId, committed: () => hooks.membershipChanged(invitation.chatbot_id, agentId) };
    },
  };

  return {
    tokens,

    /**
     * Invites a person: the invitation with its link (shown this once; only its hash is kept). A
     * key may invite only to a role whose permissions it holds on the chatbot.
     */
    async create(actor: Actor, input: { chatbotId: string; name?: string; email?: string; role?: string; baseUrl: string }): Promise<Invitation & { url: string }> {
      const name = requireName(input.name, 'invitee');
      const email = requireEmail(input.email);
      if (email === null) throw new AppError('invalid_request', 'email is required: the address of the person invited');
      const role = requireRole(input.role);
      if (actor.kind === 'key') {
        const refusal = inviteRefusal(await hooks.holdings(actor.principal, [input.chatbotId]), input.chatbotId, role);
        if (refusal) throw new AppError('permission_denied', refusal);
      }
      await tenancy.requireChatbot(input.chatbotId);
      const { token, hash } = newSignInToken();
      const at = now();
      const row: InvitationRow = {
        id: newId('inv'),
        chatbot_id: input.chatbotId,
        token_hash: hash,
        name,
        email,
        role,
        created_at: at,
        expires_at: at + INVITATION_TTL_MS,
        created_by: actor.kind === 'key' ? actor.principal.keyId : null,
        used_at: null,
        agent_id: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (x) => {
        const txStore = invitationStore(x);
        await txStore.pruneEnded(at - ENDED_INVITATIONS_KEPT_MS, x);
        for (const replaced of await txStore.revokePendingFor(input.chatbotId, email, at, x)) {
          await audit.record(x, actor, 'invitation.revoked', { chatbotId: input.chatbotId, detail: { invitationId: replaced, replacedBy: row.id } });
        }
        await txStore.insert(row, x);
        await audit.record(x, actor, 'invitation.created', { chatbotId: input.chatbotId, detail: { invitationId: row.id, name, email, role, expiresAt: isoTime(row.expires_at) } });
      });
      return { ...toInvitation(row, at), url: signInUrl(input.baseUrl, token) };
    },

    /** The chatbot's invitations, in the order they were made, each with its state. */
    async list(chatbotId: string, page: Page) {
      await tenancy.requireChatbot(chatbotId);
      const at = now();
      return pageAnswer(
        await store.list(chatbotId, page),
        page,
        (row) => ({ at: Number(row.created_at), id: row.id }),
        (row) => toInvitation(row, at),
      );
    },

    /**
     * Revokes a pending invitation: its link stops working. Revoking one that is revoked or
     * expired changes nothing; one that was accepted is a member now (409 invitation_accepted).
     */
    async revoke(actor: Actor, chatbotId: string, invitationId: string): Promise<void> {
      const at = now();
      await db.transaction().execute(async (x) => {
        const txStore = invitationStore(x);
        const row = await txStore.find(chatbotId, invitationId, x);
        if (!row) throw new AppError('not_found', `no invitation ${invitationId} in chatbot ${chatbotId}`);
        if (row.used_at !== null) {
          throw new AppError('invitation_accepted', `invitation ${invitationId} was already accepted: ${row.name} is a member now; remove the member instead`);
        }
        if (await txStore.revoke(chatbotId, invitationId, at, x)) {
          await audit.record(x, actor, 'invitation.revoked', { chatbotId, detail: { invitationId } });
        }
      });
    },
  };
}

export type InvitationService = ReturnType<typeof invitationService>;
