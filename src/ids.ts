import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** A new opaque identifier such as `cb_8f3k2…`: a type prefix and 100 random bits. */
export function newId(prefix: 'cb' | 'ag' | 'key' | 'dev' | 'ntf' | 'dlv'): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}
