// Abuse runs against a whole server: brute force (10 000 guesses through the check use-case, with an attacker who asks
// for a new code whenever the limits allow) and SMS pumping (many numbers, many sessions, many resends) over HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deps } from '../deps.ts';
import { isAppError } from '../errors/app-error.ts';
import { serverForFile } from '../testing/http-test-kit.ts';
import { checkCode } from './check-code.ts';
import { OTP_LIMITS } from './otp-limits.ts';
import { sendCode } from './send-code.ts';
import { eventually, otpKit } from './otp-test-kit.ts';

const { t } = await serverForFile({ TESSERA_OUTBOX_PRINT: 'false' });
const kit = otpKit(t);

let serial = 0;
const mobile = () => `+447400${String(100_000 + serial++ * 7).padStart(6, '0')}`;
const count = async (sql: string, params: unknown[]) => (await t.server.deps.db.query<{ n: number }>(sql, params)).rows[0]!.n;

test('brute force: 10 000 guesses get 0 successes; the limits let at most 5 per code and 10 codes be compared', async () => {
  const started = Date.now();
  const id = await kit.contactSession();
  const number = mobile();
  let clock = Date.now();
  // The attacker's clock runs ahead as far as the limits make them wait; the server's own jobs keep real time.
  const deps: Deps = { ...t.server.deps, now: () => new Date(clock) };
  const realCodes: string[] = [];
  let sessionExhausted = false;

  /** The attacker asks for a new code, waiting out every cool-down and window, until the session allows no more. */
  async function resend(): Promise<void> {
    while (!sessionExhausted) {
      try {
        await sendCode(deps, id, { channel: 'phone', phone_number: number });
        realCodes.push(await kit.codeFromOutbox(id, 'phone', realCodes.length + 1));
        return;
      } catch (error) {
        if (!isAppError(error) || error.type !== 'rate_limited') throw error;
        if (error.details?.reason === 'session_send_limit') sessionExhausted = true;
        else clock += (error.retryAfter ?? 1) * 1000;
      }
    }
  }

  await resend();
  const tally = new Map<string, number>();
  let next = 0;
  let made = 0;
  while (made < 10_000) {
    const batch: Promise<string>[] = [];
    for (let k = 0; k < 50 && made < 10_000; k += 1, made += 1) {
      // Never the real code: what is measured is how many guesses get compared at all, not luck. The real codes are
      // tried at the end, when the limits must refuse them too.
      let guess: string;
      do guess = String(next++ % 1_000_000).padStart(6, '0');
      while (realCodes.includes(guess));
      batch.push(checkCode(deps, id, { channel: 'phone', code: guess }).then(
        () => 'verified',
        (error: unknown) => {
          if (!isAppError(error)) throw error;
          return `${error.type}:${String(error.details?.reason)}`;
        },
      ));
    }
    const outcomes = await Promise.all(batch);
    for (const o of outcomes) tally.set(o, (tally.get(o) ?? 0) + 1);
    if (outcomes.every((o) => o === 'rate_limited:attempts_exhausted')) await resend();
  }

  for (const code of realCodes) {
    await assert.rejects(checkCode(deps, id, { channel: 'phone', code }), (error: unknown) => isAppError(error) && error.type === 'rate_limited');
  }
  const compared = await count('SELECT count(*)::int AS n FROM otp_attempts WHERE session_id = $1', [id]);
  const succeeded = await count('SELECT count(*)::int AS n FROM otp_attempts WHERE session_id = $1 AND succeeded', [id]);
  const seconds = (Date.now() - started) / 1000;
  console.log(`brute force: ${JSON.stringify(Object.fromEntries(tally))}; codes sent ${realCodes.length}; compared ${compared}; ${seconds.toFixed(1)} s`);

  assert.equal(tally.get('verified') ?? 0, 0);
  assert.equal(succeeded, 0);
  assert.equal(realCodes.length, OTP_LIMITS.sessionMaxSends, 'the attacker got every code the session allows, and no more');
  assert.ok(sessionExhausted);
  assert.equal(tally.get('validation_error:wrong_code'), OTP_LIMITS.sessionMaxSends * OTP_LIMITS.maxAttempts, '5 compared guesses per code, even 50 at a time');
  assert.equal(compared, OTP_LIMITS.sessionMaxSends * OTP_LIMITS.maxAttempts);
  assert.equal(tally.get('rate_limited:attempts_exhausted'), 10_000 - compared, 'every other guess was refused without being compared');
  assert.equal((await kit.preflight(id)).screen.show, 'phone_verification_start_screen', 'the step was never verified');
});

