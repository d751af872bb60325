import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asDriverError, attemptsLeftOf, errorMessageKey, isFatal } from './errors.ts';

describe('driver errors for people', () => {
  it('maps §3 types to plain messages', () => {
    assert.equal(errorMessageKey({ type: 'network_error' }), 'error.network');
    assert.equal(errorMessageKey({ type: 'rate_limited', status: 429 }), 'error.rateLimited');
    assert.equal(errorMessageKey({ type: 'payload_too_large', status: 413 }), 'error.tooLarge');
    assert.equal(errorMessageKey({ type: 'unsupported_media_type', status: 415 }), 'error.unsupported');
    assert.equal(errorMessageKey({ type: 'validation_error', status: 422 }), 'error.validation');
    assert.equal(errorMessageKey({ type: 'step_not_expected', status: 409 }), 'error.stepMoved');
    assert.equal(errorMessageKey({ type: 'internal_error', status: 500 }), 'error.generic');
  });

  it('knows which errors end the session and reads attempts_left', () => {
    assert.ok(isFatal({ type: 'session_gone' }));
    assert.ok(isFatal({ type: 'not_found' }));
    assert.ok(!isFatal({ type: 'validation_error' }));
    assert.equal(attemptsLeftOf({ details: { attempts_left: 2 } }), 2);
    assert.equal(attemptsLeftOf({ details: { attempts_left: '2' } }), null);
    assert.equal(attemptsLeftOf({}), null);
  });

  it('turns anything thrown into a DriverError', () => {
    assert.deepEqual(asDriverError({ type: 'rate_limited', message: 'slow down', retryable: true, status: 429 }), { type: 'rate_limited', message: 'slow down', retryable: true, status: 429 });
    assert.equal(asDriverError(new Error('boom')).type, 'internal_error');
  });
});
