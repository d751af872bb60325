// KYC levels in SQL: one row per (organization, name), the configuration as JSON.
import type { KycLevel } from '@tessera/protocol';
import { newRecordId } from '../ids.ts';
import type { Db } from '../storage/db.ts';
import type { LevelConfig } from './normalize-level.ts';

interface LevelRow extends Record<string, unknown> {
  id: string;
  name: string;
  config: LevelConfig;
  created_at: Date;
  updated_at: Date;
}

const toLevel = (row: LevelRow): KycLevel => ({
  id: row.id,
  name: row.name,
  ...row.config,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export async function findLevel(db: Db, organizationId: string, idOrName: string): Promise<KycLevel | null> {
  const { rows } = await db.query<LevelRow>(
    'SELECT id, name, config, created_at, updated_at FROM kyc_levels WHERE organization_id = $1 AND (name = $2 OR id = $2)',
    [organizationId, idOrName],
  );
  return rows[0] ? toLevel(rows[0]) : null;
}

export async function listLevels(db: Db, organizationId: string): Promise<KycLevel[]> {
  const { rows } = await db.query<LevelRow>(
    'SELECT id, name, config, created_at, updated_at FROM kyc_levels WHERE organization_id = $1 ORDER BY created_at, name',
    [organizationId],
  );
  return rows.map(toLevel);
}

/** Inserts a level; `overwrite` decides whether an existing level of that name is replaced or kept. */
export async function saveLevel(db: Db, organizationId: string, name: string, config: LevelConfig, overwrite: boolean): Promise<KycLevel | null> {
  const conflict = overwrite ? 'DO UPDATE SET config = EXCLUDED.config, updated_at = now()' : 'DO NOTHING';
  const { rows } = await db.query<LevelRow>(
    `INSERT INTO kyc_levels (id, organization_id, name, config) VALUES ($1, $2, $3, $4)
     ON CONFLICT (organization_id, name) ${conflict} RETURNING id, name, config, created_at, updated_at`,
    [newRecordId('lvl'), organizationId, name, JSON.stringify(config)],
  );
  return rows[0] ? toLevel(rows[0]) : null;
}
