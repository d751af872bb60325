// /v1/kyc_levels use-cases, and the start-up seeding of built-in and file-configured levels.
import type { KycLevel, KycLevelCreate, KycLevelUpdate } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';
import { AppError } from '../errors/app-error.ts';
import { builtinLevels } from './builtin-levels.ts';
import { findLevel, listLevels, saveLevel } from './levels-store.ts';
import { normalizeLevel, type LevelConfig } from './normalize-level.ts';

const configOf = (level: KycLevel): LevelConfig => ({
  steps: level.steps,
  accepted_document_types: level.accepted_document_types,
  web_sdk_return_url: level.web_sdk_return_url,
  expires_in: level.expires_in,
  show_result: level.show_result,
  consent_version: level.consent_version,
});

function checkSteps(config: LevelConfig): void {
  const types = config.steps.map((s) => s.type);
  const repeated = types.filter((t, i) => types.indexOf(t) !== i);
  if (repeated.length > 0) throw new AppError('validation_error', `each step may appear once; repeated: ${[...new Set(repeated)].join(', ')}`);
  const orders = config.steps.map((s) => s.flow_order);
  if (new Set(orders).size !== orders.length) throw new AppError('validation_error', 'steps need distinct flow_order values');
}

export async function createLevel(db: Db, organizationId: string, input: KycLevelCreate): Promise<KycLevel> {
  const config = normalizeLevel(input);
  checkSteps(config);
  const level = await saveLevel(db, organizationId, input.name, config, false);
  if (!level) throw new AppError('validation_error', `a level named "${input.name}" exists already; PATCH it instead`);
  return level;
}

export async function updateLevel(db: Db, organizationId: string, idOrName: string, input: KycLevelUpdate): Promise<KycLevel> {
  const existing = await findLevel(db, organizationId, idOrName);
  if (!existing) throw new AppError('not_found', `no level "${idOrName}"`);
  const config = normalizeLevel(input, configOf(existing));
  checkSteps(config);
  return (await saveLevel(db, organizationId, existing.name, config, true))!;
}

export async function getLevel(db: Db, organizationId: string, idOrName: string): Promise<KycLevel> {
  const level = await findLevel(db, organizationId, idOrName);
  if (!level) throw new AppError('not_found', `no level "${idOrName}"`);
  return level;
}

export const levelList = async (db: Db, organizationId: string) => ({ data: await listLevels(db, organizationId) });

/** Built-ins are created once and then left to the operator; levels from the config file always win. */
export async function seedLevels(db: Db, organizationId: string, fromFile: KycLevelCreate[]): Promise<void> {
  for (const level of builtinLevels) await saveLevel(db, organizationId, level.name, normalizeLevel(level), false);
  for (const level of fromFile) {
    const config = normalizeLevel(level);
    checkSteps(config);
    await saveLevel(db, organizationId, level.name, config, true);
  }
}
