// The port for capture bytes and other opaque objects. Adapters: a local directory (fs-blob-store.ts) and any
// S3-compatible store (s3-blob-store.ts); both run blob-store.contract.test.ts and both store the sealed envelope
// of blob-envelope.ts (encryption is ours, not the backend's, so a leaked bucket or disk holds only ciphertext).

export interface BlobStore {
  /** Durable when the promise resolves (fsync of the file and its directory on the fs adapter, S3's 200 on S3). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** AppError('not_found') if missing; BlobIntegrityError if tampered, truncated or sealed under another key. */
  get(key: string): Promise<Buffer>;
  /** No error if missing. */
  delete(key: string): Promise<void>;
  /**
   * Every stored key under `prefix` ('' for all keys, else a valid key: the keys `prefix/…`), in no particular order,
   * with the time the object was last written. Streams: nothing is held for more than one directory (one page on S3).
   * Objects put or deleted while a listing runs may or may not appear in it.
   */
  list(prefix: string): AsyncIterable<BlobListing>;
  /**
   * Deletes what writes killed mid-way left behind (fs: a '.tmp-*' file whose rename never came) last touched before
   * `olderThan`, and says how many. Absent where a backend leaves nothing (an interrupted S3 PUT stores no object).
   */
  removeAbandonedWrites?(olderThan: Date): Promise<number>;
}

export interface BlobListing {
  key: string;
  modifiedAt: Date;
}

/**
 * Keys are '/'-separated paths. A key must not also be a '/'-prefix of another key ('a' and 'a/b'):
 * the fs adapter maps keys to files and directories, so that pair cannot coexist there.
 * Segments of [A-Za-z0-9_.-] joined by '/', none empty, none starting with '.' (no '.', '..', hidden or temp names). */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;
export const MAX_BLOB_KEY_LENGTH = 512;

/**
 * Keys are built by our own code, so a bad one is a bug, not a client error: a plain Error (→ 500).
 * The key itself is left out of the message because keys embed session ids, which are bearer capabilities.
 */
export function assertValidBlobKey(key: string): void {
  if (!isValidBlobKey(key)) {
    throw new Error('invalid blob key: segments of [A-Za-z0-9_.-] separated by "/", no leading "/" or ".", no "..", at most 512 characters');
  }
}

/** For names found in a backend (a listing) rather than made by our code: those that fail are skipped, not errors. */
export function isValidBlobKey(key: string): boolean {
  return typeof key === 'string' && key.length > 0 && key.length <= MAX_BLOB_KEY_LENGTH && KEY_PATTERN.test(key);
}
