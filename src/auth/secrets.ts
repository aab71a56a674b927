import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable prefix so a leaked key is easy to spot (and to scan for) in code and logs. */
export const SECRET_PREFIX = 'cck_';
/** The prefix and 43 base64url characters (256 bits). */
export const SECRET_LENGTH = SECRET_PREFIX.length + 43;

/** A new key secret: the prefix and 256 random bits, base64url. Shown once, never stored. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** The only form in which a secret is stored: SHA-256, hex. */
export function hashSecret(secret: string): string {
  // One-shot hashing: every authenticated request hashes its key, and this skips a Hash object.
  return hash('sha256', secret, 'hex');
}

/** Compares two hex hashes in constant time. */
export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Cheap shape check before any hashing or lookup, so junk headers cost nothing. */
export function looksLikeSecret(value: string): boolean {
  return value.startsWith(SECRET_PREFIX) && value.length === SECRET_LENGTH && /^[A-Za-z0-9_-]+$/.test(value.slice(4));
}
