// Identifier formats of protocol §2: session ids are 24 base62 characters; record ids carry a type prefix.
import { z } from 'zod';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const ID_BODY_LENGTH = 24;

export const idPrefixes = ['lvl', 'media', 'liv', 'dec', 'evt', 'whk', 'org', 'dlv'] as const;
export type IdPrefix = (typeof idPrefixes)[number];

export const sessionId = z.string().regex(/^[0-9A-Za-z]{24}$/, 'a session id is 24 base62 characters');

export function recordId(prefix: IdPrefix) {
  return z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{24}$`), `a ${prefix}_ id`);
}

export const keyPrefixes = {
  public: { live: 'public_', sandbox: 'public_sandbox_' },
  private: { live: 'private_', sandbox: 'private_sandbox_' },
} as const;
export type KeyKind = keyof typeof keyPrefixes;
export type Mode = 'live' | 'sandbox';
