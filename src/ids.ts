import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/**
 * Random bytes drawn from the system in blocks: one call per 200 ids rather than one per id (a
 * call costs about as much as a history row's insert, and a burst of announcements makes
 * thousands of ids). Each byte is used once.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;
function random20(): Buffer {
  if (offset + 20 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += 20;
  return pool.subarray(offset - 20, offset);
}

/** A new opaque identifier such as `cb_8f3k2…`: a type prefix and 100 random bits. */
export function newId(prefix: 'cb' | 'ag' | 'key' | 'dev' | 'ntf' | 'dlv' | 'aud' | 'his' | 'whk' | 'msg' | 'inv'): string {
  const bytes = random20();
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

let sequence = 0;

/**
 * An id that sorts after every id this process made before at the same time `at` (epoch ms):
 * the time, a sequence number, then randomness. Lists paged on (time, id) keep the order things
 * happened in, also within one millisecond.
 */
export function orderedId(prefix: 'aud' | 'his' | 'msg', at: number): string {
  sequence = (sequence + 1) % 36 ** 5;
  return `${prefix}_${Math.max(0, Math.floor(at)).toString(36).padStart(9, '0')}${sequence.toString(36).padStart(5, '0')}${newId(prefix).slice(prefix.length + 1, prefix.length + 9)}`;
}
