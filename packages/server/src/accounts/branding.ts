// Branding shown to applicants, from the organization's settings.
import type { Branding } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';

export async function loadBranding(db: Db, organizationId: string): Promise<Branding> {
  const { rows } = await db.query<{ name: string; settings: { branding?: Partial<Branding> } }>(
    'SELECT name, settings FROM organizations WHERE id = $1',
    [organizationId],
  );
  const row = rows[0];
  const custom = row?.settings.branding ?? {};
  return { name: custom.name ?? row?.name ?? null, logo_url: custom.logo_url ?? null, primary_color: custom.primary_color ?? null };
}
