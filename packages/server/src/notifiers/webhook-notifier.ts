// SMS through any HTTP endpoint the operator runs (a gateway of their SMS provider, a queue, a modem bridge): a signed
// JSON POST per message. A 2xx means accepted; the optional JSON answer {"id": "..."} is kept as the provider id.
import { NotifierError, refuseChannel, retryableStatus, type Notifier, type OutgoingMessage } from './notifier.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './webhook-signature.ts';

export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  nowSeconds?: () => number;
}

/** The JSON body the endpoint receives. `id` repeats on a retry of the same message: use it to drop duplicates. */
export interface SmsWebhookBody {
  id: string;
  channel: 'sms';
  to: string;
  text: string;
  locale: string;
}

export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const notifier: Notifier = {
    name: 'webhook',
    channels: ['sms'],
    async send(message: OutgoingMessage) {
      refuseChannel(notifier, message);
      const payload: SmsWebhookBody = { id: message.reference, channel: 'sms', to: message.to, text: message.text, locale: message.locale };
      const body = JSON.stringify(payload);
      const timestamp = nowSeconds();
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhookBody(options.secret, timestamp, body),
            'idempotency-key': message.reference,
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new NotifierError('the SMS webhook could not be reached', { retryable: true, cause: error });
      }
      const answer = (await response.json().catch(() => null)) as { id?: unknown } | null;
      if (!response.ok) {
        throw new NotifierError(`the SMS webhook answered ${response.status}`, { retryable: retryableStatus(response.status), status: response.status });
      }
      return typeof answer?.id === 'string' && answer.id !== '' ? { provider_id: answer.id } : {};
    },
  };
  return notifier;
}
