// A whole server wired to real providers on loopback: SMTP (smtp-server, read back with mailparser) for e-mail and the
// signed SMS webhook for phone. Covers delivery through them, sandbox isolation, retries and the failure the applicant
// sees, and that logs carry no destination or code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Deps } from '../deps.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { startHttpSink, type HttpSink } from '../notifiers/test-sinks/http-sink.ts';
import { startSmtpSink, type SmtpSink } from '../notifiers/test-sinks/smtp-sink.ts';
import { verifyWebhookSignature } from '../notifiers/webhook-signature.ts';
import { startTestServer, type TestServer } from '../testing/start-test-server.ts';
import { deliverCodeJob } from './deliver-code.ts';
import { sendCode } from './send-code.ts';
import { eventually, otpKit } from './otp-test-kit.ts';

const SECRET = 'sms-webhook-secret-for-tests';
let t: TestServer;
let kit: ReturnType<typeof otpKit>;
let smtp: SmtpSink;
let sms: HttpSink;
/** Scripted answers per phone number: how many times to fail, and with which status. */
const failures = new Map<string, { left: number; status: number }>();

before(async () => {
  smtp = await startSmtpSink();
  sms = await startHttpSink((request) => {
    if (!verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp: request.headers['x-tessera-timestamp'] as string, signature: request.headers['x-tessera-signature'] as string })) {
      return { status: 401 };
    }
    const plan = failures.get((JSON.parse(request.body) as { to: string }).to);
    if (plan && plan.left > 0) {
      plan.left -= 1;
      return { status: plan.status };
    }
    return { status: 200, body: { id: `gw_${sms.requests.length}` } };
  });
  t = await startTestServer({
    TESSERA_SMTP_URL: smtp.url,
    TESSERA_SMTP_FROM: 'Acme <verify@acme.test>',
    TESSERA_SMS_WEBHOOK_URL: `${sms.url}/sms`,
    TESSERA_SMS_WEBHOOK_SECRET: SECRET,
    TESSERA_OTP_DELIVERY_ATTEMPTS: '2',
    TESSERA_OUTBOX_PRINT: 'false',
  });
  kit = otpKit(t);
});
after(async () => {
  await t.close();
  await sms.close();
  await smtp.close();
});

let serial = 0;
const mobile = () => `+4673${String(2_000_000 + serial++ * 131).padStart(7, '0')}`;

/** The code in the latest signed webhook request for this number. */
async function smsCode(to: string, nth = 1): Promise<string> {
  return eventually(async () => {
    const bodies = sms.requests.map((r) => JSON.parse(r.body) as { to: string; text: string }).filter((b) => b.to === to);
    const text = bodies[nth - 1]?.text;
    return text ? /\b(\d{6})\b/.exec(text)![1]! : undefined;
  }, 15_000, `SMS to ${to}`);
}

test('a contact session completes with codes from the SMS webhook and the real SMTP sink, in the session language', async () => {
  const id = await kit.contactSession({ body: { i18n: 'es-MX' } });
  const number = mobile();
  assert.equal((await kit.send(id, 'phone', { phone_number: number })).status, 200);
  const request = (await sms.waitForRequests(1)).find((r) => r.body.includes(number))!;
  assert.ok(verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp: request.headers['x-tessera-timestamp'] as string, signature: request.headers['x-tessera-signature'] as string }));
  assert.match(JSON.parse(request.body).text, /^Tu código de verificación es \d{6}\. Caduca en 10 minutos\./);
  assert.equal((await kit.check(id, 'phone', await smsCode(number))).status, 200);

  const address = `ana.${serial}@example.es`;
  assert.equal((await kit.send(id, 'email', { email_address: address })).status, 200);
  const mail = await smtp.waitFor(address);
  assert.equal(mail.subject, 'Tu código de verificación');
  assert.deepEqual(mail.from?.value.map((a) => a.address), ['verify@acme.test']);
  const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
  assert.ok(mail.text?.startsWith('Tu código de verificación es:'));
  assert.ok(typeof mail.html === 'string' && mail.html.includes(code) && mail.html.includes('lang="es"'));
  assert.equal((await kit.check(id, 'email', code)).status, 200);
  assert.equal((await kit.preflight(id)).screen.show, 'completed_screen');
  assert.equal((await kit.outbox(false, id)).length, 0, 'nothing went to the outbox');
  // The provider's acknowledgement is recorded just after it reaches the sink: wait for both rows to settle.
  const rows = await eventually(async () => {
    const { rows: r } = await t.server.deps.db.query<{ provider: string; provider_id: string | null; sealed: boolean }>(
      "SELECT provider, provider_id, sealed_message IS NOT NULL AS sealed FROM otp_codes WHERE session_id = $1 AND delivery_status = 'sent' ORDER BY created_at", [id]);
    return r.length === 2 ? r : undefined;
  });
  assert.deepEqual(rows.map((r) => [r.provider, r.sealed]), [['webhook', false], ['smtp', false]], 'delivered, and the sealed codes erased');
  assert.ok(rows.every((r) => r.provider_id));
});

