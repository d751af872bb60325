// Identifiers from a CSPRNG: 24 base62 characters (≥ 142 bits), by rejection sampling so every character is uniform.
import { randomBytes } from 'node:crypto';
import { BASE62, ID_BODY_LENGTH, type IdPrefix } from '@tessera/protocol';

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]; // 248 = 4 × 62: bytes above it would bias the first characters
      if (out.length === length) break;
    }
  }
  return out;
}

export const newSessionId = (): string => randomBase62(ID_BODY_LENGTH);
export const newRecordId = (prefix: IdPrefix): string => `${prefix}_${randomBase62(ID_BODY_LENGTH)}`;
