// The 32-byte key that seals blobs at rest. Either configured by the operator (base64 or hex, e.g. from
// a secret manager; reading env/config is the caller's job) or generated once into <dataDir>/encryption.key.
// Losing that file makes every stored capture unreadable, so it is created atomically and never overwritten.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, mkdirDurable } from './fsync-directory.ts';

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/** 64 hex characters, or base64/base64url of exactly 32 bytes (padding optional). Never echoes the value. */
export function parseEncryptionKey(text: string, source: string): Buffer {
  const value = text.trim(); // secrets written with `echo` or editors end in a newline
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const standard = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=$/, '');
    const key = Buffer.from(standard, 'base64');
    // Re-encoding rejects a non-canonical last character, whose stray low bits Node would silently drop.
    if (key.length === 32 && key.toString('base64').replace(/=$/, '') === standard) return key;
  }
  throw new Error(`${source}: the encryption key must be 32 bytes, written as base64 (44 characters) or hex (64 characters)`);
}

export async function loadOrCreateEncryptionKey(options: { dataDir: string; configured?: string | undefined }): Promise<Buffer> {
  const path = join(options.dataDir, ENCRYPTION_KEY_FILE);
  if (options.configured !== undefined) {
    const configured = parseEncryptionKey(options.configured, 'configured encryption key');
    // Switching from the generated key to a different configured one would make every capture already
    // stored unreadable, discovered only when someone reads one. Refuse at startup instead.
    const generated = await readKeyFile(path).catch(() => undefined);
    if (generated && !generated.equals(configured)) {
      throw new Error(
        `the configured encryption key differs from ${path}, which sealed the objects stored so far; ` +
          'configure that key instead, or delete the file if no stored object needs to stay readable',
      );
    }
    return configured;
  }

  const existing = await readKeyFile(path);
  if (existing) return existing;

  await mkdirDurable(options.dataDir);
  const key = randomBytes(32);
  const temp = join(options.dataDir, `.${ENCRYPTION_KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // in case an odd umask stripped owner bits at creation
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link(), unlike rename(), fails if the name exists: when two processes start at once, the first
    // key wins and the other adopts it instead of silently replacing a key that may already seal data.
    await link(temp, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncDirectory(options.dataDir);
  return key;
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  return parseEncryptionKey(text, path);
}
