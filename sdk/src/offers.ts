import { ok, type InboxClient, type paths } from './client.js';

/** A chat as `acceptOffer` answers it: the chat, now the agent's. */
export type AcceptedOffer = paths['/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/accept']['post']['responses'][200]['content']['application/json'];
/** The chat as it stands after `declineOffer`: offered to the next agent, or waiting in the queue. */
export type DeclinedOffer = paths['/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/decline']['post']['responses'][200]['content']['application/json'];

/**
 * The signed-in agent (an agent key) accepts a chat offered to it: the chat becomes its own.
 * Throws an InboxApiError: 409 `offer_expired` once the offer lapsed, 404 when it is no longer
 * offered to this agent.
 */
export async function acceptOffer(client: InboxClient, chatbotId: string, conversationId: string): Promise<AcceptedOffer> {
  return ok(await client.POST('/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/accept', { params: { path: { chatbotId, conversationId } } }));
}

/** The signed-in agent declines a chat offered to it: it goes to the next agent, or waits. Throws 409 `offer_accepted` for a chat already accepted. */
export async function declineOffer(client: InboxClient, chatbotId: string, conversationId: string): Promise<DeclinedOffer> {
  return ok(await client.POST('/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/decline', { params: { path: { chatbotId, conversationId } } }));
}

/** Milliseconds left to answer an offer that lapses at `expiresAt` (0 once lapsed). */
export function offerTimeLeft(expiresAt: string, now: number = Date.now()): number {
  return Math.max(0, Date.parse(expiresAt) - now);
}
