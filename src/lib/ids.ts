import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

let lastMs = 0;
let lastRand: Uint8Array = new Uint8Array(10);

/**
 * A time-sortable unique id (ULID layout: 48-bit ms time + 80 random bits), so ids sort
 * newest-last as text and serve as pagination cursors. Monotonic within one process.
 */
export function newId(nowMs = Date.now()): string {
  let rand: Uint8Array;
  if (nowMs <= lastMs) {
    nowMs = lastMs;
    rand = Uint8Array.from(lastRand);
    for (let i = rand.length - 1; i >= 0; i--) {
      if (rand[i] < 255) { rand[i]++; break; }
      rand[i] = 0;
    }
  } else {
    rand = randomBytes(10);
  }
  lastMs = nowMs;
  lastRand = rand;
  let out = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  let bits = 0n;
  for (const b of rand) bits = (bits << 8n) | BigInt(b);
  let r = '';
  for (let i = 0; i < 16; i++) {
    r = ALPHABET[Number(bits & 31n)] + r;
    bits >>= 5n;
  }
  return out + r;
}

/** A random URL-safe token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
