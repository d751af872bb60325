// The outbox table: messages the embedded notifier kept instead of sending.
import type { Mode } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';
import type { NotifierChannel, OutgoingMessage } from './notifier.ts';

export interface OutboxMessage {
  id: string;
  channel: NotifierChannel;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  session_id: string | null;
  mode: Mode;
  created_at: string;
}

interface OutboxRow extends Record<string, unknown> {
  id: string;
  channel: NotifierChannel;
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  session_id: string | null;
  mode: Mode;
  created_at: Date;
}

/** Files the message once per reference; answers the id it is filed under and whether this call filed it. */
export async function insertOutboxMessage(db: Db, id: string, message: OutgoingMessage): Promise<{ id: string; inserted: boolean }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outbox_messages (id, reference, organization_id, mode, session_id, channel, recipient, subject, body, html)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (reference) DO NOTHING RETURNING id`,
    [id, message.reference, message.owner.organization_id, message.owner.mode, message.owner.session_id, message.channel,
      message.to, message.channel === 'email' ? message.subject : null, message.text, message.html ?? null],
  );
  if (rows[0]) return { id: rows[0].id, inserted: true };
  const existing = await db.query<{ id: string }>('SELECT id FROM outbox_messages WHERE reference = $1', [message.reference]);
  return { id: existing.rows[0]?.id ?? id, inserted: false };
}

export interface OutboxFilter {
  /** Omitted by the CLI, which reads every organization and mode of its database. */
  owner?: { organization_id: string; mode: Mode };
  session_id?: string;
  limit: number;
}

/** Newest first. */
export async function listOutboxMessages(db: Db, filter: OutboxFilter): Promise<OutboxMessage[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.owner) {
    add('organization_id = ?', filter.owner.organization_id);
    add('mode = ?', filter.owner.mode);
  }
  if (filter.session_id) add('session_id = ?', filter.session_id);
  params.push(filter.limit);
  const { rows } = await db.query<OutboxRow>(
    `SELECT id, channel, recipient, subject, body, html, session_id, mode, created_at FROM outbox_messages
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id, channel: r.channel, to: r.recipient, subject: r.subject, text: r.body, html: r.html,
    session_id: r.session_id, mode: r.mode, created_at: r.created_at.toISOString(),
  }));
}
