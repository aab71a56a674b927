import type { Urgency } from './schemas.js';

/** What one push attempt came to, for the worker to record. */
export type Outcome =
  | { kind: 'sent' }
  /** Worth trying again (429, 5xx, network): after Retry-After when the service gave one. */
  | { kind: 'retry'; error: string; retryAfterSeconds?: number }
  /** This delivery cannot succeed; the device stays. */
  | { kind: 'failed'; error: string }
  /** The device is dead (unsubscribed, unregistered): remove it. */
  | { kind: 'gone'; error: string }
  /** Our credentials were refused: the operator must fix the configuration. */
  | { kind: 'misconfigured'; error: string };

/** What a sender needs to know of the notification. */
export interface Outgoing {
  notificationId: string;
  chatbotId: string;
  /** The JSON payload devices receive. */
  payload: string;
  title: string;
  body: string;
  url: string | null;
  type: string;
  urgency: Urgency;
  /** Topic / tag: the collapse key, or one made from the notification id. */
  topic: string;
  expiresAt: number;
}

export interface DeviceAddress {
  kind: 'fcm' | 'webpush';
  address: string;
  p256dh: string | null;
  auth: string | null;
}

/** An error from the network (no HTTP answer) as an outcome. */
export function networkOutcome(error: unknown): Outcome {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ENONPUBLIC') return { kind: 'gone', error: `the endpoint is refused: ${err.message}; the device was removed` };
  return { kind: 'retry', error: `no answer from the push service: ${err.message}` };
}

/** Shortens a service's error text for storage and display. */
export function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
