import { ok, type InboxClient } from './client.js';

/** The part of a ServiceWorkerRegistration push needs (the browser's, or a test's); a real `ServiceWorkerRegistration` is one. */
export interface PushRegistration {
  readonly pushManager: {
    getSubscription(): Promise<PushSubscriptionLike | null>;
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<PushSubscriptionLike>;
  };
}

export interface PushSubscriptionLike {
  readonly options?: { readonly applicationServerKey: ArrayBuffer | null };
  toJSON(): { endpoint?: string; expirationTime?: number | null; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
}

export interface PushOptions {
  api: InboxClient;
  chatbotId: string;
}

export interface EnabledPush {
  /** The device the service registered (or refreshed): remove it with `disablePush`. */
  deviceId: string;
  /** The browser's subscription, as `toJSON()` gives it. */
  subscription: ReturnType<PushSubscriptionLike['toJSON']>;
}

/**
 * Turns on browser notifications for the signed-in agent on a chatbot: reads the service's VAPID
 * key, subscribes the service worker's push manager with it (reusing a subscription made with the
 * same key, replacing one made with another), and registers the subscription as one of the agent's
 * devices. Ask for `Notification.requestPermission()` first, from a user gesture.
 *
 *   const registration = await navigator.serviceWorker.register('/sw.js');
 *   const { deviceId } = await enablePush(registration, { api, chatbotId });
 */
export async function enablePush(registration: PushRegistration, options: PushOptions): Promise<EnabledPush> {
  const { publicKey } = ok(await options.api.GET('/v1/push/vapid-public-key'));
  const applicationServerKey = fromBase64Url(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options?.applicationServerKey ?? null, applicationServerKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new Error('the browser gave a push subscription without an endpoint or keys');
  const settings = ok(
    await options.api.POST('/v1/inbox/{chatbotId}/agents/me/notifications', {
      params: { path: { chatbotId: options.chatbotId } },
      body: { pushSubscription: { endpoint: json.endpoint, expirationTime: json.expirationTime ?? null, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } } },
    }),
  );
  if (!settings.deviceId) throw new Error('the service registered no device for this subscription');
  return { deviceId: settings.deviceId, subscription: json };
}

/**
 * The reverse, on sign-out or "turn off": removes the device from the agent's devices (so no push
 * is sent to it any more) and unsubscribes the browser. A device already removed is not an error.
 */
export async function disablePush(registration: PushRegistration, options: PushOptions & { deviceId: string }): Promise<void> {
  const answer = await options.api.DELETE('/v1/inbox/{chatbotId}/agents/me/notifications/devices/{deviceId}', {
    params: { path: { chatbotId: options.chatbotId, deviceId: options.deviceId } },
  });
  if (answer.response.status !== 404) ok(answer);
  const subscription = await registration.pushManager.getSubscription();
  await subscription?.unsubscribe();
}

/** Bytes of a base64url text (with or without padding). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((byte, index) => byte === wanted[index]);
}
