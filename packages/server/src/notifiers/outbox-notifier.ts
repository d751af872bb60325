// The embedded notifier: a message is filed in the database and printed, not sent. It is the default when no SMTP or
// SMS provider is configured and the only notifier sandbox sessions use, so a flow can be finished with no account
// anywhere: read the code with `tessera outbox`, `GET /v1/outbox` or from the console line.
import { randomBase62 } from '../ids.ts';
import type { Db } from '../storage/db.ts';
import { maskRecipient } from './mask-recipient.ts';
import { NotifierError, type Notifier, type OutgoingMessage } from './notifier.ts';
import { insertOutboxMessage } from './outbox-store.ts';

export interface OutboxNotifierOptions {
  db: Db;
  /** Where the console line goes; omit to file silently. */
  print?: (line: string) => void;
}

/** One console line. The code is in it on purpose (this is the development delivery channel); the recipient is masked. */
export function outboxLine(id: string, message: OutgoingMessage): string {
  const session = message.owner.session_id ? ` session ${message.owner.session_id.slice(0, 4)}…` : '';
  return `[outbox ${id}] ${message.channel} to ${maskRecipient(message.channel, message.to)} (${message.owner.mode}${session}): ${message.text.replace(/\s+/g, ' ')}`;
}

export function createOutboxNotifier(options: OutboxNotifierOptions): Notifier {
  return {
    name: 'outbox',
    channels: ['email', 'sms'],
    async send(message: OutgoingMessage) {
      let filed: { id: string; inserted: boolean };
      try {
        filed = await insertOutboxMessage(options.db, `msg_${randomBase62(24)}`, message);
      } catch (error) {
        throw new NotifierError('the outbox could not store the message', { retryable: true, cause: error });
      }
      if (filed.inserted) options.print?.(outboxLine(filed.id, message));
      return { provider_id: filed.id };
    },
  };
}
