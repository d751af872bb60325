// The demo page needs a public key to create sessions, but keys are stored only as hashes. So, in demo mode only,
// the server makes its own sandbox public key on first use, keeps it in memory, and revokes it when it stops.
// A public key may only create (sandbox) sessions, which is exactly what the demo page shows anyone who opens it.
import { findOrganizationId, insertApiKey } from '../../accounts/accounts-store.ts';
import { generateApiKey, hashApiKey } from '../../accounts/api-keys.ts';
import type { Db } from '../../storage/db.ts';

export interface DemoKey {
  /** The key and the organization it belongs to; created on the first call. */
  get(): Promise<{ key: string; organizationId: string }>;
  /** Revokes the key (on server close), so no demo key outlives its process. */
  revoke(): Promise<void>;
}

export function demoPublicKey(db: Db): DemoKey {
  let pending: Promise<{ key: string; organizationId: string }> | null = null;
  return {
    get() {
      pending ??= (async () => {
        const organizationId = await findOrganizationId(db);
        if (!organizationId) throw new Error('no organization yet');
        const key = generateApiKey('public', 'sandbox');
        await insertApiKey(db, organizationId, key, 'public', 'sandbox');
        return { key, organizationId };
      })().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return pending;
    },
    async revoke() {
      if (!pending) return;
      const made = await pending.catch(() => null);
      pending = null;
      if (made) await db.query('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashApiKey(made.key)]);
    },
  };
}
