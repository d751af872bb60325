// /v1/kyc_levels (protocol §4.13): the built-in levels, creating with defaults, editing, and the snapshot a
// session keeps of the level it was created on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kycLevel, type KycLevel, sessionCreated, sessionPrivateView } from '@tessera/protocol';
import { z } from 'zod';
import { assertError, assertStatus, exact, jpeg, serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';

const levelList = z.object({ data: z.array(kycLevel) });
const orders = (level: KycLevel) => level.steps.map((step) => [step.type, step.flow_order]);

const { t, s } = await serverForFile();

describe('levels API', () => {

  const levels = (method: string, path: string, body?: unknown, key: string = TEST_KEYS.private) =>
    s.call(method, `/v1/kyc_levels${path}`, { key, ...(body === undefined ? {} : { body }) });

  it('lists the built-in levels full, basic and contact in their flow order', async () => {
    const { data } = exact(levelList, assertStatus(await levels('GET', ''), 200));
    const byName = new Map(data.map((level) => [level.name, level]));
    assert.deepEqual(orders(byName.get('full')!), [
      ['identity_document', 100], ['liveness', 200], ['proof_of_address', 300], ['proof_of_funds', 400], ['phone_verification', 500], ['email_verification', 600],
    ]);
    assert.deepEqual(orders(byName.get('basic')!), [['identity_document', 100], ['liveness', 200]]);
    assert.deepEqual(orders(byName.get('contact')!), [['phone_verification', 500], ['email_verification', 600]]);
    for (const level of data) assert.match(level.id, /^lvl_[0-9A-Za-z]{24}$/);
    assert.deepEqual(exact(kycLevel, assertStatus(await levels('GET', '/basic'), 200)), byName.get('basic'));
    assert.deepEqual(exact(kycLevel, assertStatus(await levels('GET', `/${byName.get('basic')!.id}`), 200)), byName.get('basic'));
  });

  it('a public key or none → 401 on every level call', async () => {
    for (const key of [TEST_KEYS.public, TEST_KEYS.sandboxPublic]) {
      assertError(await levels('GET', '', undefined, key), 401, 'authentication_error');
      assertError(await levels('GET', '/basic', undefined, key), 401, 'authentication_error');
      assertError(await levels('POST', '', { name: 'by_public', steps: [{ type: 'liveness' }] }, key), 401, 'authentication_error');
      assertError(await levels('PATCH', '/basic', { show_result: true }, key), 401, 'authentication_error');
    }
    assertError(await s.call('GET', '/v1/kyc_levels'), 401, 'authentication_error');
  });

  it('create fills the defaults; a duplicate name → 422; unknown fields → 400', async () => {
    const res = await levels('POST', '', { name: 'doc_only', steps: [{ type: 'identity_document' }, { type: 'liveness', screen: { title: 'Smile' } }] });
    const level = exact(kycLevel, assertStatus(res, 201));
    assert.match(level.id, /^lvl_[0-9A-Za-z]{24}$/);
    assert.deepEqual(orders(level), [['identity_document', 100], ['liveness', 200]]);
    assert.deepEqual(level.steps[0]!.screen, { camera: 'back', camera_quality: 'ultra', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null });
    assert.deepEqual(level.steps[1]!.screen, { camera: 'front', camera_quality: 'high', allow_manual_upload: false, multipage: false, autocapture: true, title: 'Smile', text: null });
    assert.deepEqual(
      { ...level, id: '', steps: [], created_at: '', updated_at: '' },
      { id: '', name: 'doc_only', steps: [], accepted_document_types: ['passport', 'id_card', 'drivers_license', 'residence_permit'], web_sdk_return_url: null, expires_in: 604_800, show_result: false, consent_version: '2026-01', created_at: '', updated_at: '' },
    );
    assertError(await levels('POST', '', { name: 'doc_only', steps: [{ type: 'liveness' }] }), 422, 'validation_error', /exists/);
    assertError(await levels('POST', '', { name: 'extra', steps: [{ type: 'liveness' }], colour: 'red' }), 400, 'invalid_request');
    assertError(await levels('POST', '', { name: 'same_order', steps: [{ type: 'liveness', flow_order: 5 }, { type: 'nfc', flow_order: 5 }] }), 422, 'validation_error');
    assertError(await levels('PATCH', '/no_such_level', { show_result: true }), 404, 'not_found');
    assertError(await levels('PATCH', '/doc_only', { name: 'renamed' }), 400, 'invalid_request');
  });

  it('the flow follows flow_order, not the order written', async () => {
    const res = await levels('POST', '', { name: 'selfie_first', steps: [{ type: 'identity_document', flow_order: 20 }, { type: 'liveness', flow_order: 10 }] });
    assertStatus(res, 201);
    const id = await s.create({ kyc_level: 'selfie_first' });
    assertStatus(await s.consent(id), 200);
    const first = await s.preflight(id);
    assert.equal(first.screen.show, 'liveness_screen');
    assert.equal(first.entity_id_state, 'awaiting_liveness');
    assert.deepEqual(first.requirement, { requirement_type: 'liveness', status: 'awaiting_receipt', flow_order: 10 });
  });

  it('PATCH changes the level for new sessions; a session created before keeps its snapshot', async () => {
    assertStatus(await levels('POST', '', { name: 'editable', steps: [{ type: 'identity_document' }, { type: 'liveness' }] }), 201);
    const before = await s.create({ kyc_level: 'editable' });
    const patched = exact(kycLevel, assertStatus(await levels('PATCH', '/editable', {
      steps: [{ type: 'identity_document', screen: { title: 'Your passport' } }], accepted_document_types: ['passport'], show_result: true,
      expires_in: 3600, web_sdk_return_url: 'https://shop.example/done',
    }), 200));
    assert.deepEqual(orders(patched), [['identity_document', 100]]);
    assert.equal(patched.consent_version, '2026-01', 'fields not named keep their value');
    assert.ok(Date.parse(patched.updated_at) >= Date.parse(patched.created_at));
    assert.deepEqual(exact(kycLevel, assertStatus(await levels('GET', '/editable'), 200)), patched);

    const created = exact(sessionCreated, assertStatus(await s.call('POST', '/v1/sessions', { key: TEST_KEYS.public, body: { kyc_level: 'editable' } }), 201));
    assert.equal(created.web_sdk_return_url, 'https://shop.example/done');
    assert.ok(Math.abs(Date.parse(created.expires_at) - Date.now() - 3600_000) < 60_000);
    const after = created.session_id;
    const view = (id: string) => s.call('GET', `/v1/sessions/${id}`, { key: TEST_KEYS.private }).then((res) => exact(sessionPrivateView, assertStatus(res, 200)));
    assert.deepEqual((await view(before)).steps.map((step) => step.requirement_type), ['identity_document', 'liveness']);
    assert.deepEqual((await view(after)).steps.map((step) => step.requirement_type), ['identity_document']);

    // After: only passports, so no document_type is needed; one step; the result is shown.
    assertStatus(await s.consent(after), 200);
    assert.equal((await s.preflight(after)).screen.parameters.title, 'Your passport');
    assertStatus(await s.media(after, await jpeg()), 202);
    await s.waitForScreen(after, 'completed_screen');
    assertStatus(await s.call('POST', `/v1/sessions/${after}/decision`, { key: TEST_KEYS.private, body: { decision: 'approved' } }), 200);
    const shown = await s.preflight(after);
    assert.equal(shown.screen.show, 'successful_screen');
    assert.equal(shown.extra_data.result, 'approved');

    // Before: the old snapshot accepts four document types (a passport is refused only by the new level), keeps liveness.
    assertStatus(await s.consent(before), 200);
    assert.equal((await s.preflight(before)).screen.parameters.title, null);
    assertStatus(await s.media(before, await jpeg(), 'scan_id_document_front_screen', { document_type: 'id_card' }), 202);
    await s.waitForScreen(before, 'scan_id_document_back_screen');
    assert.equal((await view(before)).web_sdk_return_url, null);
  });
});
