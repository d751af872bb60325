import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FALLBACK_TIMERS } from '../driver/types.ts';
import { testHookTimers } from './test-hooks.ts';

describe('hosted page test hook (?fallback_ms=)', () => {
  it('sets every fallback timer when the server enabled test hooks', () => {
    const timers = testHookTimers(true, '?fallback_ms=500');
    assert.deepEqual(Object.keys(timers ?? {}).sort(), Object.keys(DEFAULT_FALLBACK_TIMERS).sort());
    assert.ok(Object.values(timers ?? {}).every((ms) => ms === 500));
  });

  it('is ignored without the server’s consent, and for junk or too-short values', () => {
    assert.equal(testHookTimers(false, '?fallback_ms=500'), undefined);
    for (const search of ['', '?fallback_ms=', '?fallback_ms=abc', '?fallback_ms=50', '?fallback_ms=1e3x', '?fallback_ms=-1000', '?fallback_ms=2.5e2']) {
      assert.equal(testHookTimers(true, search), undefined, search);
    }
  });
});
