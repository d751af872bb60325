// Bad input on every JSON endpoint (protocol §3): malformed JSON, wrong types, bad base64, oversized bodies, files
// that are not what they claim, multipart uploads, unknown routes and ids — each a 4xx with the §3 body, never a 500.
// This file's server takes at most 200 000 decoded bytes per upload, so the size limits are cheap to hit.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorBody, mediaAccepted, type ErrorType } from '@tessera/protocol';
import { handMadePdf } from '../captures/capture-fixtures.ts';
import { assertError, assertStatus, b64, blob, exact, jpeg, png, send, sessionApi, type ApiResponse } from '../testing/http-test-kit.ts';
import { startTestServer, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';

const MAX_UPLOAD = 200_000;
const FRONT = 'scan_id_document_front_screen';

describe('bad input', () => {
  let t: TestServer;
  let s: ReturnType<typeof sessionApi>;
  let id: string; // a session on the front screen, kept there: every upload below is refused
  before(async () => {
    t = await startTestServer({ TESSERA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });
    s = sessionApi(t);
    id = await s.create();
    assertStatus(await s.consent(id), 200);
  });
  after(() => t.close());

  /** Every JSON endpoint, with the key it needs. */
  const jsonEndpoints = (): [string, string, string?][] => [
    ['POST', '/v1/sessions', TEST_KEYS.public],
    ['POST', `/v1/sessions/${id}`, TEST_KEYS.private],
    ['PATCH', `/v1/sessions/${id}/consent`],
    ['POST', `/v1/sessions/${id}/media`],
    ['POST', `/v1/sessions/${id}/liveness/complete`],
    ['POST', `/v1/sessions/${id}/address_verification`],
    ['POST', `/v1/sessions/${id}/funds_verification`],
    ['POST', `/v1/sessions/${id}/nfc`],
    ['POST', '/v1/nfc'],
    ['POST', `/v1/sessions/${id}/decision`, TEST_KEYS.private],
    ['POST', '/v1/kyc_levels', TEST_KEYS.private],
    ['PATCH', '/v1/kyc_levels/basic', TEST_KEYS.private],
  ];
  const raw = (method: string, path: string, body: string, key?: string, type = 'application/json') =>
    send(t.url, method, path, { body, headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) } });

  it('malformed JSON → 400 on every JSON endpoint', async () => {
    for (const [method, path, key] of jsonEndpoints()) {
      for (const body of ['{', '{"kyc_level": "basic",}', "{'a': 1}", '', '{"__proto__": {"polluted": true}}']) {
        assertError(await raw(method, path, body, key), 400, 'invalid_request');
      }
    }
  });

  it('wrong types → 400 on every JSON endpoint', async () => {
    const cases: [string, string, unknown, string?][] = [
      ['POST', '/v1/sessions', { kyc_level: 5 }, TEST_KEYS.public],
      ['POST', '/v1/sessions', { kyc_level: 'basic', generate_qr: 'yes' }, TEST_KEYS.public],
      ['POST', '/v1/sessions', { kyc_level: 'basic', expires_in: '3600' }, TEST_KEYS.public],
      ['POST', '/v1/sessions', [{ kyc_level: 'basic' }], TEST_KEYS.public],
      ['POST', `/v1/sessions/${id}`, { first_name: ['Ada'] }, TEST_KEYS.private],
      ['PATCH', `/v1/sessions/${id}/consent`, { gives_consent: 'true' }],
      ['POST', `/v1/sessions/${id}/media`, { media_base64_strict: 5, app_screen: FRONT }],
      ['POST', `/v1/sessions/${id}/media`, { app_screen: FRONT }],
      ['POST', `/v1/sessions/${id}/liveness/complete`, { liveness_id: 7, frames: [] }],
      ['POST', `/v1/sessions/${id}/liveness/complete`, { liveness_id: 'liv_x', frames: 'AAAA' }],
      ['POST', `/v1/sessions/${id}/address_verification`, { document_base64_strict: 'AAAA', latitude: 'north' }],
      ['POST', `/v1/sessions/${id}/funds_verification`, { document_base64_strict: 7 }],
      ['POST', `/v1/sessions/${id}/nfc`, { rawDG1: 1, rawDG2: 'AAAA', rawSOD: 'AAAA' }],
      ['POST', `/v1/sessions/${id}/decision`, { decision: true }, TEST_KEYS.private],
      ['POST', '/v1/kyc_levels', { name: 'typed', steps: 'all' }, TEST_KEYS.private],
      ['PATCH', '/v1/kyc_levels/basic', { show_result: 'yes' }, TEST_KEYS.private],
    ];
    for (const [method, path, body, key] of cases) assertError(await s.call(method, path, { body, ...(key ? { key } : {}) }), 400, 'invalid_request');
  });

  it('bad base64 (data: prefix, line breaks, base64url, garbage, no padding) → 400 on every capture field', async () => {
    const good = b64(await jpeg());
    const bad = [`data:image/jpeg;base64,${good}`, `${good.slice(0, 76)}\n${good.slice(76)}`, `${good.slice(0, 76)}\r\n${good.slice(76)}`, 'ab-_cd==', '!!!!not base64', 'AAA', ' AAAA'];
    for (const value of bad) {
      const bodies: [string, object][] = [
        [`/v1/sessions/${id}/media`, { media_base64_strict: value, app_screen: FRONT, document_type: 'passport' }],
        [`/v1/sessions/${id}/liveness/complete`, { liveness_id: 'liv_x', frames: [good, value] }],
        [`/v1/sessions/${id}/liveness/complete`, { liveness_id: 'liv_x', video_base64_strict: value }],
        [`/v1/sessions/${id}/address_verification`, { document_base64_strict: value }],
        [`/v1/sessions/${id}/funds_verification`, { document_base64_strict: value }],
        [`/v1/sessions/${id}/nfc`, { rawDG1: value, rawDG2: good, rawSOD: good }],
      ];
      for (const [path, body] of bodies) assertError(await s.call('POST', path, { body }), 400, 'invalid_request');
    }
  });

  it('oversized: bodies past the route limit and captures past TESSERA_MAX_UPLOAD_BYTES → 413', async () => {
    const tooBig = randomBytes(MAX_UPLOAD + 10_000); // decodes past the limit; its JSON body is still under the route's
    assertError(await s.media(id, tooBig, FRONT, { document_type: 'passport' }), 413, 'payload_too_large');
    const hugeBody = { media_base64_strict: b64(randomBytes(MAX_UPLOAD * 2)), app_screen: FRONT };
    assertError(await s.call('POST', `/v1/sessions/${id}/media`, { body: hugeBody }), 413, 'payload_too_large');
    assertError(await s.call('POST', `/v1/sessions/${id}/address_verification`, { body: { document_base64_strict: b64(tooBig) } }), 413, 'payload_too_large');
    assertError(await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', vendor_data: 'x'.repeat(300_000) } }), 413, 'payload_too_large');
    const form = new FormData();
    form.append('app_screen', FRONT);
    form.append('media', blob(tooBig, 'image/jpeg'), 'big.jpg');
    assertError(await send(t.url, 'POST', `/v1/sessions/${id}/media`, { body: form }), 413, 'payload_too_large');
    assert.equal((await s.preflight(id)).screen.show, FRONT, 'nothing was taken');
  });

  it('the type comes from the bytes: text and truncated JPEG → 415, a PNG declared as anything is a PNG', async () => {
    const text = Buffer.from('name,passport\nAda,123456789\n'.repeat(20));
    const full = await jpeg(640, 400);
    const truncated = full.subarray(0, Math.floor(full.length * 0.6));
    for (const bytes of [text, truncated, Buffer.concat([full.subarray(0, 3), Buffer.from('not an image')]), Buffer.from('%PDF-1.4 truncated')]) {
      assertError(await s.media(id, bytes, FRONT, { document_type: 'passport' }), 415, 'unsupported_media_type');
    }
    assertError(await s.media(id, text, 'scan_id_document_front_screen', { document_type: 'passport', file_name: 'scan.jpg' }), 415, 'unsupported_media_type');

    for (const declared of ['image/jpeg', 'application/pdf', 'text/plain', 'application/octet-stream']) {
      const fresh = await s.create();
      assertStatus(await s.consent(fresh), 200);
      const form = new FormData();
      form.append('app_screen', FRONT);
      form.append('document_type', 'passport');
      form.append('media', blob(await png(), declared), declared === 'text/plain' ? 'notes.txt' : 'scan.jpg');
      const accepted = exact(mediaAccepted, assertStatus(await send(t.url, 'POST', `/v1/sessions/${fresh}/media`, { body: form }), 202));
      const { rows } = await t.server.deps.db.query<{ content_type: string }>('SELECT content_type FROM media WHERE id = $1', [accepted.media_id]);
      assert.equal(rows[0]!.content_type, 'image/png');
    }
    const pdfSession = await s.create();
    assertStatus(await s.consent(pdfSession), 200);
    assertStatus(await s.media(pdfSession, handMadePdf(1), FRONT, { document_type: 'passport', file_name: 'photo.png' }), 202);
  });

  it('multipart upload of media → 202; a broken form → 400', async () => {
    const form = (parts: Record<string, string | Blob>) => {
      const f = new FormData();
      for (const [name, value] of Object.entries(parts)) f.append(name, value);
      return f;
    };
    const photo = blob(await jpeg(), 'image/jpeg');
    const fresh = await s.create();
    assertStatus(await s.consent(fresh), 200);
    const ok = await send(t.url, 'POST', `/v1/sessions/${fresh}/media`, { body: form({ app_screen: FRONT, document_type: 'passport', media: photo }) });
    assert.equal(exact(mediaAccepted, assertStatus(ok, 202)).app_screen, FRONT);
    await s.waitForScreen(fresh, 'liveness_screen');

    const path = `/v1/sessions/${id}/media`;
    assertError(await send(t.url, 'POST', path, { body: form({ document_type: 'passport', media: photo }) }), 400, 'invalid_request');
    assertError(await send(t.url, 'POST', path, { body: form({ app_screen: FRONT, document_type: 'passport', photo }) }), 400, 'invalid_request');
    assertError(await send(t.url, 'POST', path, { body: form({ app_screen: FRONT }) }), 400, 'invalid_request');
    const broken = '--b\r\nContent-Disposition: form-data; name="app_screen"\r\n\r\nscan_id';
    assertError(await raw('POST', path, broken, undefined, 'multipart/form-data; boundary=b'), 400, 'invalid_request');
  });

  it('unknown routes and impossible ids → 404 with the §3 body', async () => {
    const cases: [string, string, string?][] = [
      ['GET', '/nope'], ['GET', '/v1'], ['GET', `/v1/sessions/${id}/nope`], ['POST', '/v1/sessions/x/y/z'], ['PUT', '/v1/sessions'],
      ['GET', '/v1/sessions/short'], ['GET', `/v1/sessions/${id}x/preflight`], ['GET', `/v1/sessions/${id.slice(0, 23)}-/preflight`],
      ['PATCH', '/v1/sessions/not-a-session-id-at-all!/consent?gives_consent=true'], ['POST', '/v1/sessions/%E2%9C%93%E2%9C%93/liveness/start'],
      ['GET', '/v1/kyc_levels/no_such_level', TEST_KEYS.private], ['GET', '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', TEST_KEYS.private],
      ['GET', '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA'], ['GET', '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/preflight'],
      ['PATCH', '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/consent?gives_consent=true'], ['POST', '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/liveness/start'],
    ];
    for (const [method, path, key] of cases) assertError(await s.call(method, path, key ? { key } : {}), 404, 'not_found');
    assertError(await s.call('POST', '/v1/nfc', { body: { session_id: '../etc', rawDG1: 'AAAA', rawDG2: 'AAAA', rawSOD: 'AAAA' } }), 404, 'not_found');
  });

  it('never a 500: a table of odd requests all answer 4xx with the §3 body', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: [string, string, { body?: unknown; key?: string; headers?: Record<string, string> }][] = [
      ['GET', `/v1/sessions?cursor=${cursor(['1', 'x'])}`, { key: TEST_KEYS.private }],
      ['GET', `/v1/sessions?cursor=${cursor(['Tue Jan 01 2030', 'x'])}`, { key: TEST_KEYS.private }],
      ['GET', `/v1/sessions?cursor=${cursor({ a: 1 })}`, { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?cursor=%FF%FE', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?limit=abc&status=nope', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?limit=100000', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?status=started&status=canceled', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?created_after=yesterday', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?unique_id=a%00b', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions?surprise=1', { key: TEST_KEYS.private }],
      ['GET', '/v1/kyc_levels/a%00b', { key: TEST_KEYS.private }],
      ['PATCH', '/v1/kyc_levels/a%00b', { key: TEST_KEYS.private, body: { show_result: true } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'ba\u0000sic' } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', unique_id: 'nul\u0000byte' } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', first_name: 'x'.repeat(5000) } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', phone_number: '07700 900123', email_address: 'nope', i18n: 'english!' } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', expires_in: 10 ** 12 } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { 'idempotency-key': '' }, body: { kyc_level: 'basic' } }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { 'content-type': 'application/xml' }, body: '<kyc/>' }],
      ['POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { 'content-type': 'text/plain' }, body: 'kyc_level=basic' }],
      ['POST', '/v1/sessions', { headers: { authorization: 'Basic %%%' }, body: { kyc_level: 'basic' } }],
      ['POST', `/v1/sessions/${id}`, { key: TEST_KEYS.private, body: { unique_id: 'nul\u0000byte' } }],
      ['POST', `/v1/sessions/${id}/decision`, { key: TEST_KEYS.private, body: { decision: 'approved', reason: 'nul\u0000' } }],
      ['POST', '/v1/kyc_levels', { key: TEST_KEYS.private, body: { name: 'Bad Name', steps: [{ type: 'liveness' }] } }],
      ['POST', '/v1/kyc_levels', { key: TEST_KEYS.private, body: { name: 'twice', steps: [{ type: 'liveness' }, { type: 'liveness' }] } }],
      ['POST', '/v1/kyc_levels', { key: TEST_KEYS.private, body: { name: 'camera', steps: [{ type: 'liveness', screen: { camera: 'side' } }] } }],
      ['PATCH', '/v1/kyc_levels/basic', { key: TEST_KEYS.private, body: { steps: [] } }],
      ['PATCH', `/v1/sessions/${id}/consent?gives_consent=yes`, {}],
      ['PATCH', `/v1/sessions/${id}/consent?gives_consent=true&gives_consent=false`, {}],
      ['POST', `/v1/sessions/${id}/media`, { body: { media_base64_strict: 'AAAA', app_screen: 'somewhere_screen' } }],
      ['POST', `/v1/sessions/${id}/media`, { body: { media_base64_strict: 'AAAA', app_screen: FRONT, document_type: 'library_card' } }],
      ['POST', `/v1/sessions/${id}/media`, { body: { media_base64_strict: 'AAAA', app_screen: FRONT, document_type: 'passport' } }],
      ['POST', `/v1/sessions/${id}/liveness/complete`, { body: { liveness_id: 'liv_x', frames: Array(31).fill('AAAA') } }],
      ['POST', `/v1/sessions/${id}/liveness/complete`, { body: { liveness_id: 'liv_x', frames: ['AAAA'], video_base64_strict: 'AAAA' } }],
      ['POST', `/v1/sessions/${id}/nfc`, { body: { rawDG1: 'AAAA', rawDG2: 'AAAA', rawSOD: 'AAAA' } }],
      ['POST', '/v1/nfc', { body: null }],
      ['POST', '/v1/nfc', { body: [] }],
      ['GET', `/v1/sessions/${id}/media/media_${'A'.repeat(24)}`, { key: TEST_KEYS.private }],
      ['DELETE', '/v1/kyc_levels/basic', { key: TEST_KEYS.private }],
      ['GET', '/v1/sessions/%', {}],
      ['POST', '/cable', { body: {} }],
      ['OPTIONS', '/nowhere', { headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } }],
    ];
    const failures: string[] = [];
    for (const [method, path, options] of cases) {
      const res: ApiResponse = await s.call(method, path, options);
      const shape = errorBody.safeParse(res.body);
      if (res.status >= 500 || res.status < 400 || !shape.success) failures.push(`${method} ${path} ${JSON.stringify(options.body ?? '').slice(0, 60)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else assert.equal(shape.data.error.type satisfies ErrorType, shape.data.error.type);
    }
    assert.deepEqual(failures, []);
  });
});