test('pumping one session with many numbers: 10 sends, then 429 for the rest of its life', async () => {
  const id = await kit.contactSession();
  const statuses: number[] = [];
  let lastRefusal: { reason?: string; retryAfter: number } | undefined;
  try {
    for (let i = 0; i < 30; i += 1) {
      kit.clock.advance(OTP_LIMITS.resendCooldownMs + 1000);
      const res = await kit.send(id, 'phone', { phone_number: mobile() });
      statuses.push(res.status);
      if (res.status === 429) lastRefusal = { reason: res.body.error.details.reason, retryAfter: Number(res.headers.get('retry-after')) };
    }
  } finally {
    kit.clock.reset();
  }
  assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(20).fill(429)]);
  assert.equal(lastRefusal?.reason, 'session_send_limit');
  assert.ok(lastRefusal.retryAfter > 3600, 'Retry-After points past the session (nothing frees this limit sooner)');
  assert.equal(await count('SELECT count(*)::int AS n FROM otp_codes WHERE session_id = $1', [id]), 10);
  // Each send replaced the code before it; a replaced code still waiting for its job is not sent at all (skipped).
  await eventually(async () => (await count("SELECT count(*)::int AS n FROM otp_codes WHERE session_id = $1 AND delivery_status = 'queued'", [id])) === 0);
  const delivered = await count("SELECT count(*)::int AS n FROM otp_codes WHERE session_id = $1 AND delivery_status = 'sent'", [id]);
  assert.equal((await kit.outbox(false, id)).length, delivered);
  assert.ok(delivered >= 1 && delivered <= 10);
});

test('pumping one number from many sessions at once: 3 sends per 10 minutes, 429 with Retry-After for the rest', async () => {
  const victim = mobile();
  const sessions = await Promise.all(Array.from({ length: 12 }, () => kit.contactSession()));
  try {
    const first = await Promise.all(sessions.map((id) => kit.send(id, 'phone', { phone_number: victim })));
    assert.equal(first.filter((r) => r.status === 200).length, OTP_LIMITS.destinationMaxSends, 'concurrent sends cannot slip past the window');
    const refused = first.filter((r) => r.status === 429);
    assert.equal(refused.length, 12 - OTP_LIMITS.destinationMaxSends);
    for (const r of refused) {
      assert.equal(r.body.error.details.reason, 'destination_send_limit');
      const retryAfter = Number(r.headers.get('retry-after'));
      assert.ok(retryAfter > 590 && retryAfter <= 600, `Retry-After ${retryAfter}`);
    }
    kit.clock.advance(OTP_LIMITS.destinationWindowMs + 1000);
    const second = await Promise.all(sessions.map((id) => kit.send(id, 'phone', { phone_number: victim })));
    assert.equal(second.filter((r) => r.status === 200).length, OTP_LIMITS.destinationMaxSends);
    // Sandbox traffic never reaches a phone, so it has its own counters and eats no live quota (and vice versa).
    const sandbox = await kit.contactSession({ sandbox: true });
    assert.equal((await kit.send(sandbox, 'phone', { phone_number: victim })).status, 200);
  } finally {
    kit.clock.reset();
  }
  const total = await count("SELECT count(*)::int AS n FROM outbox_messages WHERE recipient = $1 AND mode = 'live'", [victim]);
  assert.ok(total <= OTP_LIMITS.destinationMaxSends * 2);
});

test('hammering resend: one code per 30 s cool-down, whatever the rate', async () => {
  const id = await kit.contactSession();
  const number = mobile();
  const results = await Promise.all(Array.from({ length: 20 }, () => kit.send(id, 'phone', { phone_number: number })));
  assert.equal(results.filter((r) => r.status === 200).length, 1);
  assert.ok(results.filter((r) => r.status === 429).every((r) => r.body.error.details.reason === 'resend_cooldown' && Number(r.headers.get('retry-after')) <= 30));
  // Switching numbers does not dodge the cool-down either: it is per session and channel.
  assert.equal((await kit.send(id, 'phone', { phone_number: mobile() })).status, 429);
  assert.equal(await count('SELECT count(*)::int AS n FROM otp_codes WHERE session_id = $1', [id]), 1);
});
