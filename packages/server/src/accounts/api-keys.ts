// API keys (protocol §2): the prefix names kind and mode; only a SHA-256 of the key is stored.
import { createHash } from 'node:crypto';
import { keyPrefixes, type KeyKind, type Mode } from '@tessera/protocol';
import { randomBase62 } from '../ids.ts';

export interface KeyIdentity {
  kind: KeyKind;
  mode: Mode;
}

export function generateApiKey(kind: KeyKind, mode: Mode): string {
  return keyPrefixes[kind][mode] + randomBase62(32);
}

/** Keys carry ≥ 190 bits of entropy, so a fast unsalted hash is enough to make a leaked table useless. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The kind and mode a key claims by its prefix; null for anything that is not a Tessera key. */
export function identifyKey(key: string): KeyIdentity | null {
  // Check the longer sandbox prefixes first: `public_sandbox_` also starts with `public_`.
  for (const mode of ['sandbox', 'live'] as const) {
    for (const kind of ['public', 'private'] as const) {
      const prefix = keyPrefixes[kind][mode];
      if (key.startsWith(prefix) && /^[0-9A-Za-z]{16,128}$/.test(key.slice(prefix.length))) return { kind, mode };
    }
  }
  return null;
}

/** A display hint that identifies a key without revealing it. */
export const keyHint = (key: string): string => `${key.slice(0, key.lastIndexOf('_') + 1)}…${key.slice(-4)}`;
