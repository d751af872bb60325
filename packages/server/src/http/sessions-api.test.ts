// Protocol §4.1–§4.3 and the session list of §4.13 over real HTTP: create, show, update, cancel, list, expiry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sessionApplicantView, sessionCreated, sessionList, sessionPrivateView } from '@tessera/protocol';
import { assertError, assertStatus, exact, expireInDb, serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';

const SESSION_ID = /^[0-9A-Za-z]{24}$/;

const { t, s } = await serverForFile();

describe('sessions API', () => {

  const show = (id: string, key?: string) => s.call('GET', `/v1/sessions/${id}`, key ? { key } : {});
  const listBy = async (query: string) => exact(sessionList, assertStatus(await s.call('GET', `/v1/sessions?${query}`, { key: TEST_KEYS.private }), 200));

  it('create: 201 with the §4.1 body, from a public or a private key', async () => {
    for (const key of [TEST_KEYS.public, TEST_KEYS.private]) {
      const started = Date.now();
      const res = await s.call('POST', '/v1/sessions', { key, body: { kyc_level: 'basic', unique_id: 'u-create', first_name: 'Ada', i18n: 'sv' } });
      const body = exact(sessionCreated, assertStatus(res, 201));
      assert.match(body.session_id, SESSION_ID);
      assert.equal(body.url, `${t.url}/verify/${body.session_id}`);
      assert.equal(body.websocket_url, `${t.wsUrl}?session_id=${body.session_id}`);
      assert.equal(body.status, 'created');
      assert.equal(body.web_sdk_return_url, null);
      assert.equal(body.qr_base64_png, undefined);
      const lifetime = Date.parse(body.expires_at) - started;
      assert.ok(Math.abs(lifetime - 7 * 24 * 3600_000) < 60_000, `default expiry is the level's 7 days, got ${lifetime} ms`);
    }
  });

  it('create: empty strings count as absent (what the Bynn Web SDK sends)', async () => {
    const empty = { unique_id: '', first_name: '', last_name: '', email_address: '', phone_number: '', phone_country: '', i18n: '', generate_qr: '', vendor_data: '', web_sdk_return_url: '', expires_in: '' };
    const res = await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { 'x-origin': 'js-sdk' }, body: { kyc_level: 'basic', ...empty } });
    const created = exact(sessionCreated, assertStatus(res, 201));
    assert.equal(created.qr_base64_png, undefined);
    const view = exact(sessionPrivateView, assertStatus(await show(created.session_id, TEST_KEYS.private), 200));
    assert.equal(view.i18n, 'en');
    assert.deepEqual(Object.values(view.applicant), Object.values(view.applicant).map(() => null));
  });

  it('create: an unknown kyc_level → 404; a session id is 24 base62 characters, all distinct', async () => {
    assertError(await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'no_such_level' } }), 404, 'not_found', /kyc_level/);
    const ids = await Promise.all(Array.from({ length: 10 }, () => s.create()));
    for (const id of ids) assert.match(id, SESSION_ID);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('create: generate_qr answers a PNG of the flow url', async () => {
    const res = await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'basic', generate_qr: true } });
    const { qr_base64_png } = exact(sessionCreated, assertStatus(res, 201));
    assert.ok(qr_base64_png);
    const bytes = Buffer.from(qr_base64_png, 'base64');
    assert.equal(bytes.toString('base64'), qr_base64_png, 'strict base64, no data: prefix');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('Idempotency-Key: same body → same answer; another body → 409; 20 at once → one session', async () => {
    const post = (key: string, body: object) => s.call('POST', '/v1/sessions', { key: TEST_KEYS.private, headers: { 'idempotency-key': key }, body });
    const first = exact(sessionCreated, assertStatus(await post('idem-1', { kyc_level: 'basic', unique_id: 'idem-1' }), 201));
    const again = exact(sessionCreated, assertStatus(await post('idem-1', { kyc_level: 'basic', unique_id: 'idem-1' }), 201));
    assert.deepEqual(again, first);
    assertError(await post('idem-1', { kyc_level: 'basic', unique_id: 'other' }), 409, 'idempotency_conflict');
    // A public key (it is public) never replays what the private key created: that would hand out the session id.
    const byPublic = await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, headers: { 'idempotency-key': 'idem-1' }, body: { kyc_level: 'basic', unique_id: 'idem-1' } });
    assert.notEqual(exact(sessionCreated, assertStatus(byPublic, 201)).session_id, first.session_id);
    const sandbox = await s.call('POST', '/v1/sessions', { key: TEST_KEYS.sandboxPrivate, headers: { 'idempotency-key': 'idem-1' }, body: { kyc_level: 'basic', unique_id: 'idem-1' } });
    assert.notEqual(exact(sessionCreated, assertStatus(sandbox, 201)).session_id, first.session_id);
    assertError(await post('x'.repeat(300), { kyc_level: 'basic' }), 400, 'invalid_request', /Idempotency-Key/);

    const answers = await Promise.all(Array.from({ length: 20 }, () => post('idem-burst', { kyc_level: 'basic', unique_id: 'idem-burst' })));
    const ids = new Set(answers.map((res) => exact(sessionCreated, assertStatus(res, 201)).session_id));
    assert.equal(ids.size, 1);
    const listed = await listBy('unique_id=idem-burst');
    assert.deepEqual(listed.data.map((v) => v.session_id), [...ids]);
  });

  it('show: applicant view without a key or with a public key, private view with a private key, 403 across modes', async () => {
    const id = await s.create({ unique_id: 'u-show', first_name: 'Ada', email_address: 'ada@example.com', phone_number: '+447700900123', vendor_data: 'v1', i18n: 'en-US' });
    for (const key of [undefined, TEST_KEYS.public, TEST_KEYS.sandboxPublic]) {
      const view = exact(sessionApplicantView, assertStatus(await show(id, key), 200));
      assert.equal(view.session_id, id);
      assert.equal(view.i18n, 'en-US');
      assert.deepEqual(view.consent, { given: null, at: null, version: null });
      assert.deepEqual(view.steps.map((step) => [step.requirement_type, step.status, step.flow_order]), [['identity_document', 'awaiting_receipt', 100], ['liveness', 'awaiting_receipt', 200]]);
    }
    const full = exact(sessionPrivateView, assertStatus(await show(id, TEST_KEYS.private), 200));
    assert.deepEqual(full.applicant, { unique_id: 'u-show', first_name: 'Ada', last_name: null, email_address: 'ada@example.com', phone_number: '+447700900123', phone_country: null, country_code: null, vendor_data: 'v1' });
    assert.equal(full.events.url, `/v1/sessions/${id}/events`);
    assert.equal(full.kyc_level, 'basic');
    assert.equal(full.mode, 'live');
    assertError(await show(id, TEST_KEYS.sandboxPrivate), 403, 'permission_denied');
    assertError(await show('A'.repeat(24)), 404, 'not_found');
  });

  it('update: private key only; changes applicant fields, never kyc_level', async () => {
    const id = await s.create({ first_name: 'Ada' });
    const body = { last_name: 'Lovelace', country_code: 'gb', web_sdk_return_url: 'https://example.com/back', first_name: '' };
    assertError(await s.call('POST', `/v1/sessions/${id}`, { body }), 401, 'authentication_error');
    assertError(await s.call('POST', `/v1/sessions/${id}`, { key: TEST_KEYS.public, body }), 401, 'authentication_error');
    assertError(await s.call('POST', `/v1/sessions/${id}`, { key: TEST_KEYS.sandboxPrivate, body }), 403, 'permission_denied');
    assertError(await s.call('POST', `/v1/sessions/${id}`, { key: TEST_KEYS.private, body: { kyc_level: 'full' } }), 400, 'invalid_request');
    const view = exact(sessionPrivateView, assertStatus(await s.call('POST', `/v1/sessions/${id}`, { key: TEST_KEYS.private, body }), 200));
    assert.equal(view.applicant.first_name, 'Ada', "'' leaves a field as it was");
    assert.equal(view.applicant.last_name, 'Lovelace');
    assert.equal(view.applicant.country_code, 'GB');
    assert.equal(view.web_sdk_return_url, 'https://example.com/back');
    assert.equal(view.kyc_level, 'basic');
  });

  it('cancel: private key only; pushes cancel_screen; then 410 for the applicant, 200 for the private key', async () => {
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    const before = await s.preflight(id);
    assertError(await s.call('DELETE', `/v1/sessions/${id}`), 401, 'authentication_error');
    assertError(await s.call('DELETE', `/v1/sessions/${id}`, { key: TEST_KEYS.public }), 401, 'authentication_error');
    assertError(await s.call('DELETE', `/v1/sessions/${id}`, { key: TEST_KEYS.sandboxPrivate }), 403, 'permission_denied');
    const canceled = exact(sessionPrivateView, assertStatus(await s.call('DELETE', `/v1/sessions/${id}`, { key: TEST_KEYS.private }), 200));
    assert.equal(canceled.status, 'canceled');
    const after = await s.preflight(id);
    assert.equal(after.screen.show, 'cancel_screen');
    assert.equal(after.extra_data.result, 'canceled');
    assert.ok(after.sequence > before.sequence);
    assertError(await show(id), 410, 'session_gone');
    assert.equal(exact(sessionPrivateView, assertStatus(await show(id, TEST_KEYS.private), 200)).status, 'canceled');
    assertError(await s.media(id, Buffer.from('irrelevant')), 410, 'session_gone');
    assertError(await s.call('POST', `/v1/sessions/${id}/liveness/start`), 410, 'session_gone');
    assertError(await s.consent(id), 410, 'session_gone');
    assertError(await s.call('DELETE', `/v1/sessions/${id}`, { key: TEST_KEYS.private }), 410, 'session_gone');
  });

  it('list: filters by status, kyc_level and unique_id; cursor pages return every session once', async () => {
    const tag = `list-${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await s.create({ unique_id: tag }));
    const full = await s.create({ unique_id: tag, kyc_level: 'full' });
    assertStatus(await s.consent(ids[0]!), 200);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: { session_id: string }[]; next_cursor: string | null; has_more: boolean } = await listBy(`unique_id=${tag}&kyc_level=basic&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.data.length <= 2);
      assert.equal(page.has_more, page.next_cursor !== null);
      seen.push(...page.data.map((v) => v.session_id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    assert.deepEqual(seen, [...ids].reverse(), 'newest first');

    assert.deepEqual((await listBy(`unique_id=${tag}&status=started`)).data.map((v) => v.session_id), [ids[0]]);
    assert.deepEqual((await listBy(`unique_id=${tag}&kyc_level=full`)).data.map((v) => v.session_id), [full]);
    assert.equal((await listBy(`unique_id=${tag}&status=approved`)).data.length, 0);
    assert.equal((await listBy(`unique_id=${tag}`)).data.length, 6);
    assert.equal((await listBy(`unique_id=${tag}&created_after=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`)).data.length, 6);
    assert.equal((await listBy(`unique_id=${tag}&created_after=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).data.length, 0);
    assertError(await s.call('GET', '/v1/sessions', { key: TEST_KEYS.public }), 401, 'authentication_error');
    assert.equal((await s.call('GET', `/v1/sessions?unique_id=${tag}`, { key: TEST_KEYS.sandboxPrivate })).body.data.length, 0, 'sandbox sees no live sessions');
  });

  it('expiry: past expires_at the applicant gets cancel_screen (result expired, newer sequence) and 410', async () => {
    const id = await s.create({ expires_in: 60 });
    const created = exact(sessionPrivateView, assertStatus(await show(id, TEST_KEYS.private), 200));
    assert.ok(Math.abs(Date.parse(created.expires_at) - Date.now() - 60_000) < 10_000);
    assertStatus(await s.consent(id), 200);
    const before = await s.preflight(id);
    await expireInDb(t, id);
    const expired = await s.preflight(id);
    assert.equal(expired.screen.show, 'cancel_screen');
    assert.equal(expired.extra_data.result, 'expired');
    assert.ok(expired.sequence > before.sequence, 'a new screen carries a higher sequence, or clients drop it (§5)');
    assertError(await show(id), 410, 'session_gone');
    assertError(await s.media(id, Buffer.from('irrelevant')), 410, 'session_gone');
    assertError(await s.call('POST', `/v1/sessions/${id}/liveness/start`), 410, 'session_gone');
    assertError(await s.consent(id, false), 410, 'session_gone');
    const view = exact(sessionPrivateView, assertStatus(await show(id, TEST_KEYS.private), 200));
    assert.equal(view.status, 'expired');
    const events = assertStatus(await s.call('GET', `/v1/sessions/${id}/events`, { key: TEST_KEYS.private }), 200) as { data: { event_type: string }[] };
    assert.equal(events.data.filter((e) => e.event_type === 'session.expired').length, 1);
  });
});
