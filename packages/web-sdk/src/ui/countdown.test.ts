import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCountdown, secondsUntil } from './countdown.ts';

describe('resend countdown', () => {
  it('formats m:ss', () => {
    assert.equal(formatCountdown(0), '0:00');
    assert.equal(formatCountdown(5), '0:05');
    assert.equal(formatCountdown(45), '0:45');
    assert.equal(formatCountdown(60), '1:00');
    assert.equal(formatCountdown(65), '1:05');
    assert.equal(formatCountdown(600), '10:00');
    assert.equal(formatCountdown(4.2), '0:05', 'partial seconds round up: never show 0:00 while still waiting');
    assert.equal(formatCountdown(-3), '0:00');
  });

  it('counts whole seconds until resend_available_at', () => {
    const now = Date.parse('2026-01-01T12:00:00.000Z');
    assert.equal(secondsUntil('2026-01-01T12:00:30.000Z', now), 30);
    assert.equal(secondsUntil('2026-01-01T12:00:30.400Z', now), 31);
    assert.equal(secondsUntil('2026-01-01T11:59:00.000Z', now), 0);
    assert.equal(secondsUntil(null, now), 0);
    assert.equal(secondsUntil('not a date', now), 0);
  });
});
