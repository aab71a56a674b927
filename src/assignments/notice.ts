import { hash } from 'node:crypto';
import type { NotifyBody } from '../push/schemas.js';
import type { NewAssignment } from './store.js';

/*
 * What an agent is told of a chat that became theirs: the "New chat" push. Pure: the push
 * service decides who gets it (push/routing.ts: not while the agent watches live, nor when the
 * agent muted the type, is in do not disturb or outside working hours).
 */

/** The notification type of a chat assigned to the agent: what an agent mutes to stop these pushes. */
export const NEW_CHAT_TYPE = 'chat.assigned';

/** How long delivery of a "New chat" push is attempted: a chat older than this is no news to push. */
export const NEW_CHAT_TTL_SECONDS = 900;

const TITLE_MAX = 200;
const shortened = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The push for an assignment (made, offered, or moved to a new agent) and its idempotency key:
 * the same assignment always gives the same key, so telling it twice (after a crash, by the
 * sweep) queues one notification. An offer's push says so and carries, in `data.offer`, when it
 * lapses and the offer's secret (when known): the service worker's Accept and Decline send it
 * back (the SDK's installInboxServiceWorker), so the agent answers from the notification itself.
 */
export function newChatNotice(
  row: Pick<NewAssignment, 'chatbot_id' | 'conversation_id' | 'agent_id' | 'assigned_at' | 'strategy' | 'title' | 'preview'> & Partial<Pick<NewAssignment, 'offer_expires_at'>>,
  offerSecret?: string,
  now: number = Number(row.assigned_at),
): {
  body: NotifyBody;
  idempotencyKey: string;
} {
  const moved = row.strategy === 'transfer';
  const offerExpiresAt = row.offer_expires_at === null || row.offer_expires_at === undefined ? null : Number(row.offer_expires_at);
  const heading = offerExpiresAt !== null ? 'Chat offered to you' : moved ? 'Chat passed to you' : 'New chat';
  const offer =
    offerExpiresAt === null
      ? {}
      : { offer: { chatbotId: row.chatbot_id, expiresAt: new Date(offerExpiresAt).toISOString(), ...(offerSecret === undefined ? {} : { secret: offerSecret }) } };
  return {
    body: {
      type: NEW_CHAT_TYPE,
      title: shortened(row.title ? `${heading}: ${row.title}` : heading, TITLE_MAX),
      body: row.preview ?? `Conversation ${row.conversation_id}`,
      url: '/app/',
      // The title and preview are in the notification's own title and text: not again here, so
      // the longest allowed (200 and 500 characters, 3 bytes each) stay under the 4 KB push limit.
      data: { conversationId: row.conversation_id, transferred: moved, ...offer },
      audience: { agentIds: [row.agent_id] },
      // An offer is no news once it lapsed: kept for delivery until then, from when it is told.
      ttlSeconds: offerExpiresAt === null ? NEW_CHAT_TTL_SECONDS : Math.max(1, Math.min(NEW_CHAT_TTL_SECONDS, Math.ceil((offerExpiresAt - now) / 1000))),
      urgency: 'high',
    },
    idempotencyKey: `asg_${hash('sha256', `${row.chatbot_id}\n${row.conversation_id}\n${row.agent_id}\n${Number(row.assigned_at)}`, 'hex').slice(0, 40)}`,
  };
}
