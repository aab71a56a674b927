import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Stream tickets as stored: only their hash; redeeming deletes the row in the same statement. */
export function ticketStore(db: Kysely<Database>) {
  return {
    /** Stores a ticket and sweeps the expired ones nobody redeemed. */
    async add(ticketHash: string, keyId: string, chatbotId: string, expiresAt: number, now: number): Promise<void> {
      await db.insertInto('stream_tickets').values({ ticket_hash: ticketHash, key_id: keyId, chatbot_id: chatbotId, expires_at: expiresAt }).execute();
      await db.deleteFrom('stream_tickets').where('expires_at', '<', now).execute();
    },

    /** Deletes the ticket and answers what it was, once; undefined when unknown or already used. */
    take: (ticketHash: string) => db.deleteFrom('stream_tickets').where('ticket_hash', '=', ticketHash).returning(['key_id', 'chatbot_id', 'expires_at']).executeTakeFirst(),
  };
}
