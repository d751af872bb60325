// SMS through a Twilio-compatible Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with a form body
// (To, From, Body) and HTTP Basic auth AccountSid:AuthToken. Providers that clone this API work with a different base URL.
import { NotifierError, refuseChannel, retryableStatus, type Notifier, type OutgoingMessage } from './notifier.ts';

export interface TwilioNotifierOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio phone number in E.164, an alphanumeric sender id, or a Messaging Service SID (MG…). */
  from: string;
  /** Default https://api.twilio.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

export function createTwilioNotifier(options: TwilioNotifierOptions): Notifier {
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  // A Messaging Service is named with MessagingServiceSid instead of From.
  const sender = /^MG[0-9a-f]{32}$/i.test(options.from) ? 'MessagingServiceSid' : 'From';
  const notifier: Notifier = {
    name: 'twilio',
    channels: ['sms'],
    async send(message: OutgoingMessage) {
      refuseChannel(notifier, message);
      const body = new URLSearchParams({ To: message.to, [sender]: options.from, Body: message.text });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new NotifierError('the SMS provider could not be reached', { retryable: true, cause: error });
      }
      const payload = (await response.json().catch(() => null)) as { sid?: unknown; code?: unknown } | null;
      if (!response.ok) {
        // Twilio's error code (e.g. 21211 invalid To) says why without quoting the number.
        const code = typeof payload?.code === 'number' ? ` (code ${payload.code})` : '';
        throw new NotifierError(`the SMS provider answered ${response.status}${code}`, { retryable: retryableStatus(response.status), status: response.status });
      }
      return typeof payload?.sid === 'string' ? { provider_id: payload.sid } : {};
    },
  };
  return notifier;
}
