// The send limits as a table: session cap, resend cool-down (waived after a failed delivery), destination window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OTP_LIMITS, attemptsLeft, sendRefusal, type SendHistory } from './otp-limits.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const expires = new Date('2026-01-02T12:00:00Z');
const none: SendHistory = { sessionSends: 0, lastSend: null, destinationSends: [] };

test('the numbers of issue #3', () => {
  assert.deepEqual(
    [OTP_LIMITS.codeDigits, OTP_LIMITS.codeTtlMs, OTP_LIMITS.maxAttempts, OTP_LIMITS.resendCooldownMs, OTP_LIMITS.destinationMaxSends, OTP_LIMITS.destinationWindowMs, OTP_LIMITS.sessionMaxSends],
    [6, 600_000, 5, 30_000, 3, 600_000, 10],
  );
});

const cases: { name: string; history: SendHistory; reason: string | null; retryAt?: Date }[] = [
  { name: 'a first send', history: none, reason: null },
  { name: '29 s after the last send', history: { ...none, sessionSends: 1, lastSend: { created_at: ago(29_000), delivery_status: 'sent' } }, reason: 'resend_cooldown', retryAt: new Date(now.getTime() + 1000) },
  { name: '30 s after the last send', history: { ...none, sessionSends: 1, lastSend: { created_at: ago(30_000), delivery_status: 'sent' } }, reason: null },
  { name: 'right after a delivery that failed for good', history: { ...none, sessionSends: 1, lastSend: { created_at: ago(1000), delivery_status: 'failed' } }, reason: null },
  { name: 'a 4th send to one destination within 10 min', history: { ...none, destinationSends: [ago(540_000), ago(300_000), ago(60_000)] }, reason: 'destination_send_limit', retryAt: new Date(now.getTime() + 60_000) },
  { name: 'a 4th send once the oldest left the window', history: { ...none, destinationSends: [ago(600_000), ago(300_000), ago(60_000)] }, reason: null },
  { name: 'the 11th send of a session', history: { ...none, sessionSends: 10 }, reason: 'session_send_limit', retryAt: expires },
  { name: 'the 10th send of a session', history: { ...none, sessionSends: 9 }, reason: null },
];

for (const c of cases) {
  test(`send limits: ${c.name}`, () => {
    const refusal = sendRefusal(c.history, now, expires);
    assert.equal(refusal?.reason ?? null, c.reason);
    if (c.retryAt) assert.equal(refusal?.retryAt.toISOString(), c.retryAt.toISOString());
  });
}

test('attempts left never goes below zero', () => {
  assert.deepEqual([0, 1, 4, 5, 9].map(attemptsLeft), [5, 4, 1, 0, 0]);
});
