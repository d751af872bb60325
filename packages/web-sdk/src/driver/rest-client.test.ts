// The REST client against a fake fetch: every applicant endpoint's method, path and body, strict base64 of Blobs,
// and the §3 error mapping with `retryable` and `Retry-After`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blobToBase64 } from './blob-to-base64.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeFetch } from './fake-fetch.ts';
import { FlowError, parseRetryAfter } from './flow-error.ts';
import { createRestClient } from './rest-client.ts';

const ID = 'cTMKciZaG4iv7FfRZk1nxRW1';
const BASE = `/v1/sessions/${ID}`;
const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

function setup() {
  const f = createFakeFetch();
  const clock = createFakeClock(1_700_000_000_000);
  const rest = createRestClient({ apiBaseUrl: 'https://kyc.example/', sessionId: ID, fetch: f.fetch, clock });
  return { f, rest, clock };
}

async function rejection(promise: Promise<unknown>): Promise<FlowError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FlowError, `expected a FlowError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('rest client', () => {
  it('strict base64 of Blobs of every size, including across chunk boundaries', async () => {
    for (const n of [0, 1, 2, 3, 4, 5, 24_575, 24_576, 24_577, 100_003]) {
      const data = bytes(n);
      const b64 = await blobToBase64(new Blob([data]));
      assert.equal(b64, Buffer.from(data).toString('base64'), `size ${n}`);
      assert.match(b64, /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    }
  });

  it('calls each applicant endpoint with its method, path and body', async () => {
    const { f, rest } = setup();
    const ok = (body: unknown) => () => ({ status: 200, body });
    f.routes[`GET ${BASE}`] = ok({ session_id: ID });
    f.routes[`GET ${BASE}/preflight`] = ok({ sequence: 1 });
    f.routes[`PATCH ${BASE}/consent`] = ok({ session_id: ID, consent: { given: true, at: 'x', version: 'v' } });
    f.routes[`POST ${BASE}/media`] = () => ({ status: 202, body: { media_id: 'media_1', app_screen: 'scan_id_document_back_screen', status: 'processing' } });
    f.routes[`POST ${BASE}/liveness/start`] = ok({ liveness_id: 'liv_1' });
    for (const path of ['liveness/complete', 'address_verification', 'funds_verification']) f.routes[`POST ${BASE}/${path}`] = () => ({ status: 202, body: { status: 'processing' } });
    for (const kind of ['phone', 'email']) {
      f.routes[`POST ${BASE}/${kind}_verification`] = ok({ status: 'code_sent', destination: 'd', expires_at: 'e', resend_available_at: 'r' });
      f.routes[`PATCH ${BASE}/${kind}_verification`] = ok({ status: 'verified' });
    }

    assert.deepEqual(await rest.show(), { session_id: ID });
    assert.deepEqual(await rest.preflight(), { sequence: 1 });
    await rest.consent(false);
    const file = new File([bytes(1000)], 'front.jpg', { type: 'image/jpeg' });
    assert.equal((await rest.media(file, 'scan_id_document_back_screen', 'id_card')).media_id, 'media_1');
    await rest.livenessStart();
    await rest.livenessComplete('liv_1', [new Blob([bytes(10, 1)]), new Blob([bytes(11, 2)])]);
    await rest.address(new Blob([bytes(20)]), { latitude: 59.3, longitude: 18.1 });
    await rest.funds(new Blob([bytes(21)]), 'payslip');
    await rest.funds(new Blob([bytes(22)]));
    assert.equal((await rest.phoneSend('+447700900123', 'GB')).status, 'code_sent');
    assert.equal((await rest.phoneCheck('123456')).status, 'verified');
    await rest.emailSend('ada@example.com');
    await rest.emailCheck('654321');

    const seen = f.requests.map((r) => `${r.method} ${r.path.replace(BASE, '')}`);
    assert.deepEqual(seen, [
      'GET ', 'GET /preflight', 'PATCH /consent?gives_consent=false', 'POST /media', 'POST /liveness/start', 'POST /liveness/complete',
      'POST /address_verification', 'POST /funds_verification', 'POST /funds_verification', 'POST /phone_verification',
      'PATCH /phone_verification', 'POST /email_verification', 'PATCH /email_verification',
    ]);
    const body = (i: number) => f.requests[i]!.body;
    // Media: multipart with the file part `media` (bytes, not base64) and its fields; fetch sets the content type.
    const form = body(3);
    assert.ok(form instanceof FormData);
    assert.equal(form.get('app_screen'), 'scan_id_document_back_screen');
    assert.equal(form.get('document_type'), 'id_card');
    const media = form.get('media');
    assert.ok(media instanceof Blob);
    assert.deepEqual(new Uint8Array(await media.arrayBuffer()), bytes(1000));
    assert.equal(f.requests[3]!.headers['content-type'], undefined);
    assert.deepEqual(body(5), { liveness_id: 'liv_1', frames: [Buffer.from(bytes(10, 1)).toString('base64'), Buffer.from(bytes(11, 2)).toString('base64')] });
    assert.deepEqual(body(6), { document_base64_strict: Buffer.from(bytes(20)).toString('base64'), latitude: 59.3, longitude: 18.1 });
    assert.deepEqual(body(7), { document_base64_strict: Buffer.from(bytes(21)).toString('base64'), funds_type: 'payslip' });
    assert.deepEqual(body(8), { document_base64_strict: Buffer.from(bytes(22)).toString('base64') });
    assert.deepEqual(body(9), { phone_number: '+447700900123', country_code: 'GB' });
    assert.deepEqual(body(10), { code: '123456' });
    assert.deepEqual(body(11), { email_address: 'ada@example.com' });
    assert.equal(f.requests[5]!.headers['content-type'], 'application/json');
    assert.equal(f.requests.some((r) => 'authorization' in r.headers), false, 'the session id is the capability: no key');
  });

  it('maps §3 errors: type, message, details, request id, and retryable by status', async () => {
    const table: Array<[number, string, boolean]> = [
      [400, 'invalid_request', false], [401, 'authentication_error', false], [403, 'permission_denied', false],
      [404, 'not_found', false], [409, 'step_not_expected', false], [410, 'session_gone', false],
      [413, 'payload_too_large', false], [415, 'unsupported_media_type', false], [422, 'validation_error', false],
      [429, 'rate_limited', true], [500, 'internal_error', true], [503, 'internal_error', true],
    ];
    for (const [status, type, retryable] of table) {
      const { f, rest } = setup();
      f.routes[`PATCH ${BASE}/phone_verification`] = () => ({
        status,
        body: { error: { type, message: `m${status}`, details: { attempts_left: 2 }, request_id: 'req_abc' } },
      });
      const error = await rejection(rest.phoneCheck('000000'));
      assert.deepEqual(
        { type: error.type, status: error.status, retryable: error.retryable, message: error.message, details: error.details, requestId: error.requestId },
        { type, status, retryable, message: `m${status}`, details: { attempts_left: 2 }, requestId: 'req_abc' },
      );
    }
  });

  it('honours Retry-After (seconds or a date), and maps bodies that are not ours by status', async () => {
    const { f, rest, clock } = setup();
    f.routes[`POST ${BASE}/phone_verification`] = () => ({
      status: 429, headers: { 'retry-after': '42' }, body: { error: { type: 'rate_limited', message: 'slow down', request_id: 'r' } },
    });
    assert.equal((await rejection(rest.phoneSend('+447700900123'))).retryAfterMs, 42_000);
    assert.equal(parseRetryAfter(new Date(clock.now() + 5000).toUTCString(), clock.now()), 5000);
    assert.equal(parseRetryAfter('soon', 0), undefined);

    f.routes[`GET ${BASE}/preflight`] = () => ({ status: 502, body: '<html>bad gateway</html>' });
    const gateway = await rejection(rest.preflight());
    assert.deepEqual([gateway.type, gateway.retryable, gateway.status], ['internal_error', true, 502]);
    f.routes[`POST ${BASE}/media`] = () => ({ status: 413, body: '' });
    const tooLarge = await rejection(rest.media(new Blob([bytes(5)]), 'scan_id_document_front_screen'));
    assert.deepEqual([tooLarge.type, tooLarge.retryable], ['payload_too_large', false]);
    f.routes[`GET ${BASE}`] = () => ({ status: 200, body: 'not json' });
    const junk = await rejection(rest.show());
    assert.deepEqual([junk.type, junk.retryable], ['invalid_response', true]);
  });

  it('network failures and hung reads are retryable network errors', async () => {
    const { f, rest, clock } = setup();
    f.routes[`PATCH ${BASE}/consent`] = () => {
      throw new TypeError('Failed to fetch');
    };
    const offline = await rejection(rest.consent(true));
    assert.deepEqual([offline.type, offline.retryable, offline.status], ['network_error', true, undefined]);

    // A read that never answers is aborted after the read timeout (30 s), so polling cannot stall on it.
    const hung = createRestClient({
      apiBaseUrl: 'https://kyc.example', sessionId: ID, clock,
      fetch: ((_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch,
    });
    const pending = rejection(hung.preflight());
    await clock.advance(29_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.advance(0);
    assert.equal(settled, false);
    await clock.advance(1);
    const error = await pending;
    assert.deepEqual([error.type, error.retryable], ['network_error', true]);
  });
});
