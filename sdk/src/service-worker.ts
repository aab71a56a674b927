/**
 * The service worker half of browser notifications: shows each push the service sends and opens
 * its `url` on click, focusing an open tab when there is one. In your service worker:
 *
 *   import { installInboxServiceWorker } from '@inbox-agents/sdk/service-worker';
 *   installInboxServiceWorker(self);
 */

/** What the service pushes (see the README's "Browser notifications"). */
export interface InboxPush {
  id: string;
  type: string;
  title: string;
  body: string;
  url: string | null;
  data: Record<string, unknown> | null;
  priority: 'normal' | 'critical';
  collapseKey: string | null;
  chatbotId: string;
  createdAt: string;
}

/** What an offer's push carries in `data.offer`: its chatbot, when it lapses, and the secret that answers it (see offerOf). */
export interface PushedOffer {
  chatbotId: string;
  conversationId: string;
  expiresAt: string;
  secret: string | null;
}

export interface ShownNotification {
  title: string;
  options: {
    body: string;
    tag: string;
    data: InboxPush | null;
    requireInteraction: boolean;
    renotify: boolean;
    timestamp?: number;
    /** An offer's Accept and Decline (only when its push carries the secret that answers it). */
    actions?: Array<{ action: 'accept' | 'decline'; title: string }>;
  };
}

/** The offer a push is about (a chat offered to the agent, `data.offer`), or null. */
export function offerOf(push: Partial<InboxPush> | null): PushedOffer | null {
  const data = push?.data as { conversationId?: unknown; offer?: { chatbotId?: unknown; expiresAt?: unknown; secret?: unknown } } | null | undefined;
  const offer = data?.offer;
  if (!offer || typeof data?.conversationId !== 'string' || typeof offer.chatbotId !== 'string' || typeof offer.expiresAt !== 'string') return null;
  return { chatbotId: offer.chatbotId, conversationId: data.conversationId, expiresAt: offer.expiresAt, secret: typeof offer.secret === 'string' ? offer.secret : null };
}

/**
 * How one push is shown: its title and body, tagged with its collapse key (or its id) so a newer
 * push with the same key replaces the older one, kept on screen until acted on when critical. A
 * push that is not the service's JSON still shows something, as `userVisibleOnly` promises.
 */
export function notificationFromPush(text: string | null): ShownNotification {
  let push: Partial<InboxPush> | null = null;
  try {
    const parsed: unknown = text === null ? null : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) push = parsed as Partial<InboxPush>;
  } catch {
    push = null;
  }
  if (!push || typeof push.title !== 'string') {
    return { title: 'New notification', options: { body: '', tag: 'inbox-agents', data: null, requireInteraction: false, renotify: false } };
  }
  const tag = typeof push.collapseKey === 'string' && push.collapseKey ? push.collapseKey : String(push.id ?? 'inbox-agents');
  const createdAt = typeof push.createdAt === 'string' ? Date.parse(push.createdAt) : Number.NaN;
  const offer = offerOf(push);
  return {
    title: push.title,
    options: {
      body: typeof push.body === 'string' ? push.body : '',
      tag,
      data: push as InboxPush,
      // An offer waits for an answer: it stays on screen, like a critical push.
      requireInteraction: push.priority === 'critical' || offer !== null,
      // A replacement under the same collapse key still alerts: it is news.
      renotify: typeof push.collapseKey === 'string' && push.collapseKey !== '',
      ...(Number.isNaN(createdAt) ? {} : { timestamp: createdAt }),
      ...(offer?.secret
        ? {
            actions: [
              { action: 'accept', title: 'Accept' },
              { action: 'decline', title: 'Decline' },
            ],
          }
        : {}),
    },
  };
}

interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
  postMessage?(message: unknown): void;
}

/** What the worker posts to the open tabs when an offer a tab showed itself (no secret) is answered from its notification. */
export const OFFER_MESSAGE = 'inbox-agents.offer';

/** The parts of a service worker's global scope the handlers use. */
export interface ServiceWorkerScopeLike {
  readonly location: { readonly href: string };
  readonly registration: { readonly scope: string; showNotification(title: string, options: object): Promise<void> };
  readonly clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: 'push' | 'notificationclick', listener: (event: never) => void): void;
}

