// `tessera outbox`: the latest outbox messages of every organization and mode in this database, newest first.
// The CLI is an operator's tool on the server itself, so it shows recipients and codes in full.
import type { Db } from '../storage/db.ts';
import { listOutboxMessages, type OutboxMessage } from './outbox-store.ts';

export interface PrintOutboxOptions {
  sessionId?: string | undefined;
  limit: number;
  json: boolean;
}

export function formatOutboxMessage(m: OutboxMessage): string {
  const head = `${m.created_at}  ${m.mode.padEnd(7)}  ${m.channel.padEnd(5)}  to ${m.to}${m.session_id ? `  session ${m.session_id}` : ''}  (${m.id})`;
  const subject = m.subject ? `\n  Subject: ${m.subject}` : '';
  const body = m.text.trim().split('\n').map((line) => `  ${line}`).join('\n');
  return `${head}${subject}\n${body}\n`;
}

export async function printOutbox(db: Db, options: PrintOutboxOptions, write: (text: string) => void): Promise<number> {
  const messages = await listOutboxMessages(db, { limit: options.limit, ...(options.sessionId ? { session_id: options.sessionId } : {}) });
  if (options.json) {
    write(`${JSON.stringify({ data: messages }, null, 2)}\n`);
    return 0;
  }
  if (messages.length === 0) {
    write('the outbox is empty (messages appear here when no SMTP or SMS provider is configured, and for sandbox sessions)\n');
    return 0;
  }
  for (const m of messages) write(`${formatOutboxMessage(m)}\n`);
  return 0;
}
