// Phone and e-mail codes over HTTP on a whole server with no provider configured: codes are read from GET /v1/outbox,
// exactly as a new install would. Every limit and binding of issue #3 has a case here or in otp-abuse.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeSent } from '@tessera/protocol';
import { serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';
import { eventually, otpKit } from './otp-test-kit.ts';

const { t } = await serverForFile({ TESSERA_OUTBOX_PRINT: 'false' });
const kit = otpKit(t);

let serial = 0;
/** A fresh Swedish mobile number per use: per-destination limits are global, so tests must not share numbers. */
const mobile = () => `+4670${String(1_000_000 + serial++ * 7919).padStart(7, '0')}`;

test('a contact session completes with codes read from GET /v1/outbox; one push per send and per verification', async () => {
  const id = await kit.contactSession({ body: { i18n: 'sv' } });
  const watcher = kit.watch(id);
  try {
    assert.equal((await kit.preflight(id)).screen.show, 'phone_verification_start_screen');
    const number = mobile();
    const sent = await kit.send(id, 'phone', { phone_number: number });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(codeSent.parse(sent.body), sent.body, 'exactly the §4.10 fields');
    assert.equal(sent.body.destination, `+46 •••• ••${number.slice(-4)}`);
    assert.equal(Date.parse(sent.body.expires_at) - Date.parse(sent.body.resend_available_at), 600_000 - 30_000);

    const onScreen = await kit.preflight(id);
    assert.equal(onScreen.screen.show, 'phone_verification_start_screen', 'the flow stays on the start screen after a send');
    assert.deepEqual(onScreen.extra_data, {
      code_sent: true, destination: sent.body.destination, expires_at: sent.body.expires_at, resend_available_at: sent.body.resend_available_at,
      attempts_left: 5, delivery_error: null,
    });
    assert.equal(watcher.pushes.length, 1);
    assert.equal(watcher.pushes[0]!.preflight.extra_data.code_sent, true);

    const code = await kit.codeFromOutbox(id, 'phone');
    const [message] = await kit.outbox(false, id);
    // Once delivered, the sealed code is erased; the row never held the destination.
    const stored = await eventually(async () => (await t.server.deps.db.query<{ row: string }>(
      `SELECT row_to_json(c)::text AS row FROM otp_codes c WHERE session_id = $1 AND delivery_status = 'sent' AND sealed_message IS NULL`, [id])).rows[0]);
    assert.ok(!stored.row.includes(number) && !stored.row.includes(number.slice(1)), 'the code row stores no destination');
    assert.equal(message!.to, number);
    assert.match(message!.text, /^Din verifieringskod är \d{6}\./, 'the SMS is in the session language');

    const wrong = await kit.check(id, 'phone', code === '000000' ? '000001' : '000000');
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.type, 'validation_error');
    assert.equal(wrong.body.error.details.attempts_left, 4);
    assert.equal(watcher.pushes.length, 1, 'a wrong guess pushes nothing');

    const verified = await kit.check(id, 'phone', code);
    assert.deepEqual([verified.status, verified.body], [200, { status: 'verified' }]);
    assert.equal(watcher.pushes.length, 2);
    assert.equal(watcher.pushes[1]!.preflight.screen.show, 'email_verification_start_screen');
    assert.deepEqual(watcher.pushes[1]!.preflight.extra_data, {}, 'the e-mail step starts clean');

    const mailSent = await kit.send(id, 'email', { email_address: 'Jane.Doe@Example.COM' });
    assert.equal(mailSent.status, 200);
    assert.equal(mailSent.body.destination, 'J•••@example.com');
    assert.equal(watcher.pushes.length, 3);
    const emailCode = await kit.codeFromOutbox(id, 'email');
    const mail = (await kit.outbox(false, id)).find((m) => m.channel === 'email');
    assert.equal(mail?.to, 'Jane.Doe@example.com');
    assert.equal(mail?.subject, 'Din verifieringskod');
    const done = await kit.check(id, 'email', emailCode);
    assert.equal(done.status, 200);
    assert.equal(watcher.pushes.length, 4);
    assert.equal(watcher.pushes[3]!.preflight.screen.show, 'completed_screen');
    assert.equal((await kit.preflight(id)).screen.show, 'completed_screen');
    const seqs = watcher.pushes.map((p) => p.sequence);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  } finally {
    watcher.stop();
  }
});

