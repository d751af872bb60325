// Recording an event means two writes in the caller's transaction: the event row and its webhook deliveries.
import type { EventType } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';
import type { SessionRecord } from './session-record.ts';
import { appendEvents } from './sessions-store.ts';

export async function recordEvents(
  tx: Db,
  record: Pick<SessionRecord, 'id' | 'organization_id' | 'mode' | 'level' | 'applicant' | 'state'>,
  names: readonly EventType[],
  data: Record<string, unknown>,
): Promise<void> {
  const events = await appendEvents(tx, record.id, record.state.sequence, names, data);
  await enqueueWebhooks(tx, record, events);
}
