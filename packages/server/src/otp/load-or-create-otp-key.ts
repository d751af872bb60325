// The 32-byte secret that keys OTP code hashes, destination keys and sealed deliveries: configured
// (TESSERA_OTP_SECRET, read by config.ts) or generated once into <dataDir>/otp.key.
// Losing it only invalidates codes in flight (they live 10 minutes) and resets per-destination counters, so unlike the
// blob key a configured secret may differ from the file: the configured one simply wins.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEncryptionKey } from '../blobs/load-or-create-encryption-key.ts';
import { fsyncDirectory, mkdirDurable } from '../blobs/fsync-directory.ts';

export const OTP_KEY_FILE = 'otp.key';

export async function loadOrCreateOtpKey(options: { dataDir: string; configured?: string | undefined }): Promise<Buffer> {
  if (options.configured !== undefined) return parseEncryptionKey(options.configured, 'TESSERA_OTP_SECRET');
  const path = join(options.dataDir, OTP_KEY_FILE);
  const existing = await readKey(path);
  if (existing) return existing;

  await mkdirDurable(options.dataDir);
  const key = randomBytes(32);
  const temp = join(options.dataDir, `.${OTP_KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() fails if the name exists: two processes starting together end up sharing the first key.
    await link(temp, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    const winner = await readKey(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncDirectory(options.dataDir);
  return key;
}

async function readKey(path: string): Promise<Buffer | undefined> {
  try {
    return parseEncryptionKey(await readFile(path, 'utf8'), path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