interface PushEventLike {
  readonly data: { text(): string } | null;
  waitUntil(promise: Promise<unknown>): void;
}

interface NotificationClickEventLike {
  readonly notification: { readonly data: unknown; close(): void };
  /** The action button clicked ('' or undefined: the notification itself). */
  readonly action?: string;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Answers an offer with the secret its push carried (no API key): POST
 * `/v1/inbox/{chatbotId}/offers/{conversationId}/accept` (or `decline`) at the service. Whether
 * the service took the answer (false: the offer lapsed or went elsewhere meanwhile).
 */
export async function answerOffer(serviceUrl: string, offer: PushedOffer, answer: 'accept' | 'decline', fetcher: typeof fetch = globalThis.fetch): Promise<boolean> {
  if (!offer.secret) return false;
  const url = new URL(`/v1/inbox/${encodeURIComponent(offer.chatbotId)}/offers/${encodeURIComponent(offer.conversationId)}/${answer}`, serviceUrl);
  const response = await fetcher(url.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: offer.secret }) });
  return response.ok;
}

export interface InboxServiceWorkerOptions {
  /** Where the service answers (an offer's Accept and Decline are sent there). Default: the worker's own origin. */
  serviceUrl?: string;
  /** Another fetch (tests). Defaults to the platform's. */
  fetch?: typeof fetch;
}

/**
 * Where a click goes: the tab already showing the URL; else an open tab of the same origin,
 * brought forward and sent to the URL; else a new window. `url` null opens the worker's scope.
 */
export async function openFromNotification(scope: ServiceWorkerScopeLike, url: string | null): Promise<void> {
  const target = new URL(url ?? scope.registration.scope, scope.registration.scope);
  const tabs = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const exact = tabs.find((tab) => tab.url === target.href);
  if (exact) {
    await exact.focus();
    return;
  }
  const sameOrigin = tabs.find((tab) => new URL(tab.url).origin === target.origin);
  if (sameOrigin) {
    await sameOrigin.focus();
    try {
      await sameOrigin.navigate?.(target.href);
    } catch {
      // An uncontrolled tab cannot be navigated by the worker; it is focused, which is what matters.
    }
    return;
  }
  await scope.clients.openWindow(target.href);
}

/**
 * What a click on a notification does: an offer's Accept sends the answer and opens the inbox
 * (where the chat now is); its Decline sends the answer and opens nothing; a click on the
 * notification itself, or an answer the service did not take (the offer lapsed), opens its URL.
 */
export async function handleNotificationClick(scope: ServiceWorkerScopeLike, data: unknown, action: string | undefined, options: InboxServiceWorkerOptions = {}): Promise<void> {
  const push = typeof data === 'object' && data !== null ? (data as Partial<InboxPush>) : null;
  const url = typeof push?.url === 'string' ? push.url : null;
  const offer = offerOf(push);
  if (offer && (action === 'accept' || action === 'decline') && !offer.secret) {
    // A notification an open tab showed (its pushes are off while it is open): the tab answers with its own key.
    const tabs = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const tab of tabs) tab.postMessage?.({ type: OFFER_MESSAGE, action, chatbotId: offer.chatbotId, conversationId: offer.conversationId });
    if (tabs.length > 0) {
      if (action === 'accept') await tabs[0]!.focus();
      return;
    }
  }
  if (offer && (action === 'accept' || action === 'decline')) {
    let taken = false;
    try {
      taken = await answerOffer(options.serviceUrl ?? scope.location.href, offer, action, options.fetch);
    } catch {
      taken = false;
    }
    if (taken && action === 'decline') return;
  }
  await openFromNotification(scope, url);
}

/** Listens for the service's pushes and their clicks in this service worker. */
export function installInboxServiceWorker(scope: ServiceWorkerScopeLike, options: InboxServiceWorkerOptions = {}): void {
  scope.addEventListener('push', ((event: PushEventLike) => {
    const shown = notificationFromPush(event.data ? event.data.text() : null);
    event.waitUntil(scope.registration.showNotification(shown.title, shown.options));
  }) as (event: never) => void);
  scope.addEventListener('notificationclick', ((event: NotificationClickEventLike) => {
    event.notification.close();
    event.waitUntil(handleNotificationClick(scope, event.notification.data, event.action, options));
  }) as (event: never) => void);
}
