// Setting up benchmark data through Tessera's public API (the same path an integrator takes).
import { mapLimit } from './stats.ts';

/** Rate limits a benchmark's setup and load must never hit. */
export const UNLIMITED_RATE_ENV = {
  TESSERA_RATE_LIMIT_PER_SESSION: '100000000',
  TESSERA_RATE_LIMIT_PER_KEY: '100000000',
  TESSERA_RATE_LIMIT_PER_ADDRESS: '100000000',
} as const;

async function call(base: string, method: string, path: string, key: string | null, body?: unknown): Promise<unknown> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path.replace(/[0-9A-Za-z]{24}/, '<id>')} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Creates `count` sessions on `level` with the private key, `concurrency` at a time; returns their ids. */
export async function createSessions(base: string, privateKey: string, count: number, options: { level?: string; concurrency?: number } = {}): Promise<string[]> {
  return mapLimit(Array.from({ length: count }, (_, i) => i), options.concurrency ?? 16, async (i) => {
    const created = (await call(base, 'POST', '/v1/sessions', privateKey, { kyc_level: options.level ?? 'basic', unique_id: `bench-${i}` })) as { session_id: string };
    return created.session_id;
  });
}

/** Gives consent on every session (the applicant's first step), so preflight shows the first capture screen. */
export async function consentAll(base: string, ids: readonly string[], concurrency = 16): Promise<void> {
  await mapLimit(ids, concurrency, (id) => call(base, 'PATCH', `/v1/sessions/${id}/consent?gives_consent=true`, null));
}

export const getPreflight = (base: string, id: string): Promise<unknown> => call(base, 'GET', `/v1/sessions/${id}/preflight`, null);
