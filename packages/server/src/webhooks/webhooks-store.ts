// Webhook endpoints, deliveries (the outbox) and attempts, in SQL.
import type { Mode, WebhookEndpoint } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';

interface EndpointRow extends Record<string, unknown> {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  mode: Mode;
  created_at: Date;
}

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({ ...row, created_at: row.created_at.toISOString() });
const ENDPOINT_COLUMNS = 'id, url, events, description, mode, created_at';

export async function insertEndpoint(db: Db, organizationId: string, endpoint: Omit<WebhookEndpoint, 'created_at'>): Promise<WebhookEndpoint> {
  const { rows } = await db.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, organization_id, mode, url, events, description) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${ENDPOINT_COLUMNS}`,
    [endpoint.id, organizationId, endpoint.mode, endpoint.url, endpoint.events, endpoint.description],
  );
  return toEndpoint(rows[0]!);
}

export async function listEndpoints(db: Db, organizationId: string, mode: Mode): Promise<WebhookEndpoint[]> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE organization_id = $1 AND mode = $2 AND deleted_at IS NULL ORDER BY created_at`,
    [organizationId, mode],
  );
  return rows.map(toEndpoint);
}

export async function findEndpoint(db: Db, organizationId: string, mode: Mode, id: string): Promise<WebhookEndpoint | null> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND organization_id = $2 AND mode = $3 AND deleted_at IS NULL`,
    [id, organizationId, mode],
  );
  return rows[0] ? toEndpoint(rows[0]) : null;
}

/** Soft delete: past deliveries stay visible; pending ones are dropped. */
export async function deleteEndpoint(db: Db, id: string): Promise<void> {
  await db.query('UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1', [id]);
  await db.query("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1 AND status = 'pending'", [id]);
}

export interface DueDelivery extends Record<string, unknown> {
  id: string;
  event_id: string;
  body: string;
  url: string;
  attempt_count: number;
  created_at: Date;
}

/** Claims due deliveries for `leaseMs`; SKIP LOCKED plus the lease keep two dispatchers off the same row. */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const { rows } = await db.query<DueDelivery>(
    `UPDATE webhook_deliveries d SET locked_until = $1::timestamptz + ($3 || ' milliseconds')::interval
     FROM webhook_endpoints e
     WHERE d.endpoint_id = e.id AND d.id IN (
       SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
       ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING d.id, d.event_id, d.body, e.url, d.attempt_count, d.created_at`,
    [now.toISOString(), limit, String(leaseMs)],
  );
  return rows;
}

export async function recordAttempt(
  db: Db,
  deliveryId: string,
  attempt: { status_code: number | null; error: string | null; duration_ms: number },
  outcome: { status: 'pending' | 'delivered' | 'failed'; next_attempt_at: Date | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms) VALUES ($1, $2, $3, $4)', [
      deliveryId, attempt.status_code, attempt.error, attempt.duration_ms,
    ]);
    await tx.query(
      `UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, attempt_count = attempt_count + 1, locked_until = NULL,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1`,
      [deliveryId, outcome.status, outcome.next_attempt_at],
    );
  });
}
