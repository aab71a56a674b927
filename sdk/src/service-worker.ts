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

export interface ShownNotification {
  title: string;
  options: { body: string; tag: string; data: InboxPush | null; requireInteraction: boolean; renotify: boolean; timestamp?: number };
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
  return {
    title: push.title,
    options: {
      body: typeof push.body === 'string' ? push.body : '',
      tag,
      data: push as InboxPush,
      requireInteraction: push.priority === 'critical',
      // A replacement under the same collapse key still alerts: it is news.
      renotify: typeof push.collapseKey === 'string' && push.collapseKey !== '',
      ...(Number.isNaN(createdAt) ? {} : { timestamp: createdAt }),
    },
  };
}

interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
}

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
  waitUntil(promise: Promise<unknown>): void;
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

/** Listens for the service's pushes and their clicks in this service worker. */
export function installInboxServiceWorker(scope: ServiceWorkerScopeLike): void {
  scope.addEventListener('push', ((event: PushEventLike) => {
    const shown = notificationFromPush(event.data ? event.data.text() : null);
    event.waitUntil(scope.registration.showNotification(shown.title, shown.options));
  }) as (event: never) => void);
  scope.addEventListener('notificationclick', ((event: NotificationClickEventLike) => {
    event.notification.close();
    const data = event.notification.data as { url?: unknown } | null;
    event.waitUntil(openFromNotification(scope, typeof data?.url === 'string' ? data.url : null));
  }) as (event: never) => void);
}
