// First start: one organization, its four keys (live/sandbox × public/private) and its levels.
// Generated keys are returned once so the caller can print them; only their hashes are stored.
import type { KeyKind, KycLevelCreate, Mode } from '@tessera/protocol';
import { newRecordId } from '../ids.ts';
import { seedLevels } from '../levels/level-actions.ts';
import type { Db } from '../storage/db.ts';
import { findOrganizationId, hasApiKey, insertApiKey, insertOrganization } from './accounts-store.ts';
import { generateApiKey, identifyKey } from './api-keys.ts';
import type { Config } from '../config.ts';

export interface NewKey {
  kind: KeyKind;
  mode: Mode;
  key: string;
}

const slots: { kind: KeyKind; mode: Mode; pin: keyof Config['pinnedKeys'] }[] = [
  { kind: 'public', mode: 'live', pin: 'public' },
  { kind: 'private', mode: 'live', pin: 'private' },
  { kind: 'public', mode: 'sandbox', pin: 'sandboxPublic' },
  { kind: 'private', mode: 'sandbox', pin: 'sandboxPrivate' },
];

export async function bootstrapAccount(db: Db, pinned: Config['pinnedKeys'], levels: KycLevelCreate[]) {
  return db.transaction(async (tx) => {
    // Two processes starting on one fresh database must not create two organizations.
    await tx.query('SELECT pg_advisory_xact_lock(7411)');
    let organizationId = await findOrganizationId(tx);
    if (!organizationId) {
      organizationId = newRecordId('org');
      await insertOrganization(tx, organizationId, 'Tessera');
    }
    const created: NewKey[] = [];
    for (const slot of slots) {
      const key = pinned[slot.pin];
      if (key) {
        const identity = identifyKey(key);
        if (!identity || identity.kind !== slot.kind || identity.mode !== slot.mode) {
          throw new Error(`the pinned ${slot.mode} ${slot.kind} key does not have the ${slot.kind}_${slot.mode === 'sandbox' ? 'sandbox_' : ''} prefix and a 16+ character base62 body`);
        }
        await insertApiKey(tx, organizationId, key, slot.kind, slot.mode);
      } else if (!(await hasApiKey(tx, organizationId, slot.kind, slot.mode))) {
        const fresh = generateApiKey(slot.kind, slot.mode);
        await insertApiKey(tx, organizationId, fresh, slot.kind, slot.mode);
        created.push({ kind: slot.kind, mode: slot.mode, key: fresh });
      }
    }
    await seedLevels(tx, organizationId, levels);
    return { organizationId, created };
  });
}
