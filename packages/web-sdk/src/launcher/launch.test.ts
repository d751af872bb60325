// Session creation and the redirect path of `launch` (no DOM needed); the modal is exercised by the browser tests.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createFakeFetch } from '../driver/fake-fetch.ts';
import { FlowError } from '../driver/flow-error.ts';
import { createSession, defaultReturnUrl, sessionRequestBody } from './create-session.ts';
import { launch } from './launch.ts';
import { shouldRedirect } from './should-redirect.ts';

const ID = 'cTMKciZaG4iv7FfRZk1nxRW1';
const created = { status: 201, body: { session_id: ID, url: `https://kyc.example/verify/${ID}`, websocket_url: 'ws://x', web_sdk_return_url: null } };

/** Just the parts of `window` the redirect path touches. */
function fakeWindow(width: number, href = 'https://shop.example/checkout?step=kyc#top') {
  const assigned: string[] = [];
  (globalThis as { window?: unknown }).window = { innerWidth: width, location: { href, assign: (url: string) => assigned.push(url) } };
  return assigned;
}

describe('launcher', () => {
  afterEach(() => delete (globalThis as { window?: unknown }).window);

  it('creates the session with the public key, x-origin: js-sdk and only the fields that have a value', async () => {
    const f = createFakeFetch();
    f.routes['POST /v1/sessions'] = () => created;
    const session = await createSession(
      { apiBaseUrl: 'https://kyc.example/', publicKey: 'public_abc', kycLevel: 'basic', idempotencyKey: 'k1',
        applicant: { first_name: 'Ada', last_name: '', email_address: 'ada@example.com', i18n: 'sv' } },
      f.fetch,
    );
    assert.equal(session.session_id, ID);
    const request = f.requests[0]!;
    assert.equal(request.path, '/v1/sessions');
    assert.equal(request.headers.authorization, 'Bearer public_abc');
    assert.equal(request.headers['x-origin'], 'js-sdk');
    assert.equal(request.headers['idempotency-key'], 'k1');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, { kyc_level: 'basic', first_name: 'Ada', email_address: 'ada@example.com', i18n: 'sv' });
    assert.deepEqual(sessionRequestBody('full'), { kyc_level: 'full' });
  });

  it('maps creation errors like the driver does', async () => {
    const f = createFakeFetch();
    f.routes['POST /v1/sessions'] = () => ({ status: 404, body: { error: { type: 'not_found', message: 'no such kyc_level', request_id: 'req_1' } } });
    await assert.rejects(createSession({ apiBaseUrl: 'https://kyc.example', publicKey: 'public_abc', kycLevel: 'nope' }, f.fetch),
      (error: unknown) => error instanceof FlowError && error.type === 'not_found' && !error.retryable);
  });

  it('redirects on narrow viewports or when asked, and modal is the default on wide ones', () => {
    assert.equal(shouldRedirect('auto', 375), true);
    assert.equal(shouldRedirect('auto', 639), true);
    assert.equal(shouldRedirect('auto', 640), false);
    assert.equal(shouldRedirect('auto', 1280, 1400), true);
    assert.equal(shouldRedirect('redirect', 1920), true);
    assert.equal(shouldRedirect('modal', 320), false);
  });

  it('on a phone: creates the session returning to this page, then redirects to the hosted page', async () => {
    const assigned = fakeWindow(390);
    const f = createFakeFetch();
    f.routes['POST /v1/sessions'] = () => created;
    const handle = await launch({ publicKey: 'public_abc', apiBaseUrl: 'https://kyc.example', kycLevel: 'basic', fetch: f.fetch });
    assert.deepEqual(assigned, [`https://kyc.example/verify/${ID}`]);
    assert.equal(handle?.mode, 'redirect');
    assert.equal(handle?.sessionId, ID);
    assert.equal((f.requests[0]!.body as Record<string, unknown>).web_sdk_return_url, 'https://shop.example/checkout?step=kyc');

    // An explicit return URL wins; an existing session is used as is, with no request at all.
    fakeWindow(390);
    await launch({ publicKey: 'public_abc', apiBaseUrl: 'https://kyc.example', kycLevel: 'basic', fetch: f.fetch, applicant: { web_sdk_return_url: 'https://shop.example/kyc-done' } });
    assert.equal((f.requests[1]!.body as Record<string, unknown>).web_sdk_return_url, 'https://shop.example/kyc-done');
    const again = fakeWindow(1280);
    await launch({ sessionId: ID, url: `https://kyc.example/verify/${ID}`, mode: 'redirect', fetch: f.fetch });
    assert.deepEqual(again, [`https://kyc.example/verify/${ID}`]);
    assert.equal(f.requests.length, 2);
    assert.equal(defaultReturnUrl('file:///tmp/page.html'), undefined);
  });

  it('reports failures to onError and resolves null; without onError the promise rejects', async () => {
    fakeWindow(390);
    const f = createFakeFetch();
    f.routes['POST /v1/sessions'] = () => ({ status: 401, body: { error: { type: 'authentication_error', message: 'bad key', request_id: 'r' } } });
    const errors: Array<{ sessionId: string | null; type: string }> = [];
    const handle = await launch({ publicKey: 'public_bad', apiBaseUrl: 'https://kyc.example', kycLevel: 'basic', fetch: f.fetch,
      onError: (e) => errors.push({ sessionId: e.sessionId, type: e.error.type }) });
    assert.equal(handle, null);
    assert.deepEqual(errors, [{ sessionId: null, type: 'authentication_error' }]);
    await assert.rejects(launch({ publicKey: 'public_bad', apiBaseUrl: 'https://kyc.example', kycLevel: 'basic', fetch: f.fetch }), { type: 'authentication_error' });
    await assert.rejects(launch({ mode: 'redirect' }), { type: 'invalid_request' });
  });
});
