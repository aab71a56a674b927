import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, AuditActor } from './actor.js';
import type { AuditService } from '../audit/service.js';
import type { ChangeTracker } from '../db/changes.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { newId } from '../ids.js';
import type { TenancyReads } from './tenancy-reads.js';
import type { KeyService } from './keys.js';
import { generateSecret, hashSecret } from './secrets.js';
import { keyStore } from './store.js';

/** How long a sign-in link can be opened. */
export const LOGIN_LINK_TTL_MS = 15 * 60_000;
/** A browser's key ends after this long unused. */
export const BROWSER_KEY_UNUSED_MS = 30 * 86_400_000;

const USED_OR_EXPIRED = 'This sign-in link was already used or has expired';
/** A token is 32 random bytes, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A token is stored as keys are: its SHA-256 (hashSecret). */
const tokenHash = hashSecret;

/** A new sign-in token (256 random bits) and the hash that is stored of it. */
export function newSignInToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

/** Where a sign-in token is opened: after `#`, so it never reaches a server log as part of a path. */
export const signInUrl = (baseUrl: string, token: string) => `${baseUrl}/app/#login=${token}`;

/**
 * What a browser is called in the agent's list of keys, from its User-Agent: "Chrome on Linux".
 * Pure; the name is only a label a person reads, never trusted for anything.
 */
export function browserName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'A browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return system ? `${browser} on ${system}` : browser;
}

/** Whom a sign-in token signs the browser in as; `committed` runs once the exchange committed. */
export interface SignIn {
  chatbotId: string;
  agentId: string;
  committed?: () => Promise<void>;
}

/**
 * Other single-use tokens the exchange accepts as sign-in links (invitations/): `use` runs in
 * the exchange's transaction with the token's hash, and names the member the browser's key
 * (`keyId`) is for; undefined when the token is not one of them, or no longer usable.
 */
export interface SignInTokens {
  use(x: Kysely<Database>, tokenHash: string, at: number, actor: AuditActor, keyId: string): Promise<SignIn | undefined>;
}

/**
 * Sign-in links: an admin (or operator, or the CLI) makes a single-use link for an agent, valid
 * 15 minutes; opening it exchanges its token for a key of the browser's own, an agent key that
 * ends after 30 days unused. Only the token's SHA-256 is stored, as for keys.
 */
export function loginLinkService(
  db: Kysely<Database>,
  keys: KeyService,
  tenancy: TenancyReads,
  audit: AuditService,
  changes: ChangeTracker,
  now: () => number,
  otherTokens?: SignInTokens,
) {
  return {
    /** A link for `agentId` on `chatbotId`, if the actor could make the agent a key itself. */
    async create(actor: Actor, input: { chatbotId: string; agentId: string; baseUrl: string }): Promise<{ url: string; expiresAt: string }> {
      if ((await tenancy.findRole(input.chatbotId, input.agentId)) === undefined) {
        throw new AppError('not_found', `agent ${input.agentId} is not a member of chatbot ${input.chatbotId}`);
      }
      // The link is a key in waiting: whoever makes it must be able to make that key.
      const refusal = await keys.agentKeyRefusal(actor, input.agentId);
      if (refusal) throw new AppError('permission_denied', refusal.replace('make', 'make a sign-in link for'));
      const { token, hash } = newSignInToken();
      const at = now();
      const expiresAt = at + LOGIN_LINK_TTL_MS;
      await db.transaction().execute(async (x) => {
        // Links a day past their expiry are of no more use, not even to say "expired": dropped as new ones are made.
        await keyStore(x, changes).pruneLoginLinks(at - 86_400_000);
        await keyStore(x, changes).insertLoginLink({
          token_hash: hash,
          chatbot_id: input.chatbotId,
          agent_id: input.agentId,
          created_at: at,
          expires_at: expiresAt,
          used_at: null,
        });
        await audit.record(x, actor, 'login_link.created', { chatbotId: input.chatbotId, agentId: input.agentId, detail: { expiresAt: isoTime(expiresAt) } });
      });
      return { url: signInUrl(input.baseUrl, token), expiresAt: isoTime(expiresAt)! };
    },

    /**
     * Opens a link: the browser's new key (shown this once), or 410 when the link is unknown,
     * used, expired, or its agent is no longer a member of the chatbot. A link works once, even
     * when two browsers open it at the same moment.
     */
    async exchange(input: { token: string; name: string; requestId: string }) {
      if (!TOKEN_PATTERN.test(input.token)) throw new AppError('login_link_invalid', USED_OR_EXPIRED);
      const at = now();
      const secret = generateSecret();
      const keyId = newId('key');
      const actor = { kind: 'login_link' as const, requestId: input.requestId };
      const used = await db.transaction().execute(async (x) => {
        const store = keyStore(x, changes);
        const hash = tokenHash(input.token);
        let signIn: SignIn | undefined;
        const link = await store.useLoginLink(hash, at);
        if (link) {
          if ((await store.roleIn(link.chatbot_id, link.agent_id)) === undefined) return undefined;
          await audit.record(x, actor, 'login_link.used', { chatbotId: link.chatbot_id, agentId: link.agent_id, keyId });
          signIn = { chatbotId: link.chatbot_id, agentId: link.agent_id };
        } else {
          signIn = await otherTokens?.use(x, hash, at, actor, keyId);
          if (!signIn) return undefined;
        }
        await store.insertKey({
          id: keyId,
          kind: 'agent',
          agent_id: signIn.agentId,
          chatbot_id: null,
          grants: '[]',
          secret_hash: hashSecret(secret),
          secret_hint: secret.slice(-4),
          name: input.name,
          created_at: at,
          revoked_at: null,
          expires_unused_ms: BROWSER_KEY_UNUSED_MS,
        });
        await audit.record(x, actor, 'key.created', {
          chatbotId: signIn.chatbotId,
          agentId: signIn.agentId,
          keyId,
          detail: { kind: 'agent', name: input.name, via: link ? 'sign-in link' : 'invitation' },
        });
        return signIn;
      });
      // Refused alike whatever the reason; the transaction commits, so a link whose agent left the
      // chatbot (or an invitation whose inviter may no longer give it) is spent, not left to try again.
      if (!used) throw new AppError('login_link_invalid', USED_OR_EXPIRED);
      changes.tenancyChanged();
      await used.committed?.();
      return {
        key: secret,
        keyId,
        agentId: used.agentId,
        chatbotId: used.chatbotId,
        name: input.name,
        expiresAt: isoTime(at + BROWSER_KEY_UNUSED_MS)!,
      };
    },
  };
}

export type LoginLinkService = ReturnType<typeof loginLinkService>;
