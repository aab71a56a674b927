import type { Kysely } from 'kysely';
import webpush from 'web-push';
import type { Database } from '../db/schema.js';
import { retryAfterSeconds } from '../delivery/retry.js';
import type { PushHttp } from './http.js';
import { keepVapidKeys } from './store.js';
import { clip, networkOutcome, type DeviceAddress, type Outcome, type Outgoing } from './outcome.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
  /** Where the pair came from, for the start-up log. */
  source: 'environment' | 'database';
}

/** Used when VAPID_SUBJECT is not set; some push services refuse it, so the start-up log warns. */
export const FALLBACK_SUBJECT = 'mailto:operator@inbox-agents.invalid';

/**
 * The VAPID key pair: the operator's from the environment, or one generated on first start and
 * kept in the database so every instance and every restart signs with the same key (browsers
 * subscribed with its public key).
 */
export async function loadVapidKeys(db: Kysely<Database>, env: { vapidPublicKey: string | null; vapidPrivateKey: string | null; vapidSubject: string | null }): Promise<VapidKeys> {
  const subject = env.vapidSubject ?? FALLBACK_SUBJECT;
  if (env.vapidPublicKey && env.vapidPrivateKey) {
    try {
      webpush.setVapidDetails(subject, env.vapidPublicKey, env.vapidPrivateKey);
    } catch (error) {
      throw new Error(`VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY are not a valid VAPID key pair: ${(error as Error).message}`);
    }
    return { publicKey: env.vapidPublicKey, privateKey: env.vapidPrivateKey, subject, source: 'environment' };
  }
  const generated = webpush.generateVAPIDKeys();
  // The first instance to start stores its pair; every other keeps the stored one.
  const stored = await keepVapidKeys(db, generated);
  return { ...stored, subject, source: 'database' };
}

const VAPID_LIFETIME_SECONDS = 12 * 3600;

/**
 * Standard Web Push (RFC 8030) with aes128gcm payload encryption (RFC 8291, done by the
 * web-push library) and VAPID (RFC 8292). The signed VAPID header is reused per push service
 * origin for half its 24 h limit: signing once per push would cost more than the encryption.
 */
export class WebPushSender {
  readonly #vapidByOrigin = new Map<string, { header: string; renewAt: number }>();

  constructor(
    private readonly vapid: VapidKeys,
    private readonly http: PushHttp,
    private readonly now: () => number,
    private readonly timeoutMs = 10_000,
  ) {}

  #authorization(endpoint: string): string {
    const origin = new URL(endpoint).origin;
    const cached = this.#vapidByOrigin.get(origin);
    const now = this.now();
    if (cached && cached.renewAt > now) return cached.header;
    const expiration = Math.floor(now / 1000) + VAPID_LIFETIME_SECONDS;
    const { Authorization } = webpush.getVapidHeaders(origin, this.vapid.subject, this.vapid.publicKey, this.vapid.privateKey, 'aes128gcm', expiration);
    this.#vapidByOrigin.set(origin, { header: Authorization, renewAt: now + (VAPID_LIFETIME_SECONDS / 2) * 1000 });
    return Authorization;
  }

  async send(device: DeviceAddress, message: Outgoing): Promise<Outcome> {
    const ttl = Math.max(0, Math.ceil((message.expiresAt - this.now()) / 1000));
    let request: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      request = webpush.generateRequestDetails({ endpoint: device.address, keys: { p256dh: device.p256dh ?? '', auth: device.auth ?? '' } }, message.payload, {
        TTL: ttl,
        urgency: message.urgency,
        topic: message.topic,
        vapidDetails: null as never,
        headers: { Authorization: this.#authorization(device.address) },
      });
    } catch (error) {
      return { kind: 'failed', error: `the push could not be encrypted for this subscription: ${(error as Error).message}` };
    }
    let answer: Awaited<ReturnType<PushHttp['post']>>;
    try {
      answer = await this.http.post(device.address, request.headers as Record<string, string>, request.body as Buffer, this.timeoutMs);
    } catch (error) {
      return networkOutcome(error);
    }
    return webPushOutcome(answer.status, answer.body, retryAfterSeconds(answer.headers['retry-after'], this.now()));
  }
}

/** RFC 8030 answers: 201 accepted; 404/410 the subscription is gone; 429/5xx later. */
export function webPushOutcome(status: number, body: string, retryAfter: number | null): Outcome {
  const said = body.trim() ? `: ${clip(body)}` : '';
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 404 || status === 410) {
    return { kind: 'gone', error: `the push service answered ${status} (the subscription has expired or was unsubscribed)${said}; the device was removed` };
  }
  if (status === 401 || status === 403) {
    return { kind: 'misconfigured', error: `the push service refused our VAPID credentials (${status})${said}` };
  }
  if (status === 429 || status >= 500) {
    return { kind: 'retry', error: `the push service answered ${status}${said}`, ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}) };
  }
  return { kind: 'failed', error: `the push service refused the push (${status})${said}` };
}
