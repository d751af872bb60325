// Idempotency-Key records for session creation. The primary key serialises concurrent duplicates:
// the second INSERT waits for the first transaction and then finds its stored response.
import type { Mode } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';

export interface StoredResponse {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
}

/** Claims the key inside `tx`; null means this call owns it, otherwise the earlier call's record. */
export async function claimIdempotencyKey(tx: Db, organizationId: string, mode: Mode, key: string, requestHash: string): Promise<StoredResponse | null> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (organization_id, mode, key, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [organizationId, mode, key, requestHash],
  );
  if (inserted.rowCount === 1) return null;
  const { rows } = await tx.query<StoredResponse & Record<string, unknown>>(
    'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE organization_id = $1 AND mode = $2 AND key = $3',
    [organizationId, mode, key],
  );
  return rows[0] ?? null;
}

export async function storeIdempotentResponse(tx: Db, organizationId: string, mode: Mode, key: string, status: number, body: unknown): Promise<void> {
  await tx.query(
    'UPDATE idempotency_keys SET response_status = $4, response_body = $5 WHERE organization_id = $1 AND mode = $2 AND key = $3',
    [organizationId, mode, key, status, JSON.stringify(body)],
  );
}
