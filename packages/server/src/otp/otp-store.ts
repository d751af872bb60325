// otp_codes and otp_attempts in SQL. A row is one send; the newest row of a session and channel that is neither used
// nor superseded is the code a check is compared with.
import type { Mode } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';
import type { OtpChannel } from './code-hash.ts';
import type { SendHistory } from './otp-limits.ts';

export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'skipped';

export interface OtpCode extends Record<string, unknown> {
  id: string;
  session_id: string;
  organization_id: string;
  mode: Mode;
  channel: OtpChannel;
  destination_key: string;
  destination_masked: string;
  code_hash: Buffer;
  attempts: number;
  expires_at: Date;
  created_at: Date;
  used_at: Date | null;
  superseded_at: Date | null;
  sealed_message: Buffer | null;
  delivery_status: DeliveryStatus;
  delivery_attempts: number;
}

const COLUMNS = `id, session_id, organization_id, mode, channel, destination_key, destination_masked, code_hash, attempts, expires_at,
  created_at, used_at, superseded_at, sealed_message, delivery_status, delivery_attempts`;

export async function insertCode(db: Db, c: Omit<OtpCode, 'attempts' | 'used_at' | 'superseded_at' | 'delivery_status' | 'delivery_attempts'>): Promise<void> {
  await db.query(
    `INSERT INTO otp_codes (id, session_id, organization_id, mode, channel, destination_key, destination_masked, code_hash, expires_at, created_at, sealed_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [c.id, c.session_id, c.organization_id, c.mode, c.channel, c.destination_key, c.destination_masked, c.code_hash, c.expires_at, c.created_at, c.sealed_message],
  );
}

/** A new send replaces every earlier code of the session and channel: only the latest one can verify. */
export async function supersedeCodes(db: Db, sessionId: string, channel: OtpChannel, at: Date): Promise<void> {
  await db.query('UPDATE otp_codes SET superseded_at = $3 WHERE session_id = $1 AND channel = $2 AND used_at IS NULL AND superseded_at IS NULL', [sessionId, channel, at]);
}

export async function findActiveCode(db: Db, sessionId: string, channel: OtpChannel, options: { forUpdate?: boolean } = {}): Promise<OtpCode | null> {
  const { rows } = await db.query<OtpCode>(
    `SELECT ${COLUMNS} FROM otp_codes WHERE session_id = $1 AND channel = $2 AND used_at IS NULL AND superseded_at IS NULL
     ORDER BY created_at DESC LIMIT 1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [sessionId, channel],
  );
  return rows[0] ?? null;
}

/** Serialises sends to one destination across sessions, so two concurrent sends cannot both pass the window limit. */
export async function lockDestination(tx: Db, destinationKey: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 3))', [`otp:${destinationKey}`]);
}

export async function loadSendHistory(db: Db, q: { sessionId: string; channel: OtpChannel; destinationKey: string; since: Date }): Promise<SendHistory> {
  // One after another: these run on a transaction's single connection, which takes one query at a time.
  const session = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM otp_codes WHERE session_id = $1', [q.sessionId]);
  const last = await db.query<{ created_at: Date; delivery_status: string }>(
    'SELECT created_at, delivery_status FROM otp_codes WHERE session_id = $1 AND channel = $2 ORDER BY created_at DESC LIMIT 1',
    [q.sessionId, q.channel],
  );
  const destination = await db.query<{ created_at: Date }>(
    'SELECT created_at FROM otp_codes WHERE destination_key = $1 AND created_at > $2 ORDER BY created_at',
    [q.destinationKey, q.since],
  );
  return { sessionSends: session.rows[0]?.n ?? 0, lastSend: last.rows[0] ?? null, destinationSends: destination.rows.map((r) => r.created_at) };
}

/** Records one compared guess; a right one also uses the code up, a wrong one counts against it. */
export async function recordAttempt(db: Db, code: Pick<OtpCode, 'id' | 'session_id'>, succeeded: boolean, at: Date): Promise<void> {
  await db.query('INSERT INTO otp_attempts (code_id, session_id, succeeded, created_at) VALUES ($1, $2, $3, $4)', [code.id, code.session_id, succeeded, at]);
  await db.query(
    succeeded ? 'UPDATE otp_codes SET used_at = $2 WHERE id = $1' : 'UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1',
    succeeded ? [code.id, at] : [code.id],
  );
}

export interface DeliveryClaim extends OtpCode {
  i18n: string | null;
}

/** Counts a delivery attempt and returns what it needs, or null when the code is delivered, given up or unknown. */
export async function claimDelivery(db: Db, codeId: string): Promise<DeliveryClaim | null> {
  const { rows } = await db.query<DeliveryClaim>(
    `WITH c AS (UPDATE otp_codes SET delivery_attempts = delivery_attempts + 1
                WHERE id = $1 AND delivery_status = 'queued' AND sealed_message IS NOT NULL RETURNING ${COLUMNS})
     SELECT c.*, s.applicant->>'i18n' AS i18n FROM c JOIN sessions s ON s.id = c.session_id`,
    [codeId],
  );
  return rows[0] ?? null;
}

/** Ends a delivery for good: the sealed code is erased whatever the outcome. */
export async function finishDelivery(
  db: Db,
  codeId: string,
  outcome: { status: Exclude<DeliveryStatus, 'queued'>; provider?: string; provider_id?: string; error?: string; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE otp_codes SET delivery_status = $2, provider = $3, provider_id = $4, delivery_error = $5, delivered_at = $6, sealed_message = NULL
     WHERE id = $1`,
    [codeId, outcome.status, outcome.provider ?? null, outcome.provider_id ?? null, outcome.error ?? null, outcome.status === 'sent' ? outcome.at : null],
  );
}
