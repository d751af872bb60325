// Writes one delivery per subscribed endpoint for each recorded event, inside the event's transaction.
import type { EventType, WebhookEnvelope } from '@tessera/protocol';
import { newRecordId } from '../ids.ts';
import type { SessionRecord } from '../sessions/session-record.ts';
import type { Db } from '../storage/db.ts';

export interface RecordedEvent {
  id: string;
  event_type: EventType;
  sequence: number;
  created_at: Date;
  data: Record<string, unknown>;
}

/** What an integrator receives about the session: ids and state, never the applicant's personal data. */
function resourceOf(record: Pick<SessionRecord, 'id' | 'mode' | 'level' | 'applicant' | 'state'>, event: RecordedEvent) {
  return {
    object: 'session',
    session_id: record.id,
    status: record.state.status,
    kyc_level: record.level.name,
    mode: record.mode,
    unique_id: record.applicant.unique_id,
    vendor_data: record.applicant.vendor_data,
    sequence: event.sequence,
    data: event.data,
  };
}

export async function enqueueWebhooks(tx: Db, record: Pick<SessionRecord, 'id' | 'organization_id' | 'mode' | 'level' | 'applicant' | 'state'>, events: RecordedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rows: endpoints } = await tx.query<{ id: string; events: string[]; org_name: string }>(
    `SELECT e.id, e.events, o.name AS org_name FROM webhook_endpoints e JOIN organizations o ON o.id = e.organization_id
     WHERE e.organization_id = $1 AND e.mode = $2 AND e.deleted_at IS NULL`,
    [record.organization_id, record.mode],
  );
  let count = 0;
  for (const endpoint of endpoints) {
    for (const event of events) {
      if (!endpoint.events.includes('*') && !endpoint.events.includes(event.event_type)) continue;
      const envelope: WebhookEnvelope = {
        event_id: event.id,
        event_type: event.event_type,
        created_at: event.created_at.toISOString(),
        resource: resourceOf(record, event),
        organization: { id: record.organization_id, name: endpoint.org_name },
      };
      await tx.query(
        `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', now()) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
        [newRecordId('dlv'), endpoint.id, event.id, event.event_type, JSON.stringify(envelope)],
      );
      count += 1;
    }
  }
  return count;
}
