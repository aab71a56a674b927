import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { isoTime } from '../http-schemas.js';
import { pageAnswer, type Page } from '../http/paging.js';
import { newId } from '../ids.js';
import { endpointProblem, type EndpointPolicy } from '../delivery/addresses.js';
import type { WebhookStore } from './store.js';

export const MAX_DEBOUNCE_SECONDS = 300;
export const MAX_WEBHOOKS_PER_CHATBOT = 10;

/** Webhooks of a chatbot: registered, listed (never with their secret), removed, and their deliveries. */
export function webhookService(store: WebhookStore, policy: EndpointPolicy, now: () => number) {
  const view = (row: { id: string; url: string; debounce_seconds: number; created_at: number }) => ({
    id: row.id,
    url: row.url,
    debounceSeconds: Number(row.debounce_seconds),
    createdAt: isoTime(row.created_at)!,
  });
  return {
    /** Registers a webhook; the signing secret is in this answer only. */
    async create(chatbotId: string, input: { url: string; debounceSeconds?: number }) {
      const problem = endpointProblem(input.url, policy, 'url');
      if (problem) throw new AppError('invalid_request', problem.message);
      const row = {
        id: newId('whk'),
        chatbot_id: chatbotId,
        url: input.url,
        // Standard Webhooks: "whsec_" and the base64 of the key (24 random bytes here).
        secret: `whsec_${randomBytes(24).toString('base64')}`,
        debounce_seconds: input.debounceSeconds ?? 0,
        created_at: now(),
      };
      if (!(await store.createWithin(row, MAX_WEBHOOKS_PER_CHATBOT)))
        throw new AppError('invalid_request', `a chatbot can have at most ${MAX_WEBHOOKS_PER_CHATBOT} webhooks; remove one first`);
      return { ...view(row), secret: row.secret };
    },

    async list(chatbotId: string, page: Page) {
      return pageAnswer(await store.page(chatbotId, page), page, (row) => ({ at: Number(row.created_at), id: row.id }), view);
    },

    async remove(chatbotId: string, id: string): Promise<void> {
      if (!(await store.remove(chatbotId, id))) throw new AppError('not_found', `no webhook ${id} in this chatbot`);
    },

    /** A webhook's messages, newest first, with what became of each. */
    async deliveries(chatbotId: string, id: string, page: Page) {
      if (!(await store.find(chatbotId, id))) throw new AppError('not_found', `no webhook ${id} in this chatbot`);
      const rows = await store.deliveries(id, { ...page, descending: true });
      return pageAnswer(
        rows,
        { ...page, descending: true },
        (row) => ({ at: Number(row.created_at), id: row.id }),
        (row) => ({
          id: row.id,
          agentId: row.agent_id,
          state: row.state,
          reason: row.reason,
          attempts: Number(row.attempts),
          lastStatus: row.last_status === null ? null : Number(row.last_status),
          lastError: row.last_error,
          createdAt: isoTime(row.created_at)!,
          sentAt: isoTime(row.sent_at),
          nextAttemptAt: row.state === 'pending' ? isoTime(row.next_attempt_at) : null,
          payload: JSON.parse(row.payload) as unknown,
        }),
      );
    },
  };
}
export type WebhookService = ReturnType<typeof webhookService>;
