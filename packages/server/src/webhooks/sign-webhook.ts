// The X-Bynn-Signature of protocol §9: a JWT whose claims bind the exact body by its SHA-256.
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key.ts';

export async function signWebhook(key: SigningKey, input: { issuer: string; eventId: string; deliveryToken: string; body: string; now: Date }): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  return new SignJWT({ v: 2, sha256: createHash('sha256').update(input.body).digest('hex') })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setSubject(input.eventId)
    .setJti(input.deliveryToken)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 24 * 3600)
    .sign(key.privateKey);
}
