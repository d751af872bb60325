// Test-only: a real SMTP server on loopback (smtp-server) that parses every message it accepts with mailparser.
// Server code never imports this file.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  inbox: ParsedMail[];
  /** Envelope recipients per accepted message, in the order of inbox. */
  recipients: string[][];
  /** The next n messages are refused with this SMTP reply code (4xx transient, 5xx permanent). */
  refuseNext(n: number, code?: number): void;
  /** Resolves with the first message to `to` that arrives after (or before) the call, within timeoutMs. */
  waitFor(to: string, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const inbox: ParsedMail[] = [];
  const recipients: string[][] = [];
  let refusals: { left: number; code: number } = { left: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      if (refusals.left > 0) {
        refusals.left -= 1;
        const error = Object.assign(new Error('mailbox busy, try again later'), { responseCode: refusals.code });
        stream.resume(); // the stream must be drained before answering
        stream.on('end', () => callback(error));
        return;
      }
      simpleParser(stream).then((mail) => {
        inbox.push(mail);
        recipients.push(session.envelope.rcptTo.map((r) => r.address));
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    recipients,
    refuseNext(n, code = 451) {
      refusals = { left: n, code };
    },
    async waitFor(to, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = recipients.findIndex((list) => list.includes(to));
        if (index >= 0) {
          recipients.splice(index, 1);
          return inbox.splice(index, 1)[0]!;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
