// Rate limits (protocol §3: 429 rate_limited with Retry-After): one bucket per session for applicant calls and
// one per API key for integrator calls. This file's server allows 5 of each per minute.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, assertStatus, sessionApi, type ApiResponse } from '../testing/http-test-kit.ts';
import { startTestServer, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';

const LIMIT = 5;

function assertLimited(res: ApiResponse) {
  assertError(res, 429, 'rate_limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get('retry-after')}`);
}

describe('rate limits', () => {
  let t: TestServer;
  let s: ReturnType<typeof sessionApi>;
  before(async () => {
    t = await startTestServer({ TESSERA_RATE_LIMIT_PER_SESSION: String(LIMIT), TESSERA_RATE_LIMIT_PER_KEY: String(LIMIT) });
    s = sessionApi(t);
  });
  after(() => t.close());

  it('per session: the 6th applicant call in a minute → 429; an Authorization header does not open a new bucket', async () => {
    const [id, other] = [await s.create(), await s.create()];
    for (let i = 0; i < LIMIT; i += 1) await s.preflight(id);
    assertLimited(await s.call('GET', `/v1/sessions/${id}/preflight`));
    assertLimited(await s.call('PATCH', `/v1/sessions/${id}/consent?gives_consent=true`));
    for (const authorization of [`Bearer public_${'R'.repeat(30)}`, 'Bearer whatever', `Bearer ${TEST_KEYS.sandboxPublic}`]) {
      assertLimited(await s.call('GET', `/v1/sessions/${id}/preflight`, { headers: { authorization } }));
    }
    assertStatus(await s.call('GET', `/v1/sessions/${other}/preflight`), 200); // another session, another bucket
  });

  it('per key: the 6th call with one key → 429, however the key is spelled; other keys are unaffected', async () => {
    for (let i = 0; i < LIMIT; i += 1) assertStatus(await s.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }), 200);
    assertLimited(await s.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }));
    const spellings = [`bearer ${TEST_KEYS.private}`, `Basic ${Buffer.from(`${TEST_KEYS.private}:`).toString('base64')}`, `Basic ${Buffer.from(`${TEST_KEYS.private}:another-password`).toString('base64')}`];
    for (const authorization of spellings) assertLimited(await s.call('GET', '/v1/sessions?limit=1', { headers: { authorization } }));
    assertStatus(await s.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.sandboxPrivate }), 200);
  });
});
