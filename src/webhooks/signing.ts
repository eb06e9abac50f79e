import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every delivery (documented in the OpenAPI document). */
export const DELIVERY_HEADER = 'X-Habar-Delivery';
export const TIMESTAMP_HEADER = 'X-Habar-Timestamp';
export const SIGNATURE_HEADER = 'X-Habar-Signature';

/** `sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`, timestamp in unix seconds. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does: recompute and compare in constant time (and check the timestamp is recent). */
export function verifyDelivery(secret: string, timestamp: string, body: string, signature: string): boolean {
  if (!/^\d+$/.test(timestamp)) return false;
  const expected = Buffer.from(signDelivery(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
