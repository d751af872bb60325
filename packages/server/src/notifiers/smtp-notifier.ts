// E-mail over SMTP with nodemailer: one multipart/alternative message (text + HTML) per send.
import nodemailer from 'nodemailer';
import { NotifierError, refuseChannel, type Notifier } from './notifier.ts';

export interface SmtpNotifierOptions {
  /** smtp://user:pass@host:587 or smtps://…:465; query parameters are nodemailer options (e.g. ?tls.rejectUnauthorized=false). */
  url: string;
  /** The From header, e.g. "Acme verification <no-reply@acme.example>". */
  from: string;
}

// Credentials that are wrong or a configuration that cannot work will fail the same way on every retry.
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EENVELOPE']);

interface MailError {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
}

export function createSmtpNotifier(options: SmtpNotifierOptions): Notifier & { close(): void } {
  // nodemailer waits minutes by default; a delivery job should fail fast and let the queue retry instead.
  const transport = nodemailer.createTransport({ url: options.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  const notifier = {
    name: 'smtp',
    channels: ['email'] as const,
    async send(message: Parameters<Notifier['send']>[0]) {
      refuseChannel(notifier, message);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          headers: { 'Content-Language': message.locale, 'Auto-Submitted': 'auto-generated' },
        });
        return info.messageId ? { provider_id: String(info.messageId) } : {};
      } catch (error) {
        const e = (error ?? {}) as MailError;
        const retryable = e.permanent !== true && !PERMANENT_CODES.has(e.code ?? '');
        // The server's reply may quote the recipient: keep only the codes in the message that reaches the logs.
        throw new NotifierError(`SMTP send failed (${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''})`, {
          retryable,
          ...(e.responseCode ? { status: e.responseCode } : {}),
        });
      }
    },
    close: () => transport.close(),
  };
  return notifier;
}
