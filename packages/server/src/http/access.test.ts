// Who may call what (protocol §2): keys by Bearer or Basic, public vs private, live vs sandbox, and CORS for
// browsers on the creation and applicant endpoints only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionApplicantView, sessionCreated, sessionPrivateView } from '@tessera/protocol';
import { assertError, assertStatus, exact, send, serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';

const ORIGIN = 'https://shop.example';
const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;

const { t, s } = await serverForFile();

describe('access: keys, modes and CORS', () => {

  const createWith = (authorization?: string) =>
    s.call('POST', '/v1/sessions', { body: { kyc_level: 'basic' }, headers: authorization ? { authorization } : {} });

  it('create: no key, an unknown key or a garbage Authorization → 401', async () => {
    const refused = [
      undefined, `Bearer public_${'X'.repeat(30)}`, `Bearer private_sandbox_${'Y'.repeat(30)}`, 'Bearer', 'Bearer not-a-key', 'Token abc',
      `Bearer ${TEST_KEYS.public}x`, basic(`public_${'Z'.repeat(30)}:`), 'Basic %%%not-base64', 'Basic ', `Bearer ${TEST_KEYS.public.slice(0, 12)}`,
    ];
    for (const authorization of refused) assertError(await createWith(authorization), 401, 'authentication_error');
  });

  it('create: Bearer (any case) and HTTP Basic with the key as user name', async () => {
    for (const authorization of [`Bearer ${TEST_KEYS.public}`, `bearer ${TEST_KEYS.private}`, basic(`${TEST_KEYS.public}:`), basic(TEST_KEYS.private), basic(`${TEST_KEYS.sandboxPublic}:`)]) {
      exact(sessionCreated, assertStatus(await createWith(authorization), 201));
    }
    const listed = await s.call('GET', '/v1/sessions?limit=1', { headers: { authorization: basic(`${TEST_KEYS.private}:`) } });
    assertStatus(listed, 200);
  });

  it('a public key may only create: every private endpoint answers it 401', async () => {
    const id = await s.create();
    const privateCalls: [string, string, unknown?][] = [
      ['GET', '/v1/sessions'], ['POST', `/v1/sessions/${id}`, { first_name: 'x' }], ['DELETE', `/v1/sessions/${id}`],
      ['GET', `/v1/sessions/${id}/events`], ['POST', `/v1/sessions/${id}/decision`, { decision: 'approved' }],
      ['GET', `/v1/sessions/${id}/media/media_${'A'.repeat(24)}`], ['GET', '/v1/kyc_levels'], ['GET', '/v1/kyc_levels/basic'],
      ['POST', '/v1/kyc_levels', { name: 'nope', steps: [{ type: 'liveness' }] }], ['PATCH', '/v1/kyc_levels/basic', { show_result: true }],
    ];
    for (const key of [TEST_KEYS.public, TEST_KEYS.sandboxPublic, undefined]) {
      for (const [method, path, body] of privateCalls) {
        assertError(await s.call(method, path, { ...(key ? { key } : {}), ...(body ? { body } : {}) }), 401, 'authentication_error');
      }
    }
  });

  it('live and sandbox never see each other: 403 on the other mode, reads and writes alike', async () => {
    const live = await s.create({}, TEST_KEYS.public);
    const sandbox = await s.create({}, TEST_KEYS.sandboxPublic);
    const pairs: [string, string][] = [[live, TEST_KEYS.sandboxPrivate], [sandbox, TEST_KEYS.private]];
    for (const [id, wrongKey] of pairs) {
      for (const [method, path, body] of [['GET', ''], ['POST', '', { first_name: 'x' }], ['DELETE', ''], ['GET', '/events'], ['POST', '/decision', { decision: 'approved' }]] as const) {
        assertError(await s.call(method, `/v1/sessions/${id}${path}`, { key: wrongKey, ...(body ? { body } : {}) }), 403, 'permission_denied');
      }
    }
    assert.equal(exact(sessionPrivateView, assertStatus(await s.call('GET', `/v1/sessions/${sandbox}`, { key: TEST_KEYS.sandboxPrivate }), 200)).mode, 'sandbox');
    // The applicant needs no key; a public key of either mode reads the applicant view.
    for (const key of [undefined, TEST_KEYS.public, TEST_KEYS.sandboxPublic]) {
      exact(sessionApplicantView, assertStatus(await s.call('GET', `/v1/sessions/${sandbox}`, key ? { key } : {}), 200));
    }
    assertError(await s.call('GET', `/v1/sessions/${live}`, { key: `private_${'Q'.repeat(30)}` }), 401, 'authentication_error');
    assertStatus(await s.consent(sandbox), 200);
    assert.equal((await s.preflight(sandbox)).screen.show, 'scan_id_document_front_screen');
  });

  const preflightRequest = (path: string, method: string, headers = 'authorization,content-type,x-origin,idempotency-key') =>
    send(t.url, 'OPTIONS', path, { headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers } });

  it('CORS: creation and applicant steps answer browser preflights with the four headers', async () => {
    const id = await s.create();
    const browserRoutes: [string, string][] = [
      ['/v1/sessions', 'POST'], [`/v1/sessions/${id}`, 'GET'], [`/v1/sessions/${id}/preflight`, 'GET'], [`/v1/sessions/${id}/consent?gives_consent=true`, 'PATCH'],
      [`/v1/sessions/${id}/media`, 'POST'], [`/v1/sessions/${id}/liveness/start`, 'POST'], [`/v1/sessions/${id}/liveness/complete`, 'POST'],
      [`/v1/sessions/${id}/address_verification`, 'POST'], [`/v1/sessions/${id}/funds_verification`, 'POST'], ['/v1/nfc', 'POST'],
    ];
    for (const [path, method] of browserRoutes) {
      const res = await preflightRequest(path, method);
      assert.ok(res.status === 204 || res.status === 200, `${method} ${path}: ${res.status}`);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, `${method} ${path}`);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
      for (const header of ['authorization', 'content-type', 'x-origin', 'idempotency-key']) assert.ok(allowed.includes(header), `${path} allows ${header}: ${allowed}`);
      assert.ok((res.headers.get('access-control-allow-methods') ?? '').includes(method));
    }
    const created = await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { origin: ORIGIN, 'x-origin': 'js-sdk' }, body: { kyc_level: 'basic' } });
    assertStatus(created, 201);
    assert.equal(created.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(created.headers.get('access-control-expose-headers') ?? '', /x-request-id/i);
  });

  it('CORS: private-key endpoints never allow a browser origin', async () => {
    const id = await s.create();
    const privateRoutes: [string, string][] = [
      ['/v1/sessions', 'GET'], [`/v1/sessions/${id}`, 'POST'], [`/v1/sessions/${id}`, 'DELETE'], [`/v1/sessions/${id}/events`, 'GET'],
      [`/v1/sessions/${id}/decision`, 'POST'], [`/v1/sessions/${id}/media/media_${'A'.repeat(24)}`, 'GET'], ['/v1/kyc_levels', 'GET'],
      ['/v1/kyc_levels', 'POST'], ['/v1/kyc_levels/basic', 'PATCH'],
    ];
    for (const [path, method] of privateRoutes) {
      const res = await preflightRequest(path, method);
      assertError(res, 404, 'not_found'); // no CORS route answers it
      assert.equal(res.headers.get('access-control-allow-origin'), null, `${method} ${path}`);
    }
    const listed = await s.call('GET', '/v1/sessions', { key: TEST_KEYS.private, headers: { origin: ORIGIN } });
    assertStatus(listed, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), null);
  });
});
