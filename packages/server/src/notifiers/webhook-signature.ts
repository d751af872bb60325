// The signature of the generic SMS webhook: HMAC-SHA256 over "<timestamp>.<raw body>" with a shared secret, sent as
// `X-Tessera-Timestamp: <unix seconds>` and `X-Tessera-Signature: v1=<hex>`. The timestamp inside the signed text stops
// a captured request from being replayed later; receivers check it is recent.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-tessera-timestamp';
export const SIGNATURE_HEADER = 'x-tessera-signature';

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver runs on the raw body before trusting it; exported for integrators' reference and for the tests. */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!input.signature || !Number.isInteger(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
