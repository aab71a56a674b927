import { createECDH } from 'node:crypto';
import { AppError } from '../errors.js';
import { endpointProblem, type EndpointPolicy } from '../delivery/addresses.js';
import type { PushSubscription } from './schemas.js';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decode(value: string, field: string): Buffer {
  if (!BASE64URL.test(value)) throw new AppError('invalid_push_subscription', `${field} must be base64url (A-Z, a-z, 0-9, "-" and "_")`);
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}

/**
 * Checks a browser's subscription before it is stored: a public https endpoint (see
 * addresses.ts), a p256dh that is a point on P-256, and a 16-byte auth secret. Throws a 400.
 */
export function checkSubscription(subscription: PushSubscription, policy: EndpointPolicy): void {
  const problem = endpointProblem(subscription.endpoint, policy);
  if (problem) throw new AppError(problem.kind === 'invalid' ? 'invalid_push_subscription' : 'push_endpoint_not_allowed', problem.message);
  const p256dh = decode(subscription.keys.p256dh, 'pushSubscription.keys.p256dh');
  if (p256dh.length !== 65 || p256dh[0] !== 0x04) {
    throw new AppError('invalid_push_subscription', `pushSubscription.keys.p256dh must be an uncompressed P-256 public key (65 bytes), got ${p256dh.length} bytes`);
  }
  try {
    // Deriving a secret fails for bytes that are not a point on the curve.
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(p256dh);
  } catch {
    throw new AppError('invalid_push_subscription', 'pushSubscription.keys.p256dh is not a point on the P-256 curve');
  }
  const auth = decode(subscription.keys.auth, 'pushSubscription.keys.auth');
  if (auth.length !== 16) throw new AppError('invalid_push_subscription', `pushSubscription.keys.auth must be 16 bytes, got ${auth.length}`);
}
