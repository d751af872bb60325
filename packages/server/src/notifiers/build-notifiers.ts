// Turns the notifier settings (read from the environment by config.ts) into the adapters. Called by the composition
// root only. Whatever is not configured falls back to the outbox, so a fresh install still completes a flow.
import type { Db } from '../storage/db.ts';
import type { Notifiers } from './notifier.ts';
import { createOutboxNotifier } from './outbox-notifier.ts';
import { createSmtpNotifier } from './smtp-notifier.ts';
import { createTwilioNotifier } from './twilio-notifier.ts';
import { createWebhookNotifier } from './webhook-notifier.ts';

export interface NotifierSettings {
  smtp: { url: string; from: string } | null;
  twilio: { accountSid: string; authToken: string; from: string; baseUrl: string } | null;
  smsWebhook: { url: string; secret: string } | null;
  /** Print outbox messages (with their codes) to stdout. */
  printOutbox: boolean;
}

export function buildNotifiers(settings: NotifierSettings, db: Db): Notifiers {
  const outbox = createOutboxNotifier({ db, ...(settings.printOutbox ? { print: (line: string) => void process.stdout.write(`${line}\n`) } : {}) });
  const smtp = settings.smtp ? createSmtpNotifier(settings.smtp) : null;
  const sms = settings.twilio ? createTwilioNotifier(settings.twilio) : settings.smsWebhook ? createWebhookNotifier(settings.smsWebhook) : outbox;
  // Unpooled SMTP opens a connection per message, so nothing stays open to be closed at shutdown.
  return { email: smtp ?? outbox, sms, outbox };
}

/** For the startup line: which adapter carries each channel in live mode (never any secret). */
export const describeNotifiers = (n: Notifiers): { email: string; sms: string } => ({ email: n.email.name, sms: n.sms.name });
