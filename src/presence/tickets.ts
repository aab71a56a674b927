import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashSecret } from '../auth/secrets.js';
import type { AuthService, Principal } from '../auth/service.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { ticketStore } from './ticket-store.js';

export const TICKET_PREFIX = 'cct_';
export const TICKET_TTL_SECONDS = 60;

/**
 * Stream tickets: browsers' EventSource cannot send headers, and a long-lived key must never
 * sit in a URL. A ticket is short-lived, single-use, bound to one chatbot, and acts as the key
 * that made it. Only its hash is stored; redeeming deletes it in the same statement.
 */
export function streamTickets(db: Kysely<Database>, auth: AuthService, now: () => number) {
  const store = ticketStore(db);
  return {
    async issue(principal: Principal, chatbotId: string) {
      const ticket = TICKET_PREFIX + randomBytes(32).toString('base64url');
      const expiresAt = now() + TICKET_TTL_SECONDS * 1000;
      await store.add(hashSecret(ticket), principal.keyId, chatbotId, expiresAt, now());
      return { ticket, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Redeems a ticket for the principal of the key that made it, or throws 401. */
    async redeem(ticket: string, chatbotId: string): Promise<Principal> {
      if (!ticket.startsWith(TICKET_PREFIX) || ticket.length > 100) throw new AppError('invalid_ticket', 'the stream ticket is not valid');
      const row = await store.take(hashSecret(ticket));
      if (!row) throw new AppError('invalid_ticket', 'the stream ticket is unknown or was already used; tickets are single-use');
      if (Number(row.expires_at) <= now()) throw new AppError('ticket_expired', `the stream ticket expired; tickets last ${TICKET_TTL_SECONDS} s`);
      if (row.chatbot_id !== chatbotId) throw new AppError('invalid_ticket', 'the stream ticket was made for another chatbot');
      return auth.principalForKey(row.key_id);
    },
  };
}

export type StreamTickets = ReturnType<typeof streamTickets>;
