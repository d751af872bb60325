// /v1/webhook_endpoints use-cases (private key): register, list, remove, and inspect deliveries.
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate } from '@tessera/protocol';
import type { Caller } from '../accounts/authenticate.ts';
import { AppError } from '../errors/app-error.ts';
import { newRecordId } from '../ids.ts';
import type { Db } from '../storage/db.ts';
import { deleteEndpoint, findEndpoint, insertEndpoint, listEndpoints } from './webhooks-store.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export async function createEndpoint(db: Db, caller: Caller, input: WebhookEndpointCreate): Promise<WebhookEndpoint> {
  const url = new URL(input.url);
  // Live events carry verification outcomes: they travel over TLS unless the receiver is on this machine.
  if (caller.mode === 'live' && url.protocol !== 'https:' && !LOCAL_HOSTS.has(url.hostname)) {
    throw new AppError('validation_error', 'live webhook endpoints must use https (http is allowed for sandbox and localhost)');
  }
  if (url.username || url.password) throw new AppError('validation_error', 'put no credentials in the URL; verify the X-Bynn-Signature instead');
  return insertEndpoint(db, caller.organization_id, {
    id: newRecordId('whk'),
    url: url.toString(),
    events: input.events ?? ['*'],
    description: input.description ?? null,
    mode: caller.mode,
  });
}

export const endpointList = async (db: Db, caller: Caller) => ({ data: await listEndpoints(db, caller.organization_id, caller.mode) });

async function ownEndpoint(db: Db, caller: Caller, id: string): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(db, caller.organization_id, caller.mode, id);
  if (!endpoint) throw new AppError('not_found', 'no webhook endpoint with this id');
  return endpoint;
}

export async function removeEndpoint(db: Db, caller: Caller, id: string) {
  await ownEndpoint(db, caller, id);
  await deleteEndpoint(db, id);
  return { id, deleted: true };
}

export async function endpointDeliveries(db: Db, caller: Caller, id: string): Promise<{ data: WebhookDelivery[] }> {
  await ownEndpoint(db, caller, id);
  const { rows } = await db.query<{ id: string; event_id: string; event_type: string; status: WebhookDelivery['status']; next_attempt_at: Date | null; created_at: Date; attempts: { at: string; status_code: number | null; error: string | null; duration_ms: number }[] }>(
    `SELECT d.id, d.event_id, d.event_type, d.status, d.next_attempt_at, d.created_at,
       COALESCE(json_agg(json_build_object('at', a.attempted_at, 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms)
         ORDER BY a.attempted_at) FILTER (WHERE a.delivery_id IS NOT NULL), '[]') AS attempts
     FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
     WHERE d.endpoint_id = $1 GROUP BY d.id ORDER BY d.created_at DESC LIMIT 100`,
    [id],
  );
  return {
    data: rows.map((r) => ({
      ...r,
      attempts: r.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
      next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
      created_at: r.created_at.toISOString(),
    })),
  };
}
