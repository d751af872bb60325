// Who is calling: a key from `Authorization: Bearer <key>` or HTTP Basic (key as user name), checked by its hash.
import { AppError } from '../errors/app-error.ts';
import type { Db } from '../storage/db.ts';
import { findApiKey, type ApiKeyRecord } from './accounts-store.ts';
import { identifyKey } from './api-keys.ts';

export type Caller = ApiKeyRecord;

export function keyFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':', 1)[0] ?? '';
  }
  throw new AppError('authentication_error', 'Authorization must be "Bearer <key>" or HTTP Basic with the key as user name');
}

/** null when no key was sent; a sent key that is not valid is an error rather than "anonymous". */
export async function authenticate(db: Db, header: string | undefined): Promise<Caller | null> {
  const key = keyFromHeader(header);
  if (key === null) return null;
  if (!identifyKey(key)) throw new AppError('authentication_error', 'this is not a Tessera API key');
  const record = await findApiKey(db, key);
  if (!record) throw new AppError('authentication_error', 'unknown or revoked API key');
  return record;
}

export function requirePrivate(caller: Caller | null): Caller {
  if (!caller) throw new AppError('authentication_error', 'this endpoint needs a private key');
  if (caller.kind !== 'private') throw new AppError('authentication_error', 'a public key may only create sessions; use a private key');
  return caller;
}

export function requireAnyKey(caller: Caller | null): Caller {
  if (!caller) throw new AppError('authentication_error', 'this endpoint needs a public or private key');
  return caller;
}

/** Live and sandbox data never see each other, nor do two organizations. */
export function ensureSameAccount(caller: Caller, owner: { organization_id: string; mode: string }): void {
  if (caller.organization_id !== owner.organization_id || caller.mode !== owner.mode) {
    throw new AppError('permission_denied', `this session belongs to another account or mode (your key is ${caller.mode})`);
  }
}
