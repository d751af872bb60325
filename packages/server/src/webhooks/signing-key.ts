// The RS256 key webhooks are signed with: generated once into the data dir (0600) or given as PKCS#8 PEM.
// Its public half is served as a JWKS at /.well-known/jwks.json.
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';

export const SIGNING_KEY_FILE = 'webhook-signing-key.pem';

export interface SigningKey {
  privateKey: CryptoKey;
  kid: string;
  publicJwk: JWK;
}

async function fromPem(pem: string): Promise<SigningKey> {
  const privateKey = await importPKCS8(pem, 'RS256', { extractable: true });
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart);
  return { privateKey, kid, publicJwk: { ...publicPart, kid, alg: 'RS256', use: 'sig' } };
}

export async function loadOrCreateSigningKey(options: { dataDir: string; configuredPem?: string | undefined }): Promise<SigningKey> {
  if (options.configuredPem) return fromPem(options.configuredPem);
  const path = join(options.dataDir, SIGNING_KEY_FILE);
  try {
    return await fromPem(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${path} is not a PKCS#8 RSA key: ${(error as Error).message}`);
  }
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, await exportPKCS8(privateKey), { mode: 0o600 });
  // link() fails if another process created the key meanwhile: its key wins and ours is discarded.
  await link(temp, path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await rm(temp, { force: true });
  return fromPem(await readFile(path, 'utf8'));
}
