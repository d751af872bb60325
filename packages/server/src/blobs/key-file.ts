// A 32-byte secret kept in a file of the data dir: read it, or create it once. Creation is atomic and never
// overwrites: when two processes start together, link() lets the first key win and the other adopts it.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, mkdirDurable } from './fsync-directory.ts';

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
  throw new Error(`${source}: the key must be 32 bytes, written as base64 (44 characters) or hex (64 characters)`);
}

const isCode = (error: unknown, code: string): boolean => error instanceof Error && 'code' in error && error.code === code;

export async function readKeyFile(path: string): Promise<Buffer | undefined> {
  try {
    return parseEncryptionKey(await readFile(path, 'utf8'), path);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export async function readOrCreateKeyFile(dataDir: string, fileName: string): Promise<Buffer> {
  const path = join(dataDir, fileName);
  const existing = await readKeyFile(path);
  if (existing) return existing;

  await mkdirDurable(dataDir);
  const key = randomBytes(32);
  const temp = join(dataDir, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // in case an odd umask stripped owner bits at creation
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, path);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncDirectory(dataDir);
  return key;
}