test('the national format works with country_code or the session phone_country', async () => {
  const id = await kit.contactSession({ body: { phone_country: 'GB' } });
  const res = await kit.send(id, 'phone', { phone_number: '07400 123456' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.destination, '+44 •••• ••3456');
  const other = await kit.contactSession();
  assert.equal((await kit.send(other, 'phone', { phone_number: '070-765 43 21', country_code: 'SE' })).body.destination, '+46 •••• ••4321');
  assert.equal((await kit.send(await kit.contactSession(), 'phone', { phone_number: '07400 765432' })).body.error.details.reason, 'invalid_phone_number');
});

test('bad destinations are validation errors; malformed bodies are invalid requests; other screens are 409', async () => {
  const id = await kit.contactSession();
  const cases: [Record<string, unknown>, number, string, string?][] = [
    [{ phone_number: '+44 20 7946 0123' }, 422, 'validation_error', 'not_mobile'],
    [{ phone_number: '+44 7700 900000' }, 422, 'validation_error', 'invalid_phone_number'],
    [{ phone_number: 'call me maybe' }, 422, 'validation_error', 'invalid_phone_number'],
    [{}, 400, 'invalid_request'],
    [{ phone_number: 46701234567 }, 400, 'invalid_request'],
  ];
  for (const [body, status, type, reason] of cases) {
    const res = await kit.send(id, 'phone', body);
    assert.equal(res.status, status, JSON.stringify([body, res.body]));
    assert.equal(res.body.error.type, type);
    if (reason) assert.equal(res.body.error.details.reason, reason);
  }
  const emailNow = await kit.send(id, 'email', { email_address: 'jane@example.com' });
  assert.equal(emailNow.status, 409, 'e-mail belongs to a later screen');
  assert.equal(emailNow.body.error.type, 'step_not_expected');
  const noCode = await kit.check(id, 'phone', '123456');
  assert.deepEqual([noCode.status, noCode.body.error.details], [422, { reason: 'no_code', attempts_left: 0 }]);
  assert.equal((await kit.check(id, 'phone', '12345')).status, 422, 'a code is six digits');

  const fresh = await kit.call('POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'contact' } });
  const beforeConsent = await kit.send(fresh.body.session_id, 'phone', { phone_number: mobile() });
  assert.equal(beforeConsent.status, 409);
  assert.equal((await kit.send('x'.repeat(24), 'phone', { phone_number: mobile() })).status, 404);
});

test('the organization SMS allow-list refuses other countries with a clear validation_error', async () => {
  await t.server.deps.db.query(`UPDATE organizations SET settings = settings || '{"sms_countries":["GB"]}' WHERE id = $1`, [t.server.organizationId]);
  try {
    const id = await kit.contactSession();
    const blocked = await kit.send(id, 'phone', { phone_number: mobile() });
    assert.equal(blocked.status, 422);
    assert.deepEqual(blocked.body.error.details, { reason: 'country_not_allowed', country: 'SE', allowed_countries: ['GB'] });
    assert.match(blocked.body.error.message, /SE/);
    assert.equal((await kit.send(id, 'phone', { phone_number: '+447400222333' })).status, 200);
  } finally {
    await t.server.deps.db.query(`UPDATE organizations SET settings = settings - 'sms_countries' WHERE id = $1`, [t.server.organizationId]);
  }
});

test('resend: 429 with Retry-After inside the 30 s cool-down; after it a new code replaces the old one', async () => {
  const id = await kit.contactSession();
  const number = mobile();
  try {
    assert.equal((await kit.send(id, 'phone', { phone_number: number })).status, 200);
    const first = await kit.codeFromOutbox(id, 'phone', 1);
    const early = await kit.send(id, 'phone', { phone_number: number });
    assert.equal(early.status, 429);
    assert.equal(early.body.error.type, 'rate_limited');
    assert.equal(early.body.error.details.reason, 'resend_cooldown');
    const retryAfter = Number(early.headers.get('retry-after'));
    assert.ok(retryAfter >= 29 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    kit.clock.advance(31_000);
    assert.equal((await kit.send(id, 'phone', { phone_number: number })).status, 200);
    const second = await kit.codeFromOutbox(id, 'phone', 2);
    if (first !== second) {
      const stale = await kit.check(id, 'phone', first);
      assert.equal(stale.status, 422, 'the replaced code no longer verifies');
    }
    assert.equal((await kit.check(id, 'phone', second)).status, 200);
  } finally {
    kit.clock.reset();
  }
});

test('five wrong guesses per code (attempts_left 4…0), then 429 even for the right code; a new code works', async () => {
  const id = await kit.contactSession();
  try {
    await kit.send(id, 'phone', { phone_number: mobile() });
    const code = await kit.codeFromOutbox(id, 'phone');
    const wrongCode = code === '999999' ? '999998' : '999999';
    const left: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await kit.check(id, 'phone', wrongCode);
      assert.equal(res.status, 422);
      left.push(res.body.error.details.attempts_left);
    }
    assert.deepEqual(left, [4, 3, 2, 1, 0]);
    const locked = await kit.check(id, 'phone', code);
    assert.equal(locked.status, 429);
    assert.deepEqual(locked.body.error.details, { reason: 'attempts_exhausted', attempts_left: 0 });
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    kit.clock.advance(31_000);
    await kit.send(id, 'phone', { phone_number: (await kit.outbox(false, id))[0]!.to });
    assert.equal((await kit.check(id, 'phone', await kit.codeFromOutbox(id, 'phone', 2))).status, 200);
  } finally {
    kit.clock.reset();
  }
});

test('an expired code fails (10 minutes, clock injected through deps.now)', async () => {
  const id = await kit.contactSession();
  try {
    await kit.send(id, 'phone', { phone_number: mobile() });
    const code = await kit.codeFromOutbox(id, 'phone');
    kit.clock.advance(10 * 60_000 + 1000);
    const res = await kit.check(id, 'phone', code);
    assert.deepEqual([res.status, res.body.error.details], [422, { reason: 'code_expired', attempts_left: 0 }]);
  } finally {
    kit.clock.reset();
  }
});

test('codes are bound: another session, the other channel, another destination all fail', async () => {
  const a = await kit.contactSession();
  const b = await kit.contactSession();
  const numberA = mobile();
  await kit.send(a, 'phone', { phone_number: numberA });
  await kit.send(b, 'phone', { phone_number: mobile() });
  const codeA = await kit.codeFromOutbox(a, 'phone');
  const codeB = await kit.codeFromOutbox(b, 'phone');
  if (codeA !== codeB) assert.equal((await kit.check(b, 'phone', codeA)).status, 422, "a's code is wrong for b");
  const claimedOther = await kit.check(a, 'phone', codeA, { phone_number: mobile() });
  assert.deepEqual([claimedOther.status, claimedOther.body.error.details.reason], [422, 'wrong_code'], 'the right digits for another destination fail');
  assert.equal((await kit.check(a, 'phone', codeA, { phone_number: numberA.replace('+46', '0'), country_code: 'SE' })).status, 200);
  // a is now on the e-mail screen: the phone code is no answer there, whatever its digits.
  await kit.send(a, 'email', { email_address: 'bound@example.com' });
  const emailCode = await kit.codeFromOutbox(a, 'email');
  if (emailCode !== codeA) assert.equal((await kit.check(a, 'email', codeA)).status, 422, 'the phone code does not verify e-mail');
  assert.equal((await kit.check(a, 'email', emailCode, { email_address: 'other@example.com' })).status, 422);
  assert.equal((await kit.check(a, 'email', emailCode, { email_address: 'Bound@EXAMPLE.com' })).status, 422, 'the local part is case-sensitive');
  assert.equal((await kit.check(a, 'email', emailCode, { email_address: 'bound@EXAMPLE.com' })).status, 200);
});

test('a used code cannot be replayed: not after the flow moved on, nor when the step is reopened', async () => {
  const id = await kit.contactSession();
  await kit.send(id, 'phone', { phone_number: mobile() });
  const phoneCode = await kit.codeFromOutbox(id, 'phone');
  assert.equal((await kit.check(id, 'phone', phoneCode)).status, 200);
  const replay = await kit.check(id, 'phone', phoneCode);
  assert.deepEqual([replay.status, replay.body.error.type], [409, 'step_not_expected']);
  await kit.send(id, 'email', { email_address: 'replay@example.com' });
  assert.equal((await kit.check(id, 'email', await kit.codeFromOutbox(id, 'email'))).status, 200);
  const decision = await kit.call('POST', `/v1/sessions/${id}/decision`, { key: TEST_KEYS.private, body: { decision: 'resubmission', steps: ['phone_verification'] } });
  assert.equal(decision.status, 200, JSON.stringify(decision.body));
  assert.equal((await kit.preflight(id)).screen.show, 'phone_verification_start_screen');
  const reopened = await kit.check(id, 'phone', phoneCode);
  assert.deepEqual([reopened.status, reopened.body.error.details.reason], [422, 'no_code']);
});

test('sandbox: messages only reach the outbox of the sandbox account, and 111111 verifies', async () => {
  const id = await kit.contactSession({ sandbox: true });
  await kit.send(id, 'phone', { phone_number: mobile() });
  await kit.codeFromOutbox(id, 'phone', 1, true);
  assert.equal((await kit.outbox(false, id)).length, 0, 'the live key does not see sandbox messages');
  assert.equal((await kit.check(id, 'phone', '111111')).status, 200);
  await kit.send(id, 'email', { email_address: 'sandbox@example.com' });
  assert.equal((await kit.check(id, 'email', '111112')).status, 422);
  assert.equal((await kit.check(id, 'email', '111111')).status, 200);
  const live = await kit.contactSession();
  await kit.send(live, 'phone', { phone_number: mobile() });
  const code = await kit.codeFromOutbox(live, 'phone');
  if (code !== '111111') assert.equal((await kit.check(live, 'phone', '111111')).status, 422, 'live sessions do not take the sandbox code');
});

test('GET /v1/outbox needs a private key and shows only the caller account and mode', async () => {
  assert.equal((await kit.call('GET', '/v1/outbox')).status, 401);
  assert.equal((await kit.call('GET', '/v1/outbox', { key: TEST_KEYS.public })).status, 401);
  const live = await kit.outbox(false);
  const sandbox = await kit.outbox(true);
  assert.ok(live.length > 0 && sandbox.length > 0);
  const ids = new Set(live.map((m) => m.id));
  assert.ok(sandbox.every((m) => !ids.has(m.id)));
  assert.deepEqual(Object.keys(live[0]!).sort(), ['channel', 'created_at', 'html', 'id', 'mode', 'session_id', 'subject', 'text', 'to']);
  assert.equal((await kit.call('GET', '/v1/outbox?limit=1000', { key: TEST_KEYS.private })).status, 422);
});
