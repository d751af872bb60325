// What an integrator does after the applicant (protocol §4.13): decisions, the event log, stored captures;
// and the `full` level's document steps (§4.8, §4.9) up to the phone screen.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { processingAccepted, sessionEventList, sessionPrivateView } from '@tessera/protocol';
import sharp from 'sharp';
import { handMadePdf, jpegWithPrivateMetadata } from '../captures/capture-fixtures.ts';
import { assertError, assertStatus, b64, exact, jpeg, png, serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';

const { t, s } = await serverForFile();

describe('review API and the full level', () => {

  const decide = (id: string, body: object, key: string = TEST_KEYS.private) => s.call('POST', `/v1/sessions/${id}/decision`, { key, body });
  const view = async (id: string) => exact(sessionPrivateView, assertStatus(await s.call('GET', `/v1/sessions/${id}`, { key: TEST_KEYS.private }), 200));

  it('decision: 409 before submission; approved and rejected close the session; a second decision → 409', async () => {
    const open = await s.create();
    assertStatus(await s.consent(open), 200);
    assertError(await decide(open, { decision: 'approved' }), 409, 'step_not_expected', /submitted/);

    for (const [decision, reason] of [['approved', undefined], ['rejected', 'document looks altered']] as const) {
      const id = await s.create();
      await s.completeBasic(id);
      assertError(await decide(id, { decision }, TEST_KEYS.public), 401, 'authentication_error');
      assertError(await decide(id, { decision }, TEST_KEYS.sandboxPrivate), 403, 'permission_denied');
      assertError(await decide(id, { decision: 'maybe' }), 422, 'validation_error');
      const body = exact(sessionPrivateView, assertStatus(await decide(id, { decision, ...(reason ? { reason } : {}) }), 200));
      assert.equal(body.status, decision);
      assert.match(body.decision!.id, /^dec_[0-9A-Za-z]{24}$/);
      assert.deepEqual({ ...body.decision, id: '', created_at: '' }, { id: '', decision, reason: reason ?? null, steps: [], created_at: '' });
      const screen = await s.preflight(id);
      assert.equal(screen.screen.show, 'completed_screen', 'basic hides the result (show_result false)');
      assert.equal(screen.extra_data.result, 'completed');
      assertError(await decide(id, { decision: 'approved' }), 409, 'step_not_expected');
      assertError(await s.call('DELETE', `/v1/sessions/${id}`, { key: TEST_KEYS.private }), 409, 'step_not_expected');
    }
  });

  it('decision resubmission reopens the named steps and moves the session back to started', async () => {
    const id = await s.create();
    await s.completeBasic(id);
    assertError(await decide(id, { decision: 'resubmission', steps: ['nfc'] }), 422, 'validation_error', /nfc/);
    const body = exact(sessionPrivateView, assertStatus(await decide(id, { decision: 'resubmission', reason: 'glare', steps: ['identity_document'] }), 200));
    assert.equal(body.status, 'started');
    assert.deepEqual(body.steps.map((step) => step.status), ['needs_resubmission', 'received']);
    const again = await s.preflight(id);
    assert.equal(again.screen.show, 'scan_id_document_front_screen');
    assert.deepEqual(again.extra_data.reasons, ['operator_request']);
    assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'passport' }), 202);
    await s.waitForScreen(id, 'completed_screen');
    const resubmitted = await view(id);
    assert.equal(resubmitted.status, 'submitted');
    assert.equal(resubmitted.checks[0]!.media_ids.length, 2, 'the first capture stays on record');
  });

  it('events: Bynn names in order, with non-decreasing sequences; private key of the same mode only', async () => {
    const id = await s.create();
    await s.completeBasic(id);
    assertStatus(await decide(id, { decision: 'approved' }), 200);
    const events = exact(sessionEventList, assertStatus(await s.call('GET', `/v1/sessions/${id}/events`, { key: TEST_KEYS.private }), 200)).data;
    assert.deepEqual(events.map((e) => e.event_type), [
      'session.created',
      'session.consent.accept',
      'session.id_document_front.received',
      'session.requirement.processed',
      'session.liveness.started',
      'session.liveness.received',
      'session.requirement.processed',
      'session.completed',
      'decision.approved',
    ]);
    for (const e of events) assert.match(e.id, /^evt_[0-9A-Za-z]{24}$/);
    for (let i = 1; i < events.length; i += 1) assert.ok(events[i]!.sequence >= events[i - 1]!.sequence);
    assert.equal(events.at(-1)!.sequence, (await s.preflight(id)).sequence);
    assertError(await s.call('GET', `/v1/sessions/${id}/events`), 401, 'authentication_error');
    assertError(await s.call('GET', `/v1/sessions/${id}/events`, { key: TEST_KEYS.public }), 401, 'authentication_error');
    assertError(await s.call('GET', `/v1/sessions/${id}/events`, { key: TEST_KEYS.sandboxPrivate }), 403, 'permission_denied');
  });

  it('media: the private key reads the stored capture, upright and without EXIF, GPS, XMP or ICC', async () => {
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    const original = await jpegWithPrivateMetadata();
    assert.ok(original.includes('AcmePhone'));
    const { media_id } = assertStatus(await s.media(id, original, 'scan_id_document_front_screen', { document_type: 'passport', file_name: 'scan.png' }), 202) as { media_id: string };
    const path = `/v1/sessions/${id}/media/${media_id}`;

    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${TEST_KEYS.private}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    const stored = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...stored.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const meta = await sharp(stored).metadata();
    assert.deepEqual([meta.width, meta.height, meta.exif, meta.icc, meta.xmp, meta.orientation], [400, 640, undefined, undefined, undefined, undefined]);
    for (const secret of ['AcmePhone', 'Jane Applicant', 'GPS']) assert.ok(!stored.includes(secret), secret);
    const { rows } = await t.server.deps.db.query<{ sha256: string }>('SELECT sha256 FROM media WHERE id = $1', [media_id]);
    assert.equal(createHash('sha256').update(stored).digest('hex'), rows[0]!.sha256);

    assertError(await s.call('GET', path), 401, 'authentication_error');
    assertError(await s.call('GET', path, { key: TEST_KEYS.public }), 401, 'authentication_error');
    assertError(await s.call('GET', path, { key: TEST_KEYS.sandboxPrivate }), 403, 'permission_denied');
    assertError(await s.call('GET', `/v1/sessions/${id}/media/media_${'A'.repeat(24)}`, { key: TEST_KEYS.private }), 404, 'not_found');
    assertError(await s.call('GET', `/v1/sessions/${id}/media/..%2Fevents`, { key: TEST_KEYS.private }), 404, 'not_found');
    assertError(await s.call('GET', `/v1/sessions/${id}/media/not-a-media-id`, { key: TEST_KEYS.private }), 404, 'not_found');
    const other = await s.create();
    assertError(await s.call('GET', `/v1/sessions/${other}/media/${media_id}`, { key: TEST_KEYS.private }), 404, 'not_found');
  });

  it('full level: document, liveness, proof of address (PDF) and of funds (PNG) reach the phone screen', async () => {
    const id = await s.create({ kyc_level: 'full' });
    assertStatus(await s.consent(id), 200);
    assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'passport' }), 202);
    await s.waitForScreen(id, 'liveness_screen');
    assertStatus(await s.livenessComplete(id, await s.livenessStart(id)), 202);

    const poa = await s.waitForScreen(id, 'proof_of_address_screen');
    assert.equal(poa.entity_id_state, 'awaiting_poa');
    assert.deepEqual(poa.proof_of_address, { status: 'awaiting_receipt', message: null });
    assert.equal(poa.screen.parameters.allow_manual_upload, true);
    const funds = (body: object) => s.call('POST', `/v1/sessions/${id}/funds_verification`, { body });
    assertError(await funds({ document_base64_strict: b64(await png()) }), 409, 'step_not_expected');
    const address = await s.call('POST', `/v1/sessions/${id}/address_verification`, {
      body: { document_base64_strict: b64(handMadePdf(2)), latitude: 59.33, longitude: 18.06, cell_info: { mcc: 240 } },
    });
    exact(processingAccepted, assertStatus(address, 202));

    const pof = await s.waitForScreen(id, 'proof_of_funds_screen');
    assert.equal(pof.entity_id_state, 'awaiting_pof');
    assert.deepEqual(pof.proof_of_address, { status: 'received', message: null });
    assertError(await funds({ document_base64_strict: b64(await png()), funds_type: 'lottery' }), 422, 'validation_error');
    exact(processingAccepted, assertStatus(await funds({ document_base64_strict: b64(await png()), funds_type: 'payslip' }), 202));

    const phone = await s.waitForScreen(id, 'phone_verification_start_screen');
    assert.equal(phone.entity_id_state, 'completed');
    assert.deepEqual(phone.requirement, { requirement_type: 'phone_verification', status: 'awaiting_receipt', flow_order: 500 });
    assert.deepEqual(phone.proof_of_funds, { status: 'received', message: null });
    const { rows } = await t.server.deps.db.query<{ content_type: string; requirement_type: string }>(
      "SELECT content_type, requirement_type FROM media WHERE session_id = $1 AND requirement_type IN ('proof_of_address', 'proof_of_funds') ORDER BY created_at", [id]);
    assert.deepEqual(rows, [{ content_type: 'application/pdf', requirement_type: 'proof_of_address' }, { content_type: 'image/png', requirement_type: 'proof_of_funds' }]);
    assert.equal((await view(id)).status, 'started');
  });
});
