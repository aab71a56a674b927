import { ok, type InboxClient } from './client.js';

/** What an agent can choose: the seed's offline, or a status. */
export type StatusChoice = 'available' | 'away' | 'busy' | 'dnd' | 'offline';

export interface StatusOptions {
  /** Shown beside the status ("In a meeting"), at most 100 characters. */
  text?: string | null;
  /** When the status lapses by itself (back to available); a Date or an ISO date-time. */
  until?: Date | string | null;
  /** The request's clock; defaults to now. */
  now?: () => number;
}

/**
 * Sets the calling agent's own status on a chatbot. `offline` is the seed's `me/online` with
 * `online: false`; any other choice is `me/status`, preceded by `online: true` so that an agent
 * who chose offline comes back. Each request carries its own `clientTimestamp`, so the newest of
 * the agent's devices wins. Answers the status the server stands by, with the derived state.
 */
export async function setMyStatus(api: InboxClient, chatbotId: string, choice: StatusChoice, options: StatusOptions = {}) {
  const now = options.now ?? Date.now;
  const path = { chatbotId };
  if (choice === 'offline') {
    const answer = ok(await api.POST('/v1/inbox/{chatbotId}/agents/me/online', { params: { path }, body: { online: false, clientTimestamp: String(now()) } }));
    return { ...answer, status: 'offline' as const };
  }
  ok(await api.POST('/v1/inbox/{chatbotId}/agents/me/online', { params: { path }, body: { online: true, clientTimestamp: String(now()) } }));
  const until = options.until instanceof Date ? options.until.toISOString() : (options.until ?? null);
  return ok(
    await api.POST('/v1/inbox/{chatbotId}/agents/me/status', {
      params: { path },
      body: { status: choice, text: options.text ?? null, until, clientTimestamp: String(now()) },
    }),
  );
}

/** The moment a status chosen "for" some minutes lapses. */
export function untilIn(minutes: number, now: number = Date.now()): Date {
  return new Date(now + minutes * 60_000);
}

/** The next `hour`:00 (local time of the browser or process) after now: "until tomorrow". */
export function untilTomorrow(hour = 9, now: Date = new Date()): Date {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, hour, 0, 0, 0);
  return next;
}
