// CLI commands that work on the database directly (alongside a running server or without one).
import type { KeyKind, Mode } from '@tessera/protocol';
import { findOrganizationId, insertApiKey } from '../accounts/accounts-store.ts';
import { generateApiKey } from '../accounts/api-keys.ts';
import type { Config } from '../config.ts';
import { createSession } from '../sessions/create-session.ts';
import { showSession } from '../sessions/session-actions.ts';
import type { Db } from '../storage/db.ts';

interface Flags {
  kind?: string | undefined;
  mode?: string | undefined;
  level?: string | undefined;
  sandbox?: boolean | undefined;
  'unique-id'?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

async function organization(db: Db): Promise<string> {
  const id = await findOrganizationId(db);
  if (!id) throw new Error('no organization yet: run `tessera start` once first');
  return id;
}

export async function createKeyCommand(db: Db, flags: Flags): Promise<number> {
  const kind = flags.kind as KeyKind;
  const mode = (flags.mode ?? 'live') as Mode;
  if (kind !== 'public' && kind !== 'private') throw new Error('--kind must be public or private');
  if (mode !== 'live' && mode !== 'sandbox') throw new Error('--mode must be live or sandbox');
  const key = generateApiKey(kind, mode);
  await insertApiKey(db, await organization(db), key, kind, mode);
  console.log(key);
  console.error(`(${mode} ${kind} key; shown once — only its hash is stored)`);
  return 0;
}

export async function createSessionCommand(db: Db, config: Config, flags: Flags): Promise<number> {
  if (!flags.level) throw new Error('--level is required (full, basic, contact or one of yours)');
  const caller = { organization_id: await organization(db), kind: 'private' as const, mode: (flags.sandbox ? 'sandbox' : 'live') as Mode };
  const created = await createSession({ db, now: () => new Date(), publicUrl: config.publicUrl }, caller, {
    kyc_level: flags.level,
    ...(flags['unique-id'] ? { unique_id: flags['unique-id'] } : {}),
    ...(flags.email ? { email_address: flags.email } : {}),
    ...(flags.phone ? { phone_number: flags.phone } : {}),
  });
  console.log(JSON.stringify(created, null, 2));
  return 0;
}

export async function showSessionCommand(db: Db, config: Config, sessionId: string): Promise<number> {
  const { rows } = await db.query<{ organization_id: string; mode: Mode }>('SELECT organization_id, mode FROM sessions WHERE id = $1', [sessionId]);
  const owner = rows[0];
  if (!owner) throw new Error(`no session ${sessionId}`);
  const view = await showSession({ db, now: () => new Date(), publicUrl: config.publicUrl }, { ...owner, kind: 'private' }, sessionId);
  console.log(JSON.stringify(view, null, 2));
  return 0;
}
