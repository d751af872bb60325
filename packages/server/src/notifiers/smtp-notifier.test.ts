// E-mail through nodemailer to a real SMTP server (smtp-server) on loopback, read back with mailparser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { renderOtpMessage } from '../otp/render-otp-message.ts';
import { NotifierError, type OutgoingMessage } from './notifier.ts';
import { createSmtpNotifier } from './smtp-notifier.ts';
import { startSmtpSink, type SmtpSink } from './test-sinks/smtp-sink.ts';

let sink: SmtpSink;
before(async () => {
  sink = await startSmtpSink();
});
after(() => sink.close());

function otpEmail(to: string, code: string, i18n: string): OutgoingMessage {
  const rendered = renderOtpMessage({ channel: 'email', code, i18n });
  return {
    reference: `otp_${code}`, channel: 'email', to, subject: rendered.subject, text: rendered.text, html: rendered.html!, locale: rendered.locale,
    owner: { organization_id: 'org_x', mode: 'live', session_id: null },
  };
}

const cases = [
  { i18n: 'sv-SE', subject: 'Din verifieringskod', intro: 'Din verifieringskod är:', expiry: 'Den slutar gälla om 10 minuter.' },
  { i18n: 'es', subject: 'Tu código de verificación', intro: 'Tu código de verificación es:', expiry: 'Caduca en 10 minutos.' },
  { i18n: 'de', subject: 'Ihr Bestätigungscode', intro: 'Ihr Bestätigungscode lautet:', expiry: 'Er läuft in 10 Minuten ab.' },
  { i18n: 'en-GB', subject: 'Your verification code', intro: 'Your verification code is:', expiry: 'It expires in 10 minutes.' },
];

for (const c of cases) {
  test(`a code e-mail in ${c.i18n} arrives as multipart text + HTML in that language`, async () => {
    const notifier = createSmtpNotifier({ url: sink.url, from: 'Acme verification <no-reply@acme.test>' });
    const to = `applicant.${c.i18n.toLowerCase()}@example.com`;
    const result = await notifier.send(otpEmail(to, '042917', c.i18n));
    const mail = await sink.waitFor(to);
    assert.equal(mail.subject, c.subject);
    assert.deepEqual(mail.from?.value.map((a) => [a.name, a.address]), [['Acme verification', 'no-reply@acme.test']]);
    assert.ok(mail.text?.includes(c.intro) && mail.text.includes('042917') && mail.text.includes(c.expiry), mail.text);
    assert.ok(typeof mail.html === 'string' && mail.html.includes('042917'));
    assert.match(mail.html, new RegExp(`lang="${c.i18n.slice(0, 2)}"`));
    assert.ok(mail.html.includes(c.intro.replace("'", '&#39;')), 'the HTML part is in the same language');
    assert.equal(mail.headers.get('content-language'), c.i18n.slice(0, 2));
    assert.match(String(mail.headers.get('content-type') && (mail.headers.get('content-type') as { value: string }).value), /multipart\/alternative/);
    assert.equal(result.provider_id, mail.messageId);
  });
}

test('an unknown language falls back to English', async () => {
  const notifier = createSmtpNotifier({ url: sink.url, from: 'no-reply@acme.test' });
  await notifier.send(otpEmail('fallback@example.com', '314159', 'ja-JP'));
  const mail = await sink.waitFor('fallback@example.com');
  assert.equal(mail.subject, 'Your verification code');
  assert.ok(mail.text?.includes('314159'));
});

test('a permanent SMTP refusal (5xx) is not retryable', async () => {
  const notifier = createSmtpNotifier({ url: sink.url, from: 'no-reply@acme.test' });
  sink.refuseNext(1, 550);
  await assert.rejects(notifier.send(otpEmail('refused@example.com', '000001', 'en')), (error: unknown) => {
    assert.ok(error instanceof NotifierError);
    assert.equal(error.retryable, false);
    assert.equal(error.status, 550);
    assert.doesNotMatch(error.message, /refused@/);
    return true;
  });
});

test('an SMTP server that cannot be reached is retryable', async () => {
  const notifier = createSmtpNotifier({ url: 'smtp://127.0.0.1:1', from: 'no-reply@acme.test' });
  await assert.rejects(notifier.send(otpEmail('nobody@example.com', '000002', 'en')), (error: unknown) => error instanceof NotifierError && error.retryable);
});
