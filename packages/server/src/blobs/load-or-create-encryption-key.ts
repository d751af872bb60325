// The 32-byte key that seals blobs at rest. Either configured by the operator (base64 or hex, e.g. from
// a secret manager; reading env/config is the caller's job) or generated once into <dataDir>/encryption.key.
// Losing that file makes every stored capture unreadable, so it is created atomically and never overwritten.
import { join } from 'node:path';
import { parseEncryptionKey, readKeyFile, readOrCreateKeyFile } from './key-file.ts';

export { parseEncryptionKey } from './key-file.ts';
export const ENCRYPTION_KEY_FILE = 'encryption.key';

export async function loadOrCreateEncryptionKey(options: { dataDir: string; configured?: string | undefined }): Promise<Buffer> {
  if (options.configured === undefined) return readOrCreateKeyFile(options.dataDir, ENCRYPTION_KEY_FILE);
  const path = join(options.dataDir, ENCRYPTION_KEY_FILE);
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
