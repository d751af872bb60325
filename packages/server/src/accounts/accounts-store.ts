// Organizations, their API keys and their levels, in SQL.
import type { KeyKind, Mode } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';
import { hashApiKey, keyHint } from './api-keys.ts';

export interface ApiKeyRecord {
  organization_id: string;
  kind: KeyKind;
  mode: Mode;
}

export async function findOrganizationId(db: Db): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM organizations ORDER BY created_at LIMIT 1');
  return rows[0]?.id ?? null;
}

export async function insertOrganization(db: Db, id: string, name: string): Promise<void> {
  await db.query('INSERT INTO organizations (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, name]);
}

export async function findApiKey(db: Db, key: string): Promise<ApiKeyRecord | null> {
  const { rows } = await db.query<{ organization_id: string; kind: KeyKind; mode: Mode }>(
    'SELECT organization_id, kind, mode FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hashApiKey(key)],
  );
  return rows[0] ?? null;
}

export async function insertApiKey(db: Db, organizationId: string, key: string, kind: KeyKind, mode: Mode): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (key_hash, organization_id, kind, mode, hint) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL`,
    [hashApiKey(key), organizationId, kind, mode, keyHint(key)],
  );
}

export async function hasApiKey(db: Db, organizationId: string, kind: KeyKind, mode: Mode): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM api_keys WHERE organization_id = $1 AND kind = $2 AND mode = $3 AND revoked_at IS NULL LIMIT 1',
    [organizationId, kind, mode],
  );
  return rowCount > 0;
}
