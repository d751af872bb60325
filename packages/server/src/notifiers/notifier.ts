// The notifier port: one message out to one applicant, whatever carries it (SMTP, an SMS API, a webhook, the outbox).
// Adapters are chosen in the composition root; use-cases only ever see this interface.
import type { Mode } from '@tessera/protocol';

export type NotifierChannel = 'email' | 'sms';

export interface OutgoingMessage {
  /** Stable across retries of the same message, so a receiver (or the outbox) can drop a repeat. */
  reference: string;
  channel: NotifierChannel;
  /** An e-mail address, or an E.164 phone number. */
  to: string;
  /** E-mail subject; SMS adapters ignore it. */
  subject: string;
  text: string;
  /** E-mail only: the HTML alternative of `text`. */
  html?: string;
  /** The language the message is written in (en, sv, …). */
  locale: string;
  /** Whom the message is for: where the outbox files it. Never part of what a provider is sent. */
  owner: { organization_id: string; mode: Mode; session_id: string | null };
}

export interface SendResult {
  /** The provider's id for the message (SMTP Message-ID, Twilio SID, …), for support requests. */
  provider_id?: string;
}

export interface Notifier {
  /** Short adapter name recorded with each delivery: smtp, twilio, webhook, outbox. */
  readonly name: string;
  readonly channels: readonly NotifierChannel[];
  /** Resolves once the provider accepted the message; rejects with a NotifierError otherwise. */
  send(message: OutgoingMessage): Promise<SendResult>;
}

/**
 * A failed send. `retryable` says whether trying again later may succeed (provider down, throttled, timed out)
 * or never will (bad number, wrong credentials, unsupported channel): the delivery job stops early on the latter.
 */
export class NotifierError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotifierError';
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

export function refuseChannel(notifier: Pick<Notifier, 'name' | 'channels'>, message: OutgoingMessage): void {
  if (!notifier.channels.includes(message.channel)) {
    throw new NotifierError(`the ${notifier.name} notifier does not send ${message.channel}`, { retryable: false });
  }
}

/** HTTP statuses worth retrying: throttling and server-side failures; any other 4xx will fail the same way again. */
export const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** The adapters the delivery job chooses from; `outbox` also serves every sandbox session. */
export interface Notifiers {
  email: Notifier;
  sms: Notifier;
  outbox: Notifier;
}

export function notifierFor(notifiers: Notifiers, mode: Mode, channel: NotifierChannel): Notifier {
  // Sandbox sessions never reach a real inbox or phone, whatever is configured.
  if (mode === 'sandbox') return notifiers.outbox;
  return channel === 'email' ? notifiers.email : notifiers.sms;
}
