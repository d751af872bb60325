// BlobStore on a local directory. Crash safety: the sealed object goes to a temp file in the target
// directory, is fsynced, renamed over the final name (atomic on POSIX) and the directory is fsynced,
// so after kill -9 or power loss a key holds either the old complete object, the new one, or nothing.
// A crash can leave a '.tmp-*' file behind; keys cannot start with '.', so it is never served (nor listed), and
// removeAbandonedWrites (called by the orphan sweep) deletes it once it is old.
import { randomBytes } from 'node:crypto';
import { open, opendir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../errors/app-error.ts';
import { assertValidBlobKey, type BlobListing, type BlobStore } from './blob-store.ts';
import { assertEncryptionKey, openBlob, sealBlob } from './blob-envelope.ts';
import { fsyncDirectory, mkdirDurable } from './fsync-directory.ts';

export interface FsBlobStoreOptions {
  dir: string;
  /** 32 bytes, see loadOrCreateEncryptionKey. */
  key: Buffer;
}

// Errors that mean "no object at this key": a missing file, a path through a file, or a key naming a
// directory (another key's prefix), which is not an object either, as on S3.
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const errorCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
/** A name that can be a key segment: temp files ('.tmp-*') and anything else not made by put are skipped. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** Depth first, one open directory per level; entries removed meanwhile (a concurrent delete) are skipped. */
async function* walk(dir: string, keyPrefix: string): AsyncGenerator<BlobListing> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (ABSENT_CODES.has(errorCode(error) ?? '')) return;
    throw error;
  }
  for await (const entry of entries) {
    if (!SEGMENT.test(entry.name)) continue;
    const key = keyPrefix === '' ? entry.name : `${keyPrefix}/${entry.name}`;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path, key);
    } else if (entry.isFile()) {
      const info = await stat(path).catch((error: unknown) => {
        if (ABSENT_CODES.has(errorCode(error) ?? '')) return null;
        throw error;
      });
      if (info) yield { key, modifiedAt: info.mtime };
    }
  }
}

/** The temp names put() creates. */
const TEMP = /^\.tmp-[0-9a-f]{16}$/;

/** Every temp file below `dir` last written before `olderThan`, deleted; returns how many. */
async function removeTemps(dir: string, olderThan: Date): Promise<number> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (ABSENT_CODES.has(errorCode(error) ?? '')) return 0;
    throw error;
  }
  let removed = 0;
  for await (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && SEGMENT.test(entry.name)) removed += await removeTemps(path, olderThan);
    else if (entry.isFile() && TEMP.test(entry.name)) {
      const info = await stat(path).catch(() => null); // gone meanwhile: its put finished or failed
      if (info && info.mtime < olderThan && (await unlink(path).then(() => true, () => false))) removed += 1;
    }
  }
  return removed;
}

export function createFsBlobStore(options: FsBlobStoreOptions): BlobStore {
  assertEncryptionKey(options.key);
  const root = resolve(options.dir);
  const encryptionKey = Buffer.from(options.key); // a private copy: the caller may zero or reuse its buffer

  const pathOf = (key: string): string => {
    assertValidBlobKey(key);
    return join(root, ...key.split('/'));
  };

  return {
    async put(key, bytes) {
      const path = pathOf(key);
      const sealed = sealBlob(encryptionKey, key, bytes);
      const parent = dirname(path);
      await mkdirDurable(parent);
      const temp = join(parent, `.tmp-${randomBytes(8).toString('hex')}`);
      try {
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(sealed);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, path);
      } catch (error) {
        await unlink(temp).catch(() => undefined); // best effort: the original error is the one that matters
        throw error;
      }
      await fsyncDirectory(parent); // the rename itself is only durable once the directory entry is
    },

    async get(key) {
      const path = pathOf(key);
      let sealed: Buffer;
      try {
        sealed = await readFile(path);
      } catch (error) {
        if (ABSENT_CODES.has(errorCode(error) ?? '')) throw new AppError('not_found', 'stored object not found');
        throw error;
      }
      return openBlob(encryptionKey, key, sealed);
    },

    async delete(key) {
      const path = pathOf(key);
      try {
        await unlink(path);
      } catch (error) {
        const code = errorCode(error) ?? '';
        if (ABSENT_CODES.has(code) || code === 'EPERM') return; // EPERM: unlink of a directory on macOS
        throw error;
      }
      // Erasure must survive a crash too (retention/GDPR deletes). Empty directories are left in place:
      // removing them would race with a concurrent put into the same directory.
      await fsyncDirectory(dirname(path));
    },

    async *list(prefix) {
      if (prefix !== '') assertValidBlobKey(prefix); // thrown on the first next(), like any listing error
      yield* walk(prefix === '' ? root : pathOf(prefix), prefix);
    },

    removeAbandonedWrites: (olderThan) => removeTemps(root, olderThan),
  };
}
