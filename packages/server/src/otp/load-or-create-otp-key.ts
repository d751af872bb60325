// The 32-byte secret that keys OTP code hashes, destination keys and sealed deliveries: configured
// (TESSERA_OTP_SECRET, read by config.ts) or generated once into <dataDir>/otp.key.
// Losing it only invalidates codes in flight (they live 10 minutes) and resets per-destination counters, so unlike the
// blob key a configured secret may differ from the file: the configured one simply wins.
import { parseEncryptionKey, readOrCreateKeyFile } from '../blobs/key-file.ts';

export const OTP_KEY_FILE = 'otp.key';

export async function loadOrCreateOtpKey(options: { dataDir: string; configured?: string | undefined }): Promise<Buffer> {
  if (options.configured !== undefined) return parseEncryptionKey(options.configured, 'TESSERA_OTP_SECRET');
  return readOrCreateKeyFile(options.dataDir, OTP_KEY_FILE);
}
