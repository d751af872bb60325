// The at-rest format shared by every BlobStore adapter:
//   'TSB1' (magic + format version) | 12-byte IV | 16-byte GCM tag | ciphertext
// AES-256-GCM with a fresh random IV per object (random 96-bit IVs are safe far beyond the number of
// objects a KYC server writes under one key). The object key is bound as AAD together with the magic,
// so a file copied or renamed to another key fails authentication instead of serving someone else's capture.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BlobIntegrityError } from './blob-integrity-error.ts';

const MAGIC = Buffer.from('TSB1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const BLOB_HEADER_BYTES = MAGIC.length + IV_BYTES + TAG_BYTES;

export function assertEncryptionKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new Error('blob encryption key must be exactly 32 bytes');
}

const aadFor = (objectKey: string): Buffer => Buffer.concat([MAGIC, Buffer.from(objectKey, 'utf8')]);

export function sealBlob(encryptionKey: Buffer, objectKey: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadFor(objectKey));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), ciphertext]);
}

export function openBlob(encryptionKey: Buffer, objectKey: string, sealed: Buffer): Buffer {
  if (sealed.length < BLOB_HEADER_BYTES) throw new BlobIntegrityError('truncated header');
  if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new BlobIntegrityError('unknown format or version');
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = sealed.subarray(MAGIC.length + IV_BYTES, BLOB_HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadFor(objectKey));
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(sealed.subarray(BLOB_HEADER_BYTES));
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    // GCM cannot tell these apart, and the plaintext above is discarded unauthenticated.
    throw new BlobIntegrityError('authentication failed (tampered, truncated, moved from another key, or wrong encryption key)');
  }
}