test('sandbox sessions never reach the providers, even when they are configured', async () => {
  const id = await kit.contactSession({ sandbox: true });
  const number = mobile();
  const smsBefore = sms.requests.length;
  await kit.send(id, 'phone', { phone_number: number });
  await kit.codeFromOutbox(id, 'phone', 1, true);
  assert.equal((await kit.check(id, 'phone', '111111')).status, 200);
  await kit.send(id, 'email', { email_address: 'sandbox-only@example.com' });
  await kit.codeFromOutbox(id, 'email', 1, true);
  assert.equal(sms.requests.length, smsBefore);
  assert.ok(!smtp.recipients.some((r) => r.includes('sandbox-only@example.com')));
});

test('a provider that stays down: after the retries the applicant is told (code_sent false) and may resend at once', async () => {
  const id = await kit.contactSession();
  const number = mobile();
  failures.set(number, { left: 2, status: 503 });
  const watcher = kit.watch(id);
  try {
    const sent = await kit.send(id, 'phone', { phone_number: number });
    assert.equal(sent.status, 200, 'the send is accepted once the delivery is queued');
    const failed = await eventually(async () => {
      const p = await kit.preflight(id);
      return p.extra_data.code_sent === false ? p : undefined;
    }, 20_000, 'the failure push');
    assert.equal(failed.screen.show, 'phone_verification_start_screen');
    assert.equal(failed.extra_data.delivery_error, 'provider_unavailable');
    assert.equal(failed.extra_data.destination, sent.body.destination, 'the applicant still sees where it was meant to go');
    assert.ok(Date.parse(failed.extra_data.resend_available_at as string) <= Date.now() + 1000, 'the cool-down is waived');
    assert.equal(watcher.pushes.length, 2, 'one push for the send, one for the failure');
    assert.equal(watcher.pushes[1]!.preflight.extra_data.code_sent, false);
    const row = await t.server.deps.db.query<{ delivery_status: string; delivery_attempts: number; sealed: boolean }>(
      'SELECT delivery_status, delivery_attempts, sealed_message IS NOT NULL AS sealed FROM otp_codes WHERE session_id = $1', [id]);
    assert.deepEqual(row.rows, [{ delivery_status: 'failed', delivery_attempts: 2, sealed: false }]);

    const again = await kit.send(id, 'phone', { phone_number: number });
    assert.equal(again.status, 200, 'no cool-down after a failed delivery');
    assert.equal((await kit.check(id, 'phone', await smsCode(number, 3))).status, 200);
  } finally {
    watcher.stop();
  }
});

test('a provider that fails once is retried by the queue, and the applicant sees nothing but the code', async () => {
  const id = await kit.contactSession();
  const number = mobile();
  failures.set(number, { left: 1, status: 500 });
  await kit.send(id, 'phone', { phone_number: number });
  const code = await smsCode(number, 2);
  assert.equal((await kit.preflight(id)).extra_data.code_sent, true);
  assert.equal((await kit.check(id, 'phone', code)).status, 200);
});

test('a permanent refusal (4xx) fails at once, without retries', async () => {
  const id = await kit.contactSession();
  const number = mobile();
  failures.set(number, { left: 5, status: 400 });
  await kit.send(id, 'phone', { phone_number: number });
  await eventually(async () => (await kit.preflight(id)).extra_data.delivery_error === 'provider_unavailable', 10_000, 'the failure');
  assert.equal(sms.requests.filter((r) => r.body.includes(number)).length, 1);
});

test('logs name destinations only masked and never carry a code', async () => {
  const lines: string[] = [];
  const record = (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg }));
  const queued: { code_id: string }[] = [];
  // The job is held back from the server's worker and run here, so its log lines land in `lines`.
  const jobs: JobQueue = { ...t.server.deps.jobs, send: async (_name, payload) => void queued.push(payload as { code_id: string }), wake: () => {} };
  const deps: Deps = { ...t.server.deps, jobs, log: { info: record, warn: record, error: record, debug: record } };
  const id = await kit.contactSession();
  const number = mobile();
  failures.set(number, { left: 1, status: 503 });
  await sendCode(deps, id, { channel: 'phone', phone_number: number });
  await assert.rejects(deliverCodeJob(deps)(queued[0]!), 'the first attempt fails and is left to the queue');
  await deliverCodeJob(deps)(queued[0]!);
  const code = await smsCode(number, 2);
  assert.ok(lines.length >= 3, lines.join('\n'));
  const all = lines.join('\n');
  assert.ok(all.includes(`•••• ••${number.slice(-4)}`));
  assert.ok(!all.includes(number) && !all.includes(number.slice(1)), 'no full number');
  assert.ok(!all.includes(code), 'no code');
  assert.ok(!all.includes(id), 'no full session id');
});
