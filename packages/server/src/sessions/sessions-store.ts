// Sessions in SQL. `status` and `sequence` columns mirror the JSON state so they can be filtered and indexed.
import type { EventType, Mode, SessionStatus } from '@tessera/protocol';
import { newRecordId } from '../ids.ts';
import type { Db } from '../storage/db.ts';
import type { RecordedEvent } from '../webhooks/enqueue-webhooks.ts';
import type { SessionRecord } from './session-record.ts';

type SessionRow = SessionRecord & Record<string, unknown>;

const COLUMNS = 'id, organization_id, mode, level, applicant, state, created_at, updated_at';
const toRecord = (row: SessionRow): SessionRecord => ({ ...row });

export async function insertSession(db: Db, record: Omit<SessionRecord, 'created_at' | 'updated_at'>): Promise<SessionRecord> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO sessions (id, organization_id, mode, kyc_level, status, sequence, state, level, applicant, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [record.id, record.organization_id, record.mode, record.level.name, record.state.status, record.state.sequence,
      JSON.stringify(record.state), JSON.stringify(record.level), JSON.stringify(record.applicant), record.state.expires_at],
  );
  return toRecord(rows[0]!);
}

export async function loadSession(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<SessionRecord | null> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function saveSession(db: Db, record: Pick<SessionRecord, 'id' | 'state' | 'applicant' | 'level'>): Promise<Date> {
  const { rows } = await db.query<{ updated_at: Date }>(
    `UPDATE sessions SET state = $2, status = $3, sequence = $4, applicant = $5, expires_at = $6, level = $7, updated_at = now()
     WHERE id = $1 RETURNING updated_at`,
    [record.id, JSON.stringify(record.state), record.state.status, record.state.sequence, JSON.stringify(record.applicant),
      record.state.expires_at, JSON.stringify(record.level)],
  );
  return rows[0]!.updated_at;
}

export interface SessionFilters {
  status?: SessionStatus;
  kyc_level?: string;
  unique_id?: string;
  created_after?: string;
  /** Keyset cursor: the (created_at, id) of the last row of the previous page. */
  after?: { created_at: string; id: string };
  limit: number;
}

export async function listSessions(db: Db, organizationId: string, mode: Mode, f: SessionFilters): Promise<SessionRecord[]> {
  const where = ['organization_id = $1', 'mode = $2'];
  const params: unknown[] = [organizationId, mode];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (f.status) add('status = ?', f.status);
  if (f.kyc_level) add('kyc_level = ?', f.kyc_level);
  if (f.unique_id) add("applicant->>'unique_id' = ?", f.unique_id);
  if (f.created_after) add('created_at > ?', f.created_after);
  if (f.after) {
    // JavaScript dates carry milliseconds; compare at that precision so a cursor never skips a row.
    add("(date_trunc('milliseconds', created_at), id) < (?::timestamptz", f.after.created_at);
    params.push(f.after.id);
    where[where.length - 1] += `, $${params.length})`;
  }
  params.push(f.limit);
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions WHERE ${where.join(' AND ')} ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

/** Sessions past their expiry that nobody has marked yet, locked so two sweepers never take the same one. */
export async function lockExpiredSessionIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM sessions WHERE status IN ('created', 'started') AND expires_at <= $1
     ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now.toISOString(), limit],
  );
  return rows.map((r) => r.id);
}

export async function appendEvents(db: Db, sessionId: string, sequence: number, names: readonly EventType[], data: Record<string, unknown>): Promise<RecordedEvent[]> {
  const recorded: RecordedEvent[] = [];
  for (const name of names) {
    const { rows } = await db.query<{ id: string; created_at: Date }>(
      'INSERT INTO session_events (id, session_id, event_type, sequence, data) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at',
      [newRecordId('evt'), sessionId, name, sequence, JSON.stringify(data)],
    );
    recorded.push({ id: rows[0]!.id, event_type: name, sequence, created_at: rows[0]!.created_at, data });
  }
  return recorded;
}

export interface EventRow extends Record<string, unknown> {
  id: string;
  event_type: string;
  sequence: number;
  data: Record<string, unknown>;
  created_at: Date;
}

export async function listEvents(db: Db, sessionId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    'SELECT id, event_type, sequence, data, created_at FROM session_events WHERE session_id = $1 ORDER BY ordinal',
    [sessionId],
  );
  return rows;
}
