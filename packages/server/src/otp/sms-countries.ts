// The per-organization SMS country allow-list: organizations.settings.sms_countries, e.g. ["GB","SE"].
// Absent (or not a list of country codes) means every country, so a fresh install restricts nothing.
import { z } from 'zod';
import type { Db } from '../storage/db.ts';

const countries = z.array(z.string().regex(/^[A-Za-z]{2}$/)).transform((list) => list.map((c) => c.toUpperCase()));

export async function loadSmsCountries(db: Db, organizationId: string): Promise<string[] | null> {
  const { rows } = await db.query<{ sms_countries: unknown }>(
    "SELECT settings->'sms_countries' AS sms_countries FROM organizations WHERE id = $1",
    [organizationId],
  );
  const parsed = countries.safeParse(rows[0]?.sms_countries);
  return parsed.success ? parsed.data : null;
}
