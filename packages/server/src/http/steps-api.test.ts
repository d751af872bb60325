// Applicant step endpoints of protocol §4.4–§4.7 over real HTTP: consent, the basic flow end to end, document
// sides, screens that refuse the wrong action, concurrent duplicates, and liveness challenges.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { consentResponse, livenessStarted, mediaAccepted, type Preflight, processingAccepted, sessionPrivateView } from '@tessera/protocol';
import { assertError, assertStatus, b64, blob, exact, jpeg, png, send, serverForFile } from '../testing/http-test-kit.ts';
import { TEST_KEYS } from '../testing/start-test-server.ts';

const { t, s } = await serverForFile();

describe('applicant steps API', () => {

  const privateView = async (id: string) =>
    exact(sessionPrivateView, assertStatus(await s.call('GET', `/v1/sessions/${id}`, { key: TEST_KEYS.private }), 200));
  const passport = async () => ({ document_type: 'passport' }); // basic accepts four document types, so the front names one

  it('consent: query true advances the flow; steps before consent → 409; the JSON body works too', async () => {
    const id = await s.create();
    const first = await s.preflight(id);
    assert.equal(first.screen.show, 'consent_screen');
    assert.deepEqual(first.requirement, { requirement_type: 'consent', status: 'awaiting_receipt', flow_order: 0 });
    assert.equal(first.sequence, 0);
    assertError(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 409, 'step_not_expected', /consent/);
    assertError(await s.call('POST', `/v1/sessions/${id}/liveness/start`), 409, 'step_not_expected');
    assertError(await s.call('POST', `/v1/sessions/${id}/address_verification`, { body: { document_base64_strict: b64(await png()) } }), 409, 'step_not_expected');
    assertError(await s.call('PATCH', `/v1/sessions/${id}/consent`), 400, 'invalid_request', /gives_consent/);

    const given = exact(consentResponse, assertStatus(await s.consent(id), 200));
    assert.equal(given.session_id, id);
    assert.equal(given.consent.given, true);
    assert.equal(given.consent.version, '2026-01');
    assert.ok(Math.abs(Date.parse(given.consent.at) - Date.now()) < 10_000);
    assert.equal((await s.preflight(id)).screen.show, 'scan_id_document_front_screen');
    assertStatus(await s.consent(id), 200); // again: a no-op
    assert.equal((await privateView(id)).status, 'started');

    const viaBody = await s.create();
    const res = await s.call('PATCH', `/v1/sessions/${viaBody}/consent`, { body: { gives_consent: true } });
    assert.equal(exact(consentResponse, assertStatus(res, 200)).consent.given, true);
    // The query parameter is authoritative over the body.
    const both = await s.create();
    const queryWins = await s.call('PATCH', `/v1/sessions/${both}/consent?gives_consent=true`, { body: { gives_consent: false } });
    assert.equal(exact(consentResponse, assertStatus(queryWins, 200)).consent.given, true);
  });

  it('consent false (query or body) cancels: cancel_screen, then 410 on every step call', async () => {
    for (const refuse of [(id: string) => s.consent(id, false), (id: string) => s.call('PATCH', `/v1/sessions/${id}/consent`, { body: { gives_consent: false } })]) {
      const id = await s.create();
      const refused = exact(consentResponse, assertStatus(await refuse(id), 200));
      assert.equal(refused.consent.given, false);
      const screen = await s.preflight(id);
      assert.equal(screen.screen.show, 'cancel_screen');
      assert.equal(screen.extra_data.result, 'canceled');
      assertError(await s.consent(id), 410, 'session_gone');
      assertError(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 410, 'session_gone');
      assertError(await s.call('POST', `/v1/sessions/${id}/liveness/start`), 410, 'session_gone');
      assertError(await s.call('GET', `/v1/sessions/${id}`), 410, 'session_gone');
      assert.equal((await privateView(id)).status, 'canceled');
    }
  });

  it('basic flow end to end: consent → passport → waiting → liveness → completed, sequence strictly increasing', async () => {
    const id = await s.create();
    const seen: Preflight[] = [await s.preflight(id)];
    assertStatus(await s.consent(id), 200);
    const front = await s.preflight(id);
    seen.push(front);
    assert.equal(front.screen.show, 'scan_id_document_front_screen');
    assert.equal(front.entity_id_state, 'none_received');
    assert.deepEqual(front.requirement, { requirement_type: 'identity_document', status: 'awaiting_receipt', flow_order: 100 });
    assert.deepEqual(front.screen.parameters, { camera: 'back', camera_quality: 'ultra', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null });
    assertError(await s.media(id, await jpeg(), 'scan_id_document_back_screen'), 409, 'step_not_expected');

    const accepted = exact(mediaAccepted, assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 202));
    assert.match(accepted.media_id, /^media_[0-9A-Za-z]{24}$/);
    assert.equal(accepted.app_screen, 'scan_id_document_front_screen');
    const checking = await s.preflight(id);
    if (checking.screen.show === 'waiting_for_previous_call_to_complete') {
      seen.push(checking); // (when the check already ended, this is the liveness screen waitForScreen returns below)
      assert.equal(checking.requirement?.status, 'processing');
      // Still checking, or the check just ended and the screen moved on: either way a second front is out of place.
      assertError(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 409, 'step_not_expected');
    } else assert.equal(checking.screen.show, 'liveness_screen');

    const liveness = await s.waitForScreen(id, 'liveness_screen');
    seen.push(liveness);
    assert.equal(liveness.entity_id_state, 'id_received_awaiting_liveness');
    assert.equal(liveness.entity_id_document_type, 'passport');
    assert.equal(liveness.screen.parameters.camera, 'front');
    assertError(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 409, 'step_not_expected', /liveness_screen/);
    assertError(await s.media(id, await jpeg(), 'liveness_screen'), 409, 'step_not_expected');

    const started = exact(livenessStarted, assertStatus(await s.call('POST', `/v1/sessions/${id}/liveness/start`), 200));
    assert.match(started.liveness_id, /^liv_[0-9A-Za-z]{24}$/);
    assert.equal(started.challenge.frame_count, 8);
    assert.equal(new Set(started.challenge.sequence).size, 2);
    assert.ok(Date.parse(started.expires_at) > Date.parse(started.server_time));
    exact(processingAccepted, assertStatus(await s.livenessComplete(id, started.liveness_id), 202));
    const done = await s.waitForScreen(id, 'completed_screen');
    seen.push(done);
    assert.equal(done.extra_data.result, 'completed');
    assert.equal(done.entity_id_state, 'completed');
    const sequences = seen.map((p) => p.sequence);
    for (let i = 1; i < sequences.length; i += 1) assert.ok(sequences[i]! > sequences[i - 1]!, `sequences ${sequences.join(',')}`);

    const view = await privateView(id);
    assert.equal(view.status, 'submitted');
    assert.deepEqual(view.steps.map((step) => step.status), ['received', 'received']);
    // Every stored frame is listed, so an operator can fetch each one.
    const { rows } = await t.server.deps.db.query<{ id: string }>("SELECT id FROM media WHERE session_id = $1 AND requirement_type = 'liveness' ORDER BY id", [id]);
    assert.equal(rows.length, 8);
    assert.deepEqual([...view.checks[1]!.media_ids].sort(), rows.map((r) => r.id).sort());
  });

  it('an id_card needs its front, then its back; a side out of turn → 409', async () => {
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'id_card' }), 202);
    const back = await s.waitForScreen(id, 'scan_id_document_back_screen');
    assert.equal(back.entity_id_state, 'front_received_awaiting_back');
    assert.equal(back.entity_id_document_type, 'id_card');
    assertError(await s.media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'id_card' }), 409, 'step_not_expected');
    exact(mediaAccepted, assertStatus(await s.media(id, await png(), 'scan_id_document_back_screen'), 202));
    await s.waitForScreen(id, 'liveness_screen');
    const view = await privateView(id);
    assert.equal(view.checks[0]!.media_ids.length, 2);
  });

  it('two uploads at once on the front screen: one 202, one 409, and the session stays whole', async () => {
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    const [a, b] = await Promise.all([jpeg(640, 400, 10), jpeg(640, 400, 200)]);
    const answers = await Promise.all([a!, b!].map((bytes) => s.media(id, bytes, 'scan_id_document_front_screen', { document_type: 'passport' })));
    assert.deepEqual(answers.map((r) => r.status).sort(), [202, 409]);
    assertError(answers.find((r) => r.status === 409)!, 409, 'step_not_expected');
    const winner = exact(mediaAccepted, answers.find((r) => r.status === 202)!.body);
    await s.waitForScreen(id, 'liveness_screen');
    const view = await privateView(id);
    assert.deepEqual(view.checks[0]!.media_ids, [winner.media_id]);
    const { rows } = await t.server.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media WHERE session_id = $1', [id]);
    assert.equal(rows[0]!.n, 1);
    assertStatus(await s.livenessComplete(id, await s.livenessStart(id)), 202);
    await s.waitForScreen(id, 'completed_screen');
  });

  it('liveness: unknown, foreign, expired and used challenges → 409; wrong media → 415; too few frames → 422, challenge kept', async () => {
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', await passport()), 202);
    await s.waitForScreen(id, 'liveness_screen');
    const other = await s.create();
    assertStatus(await s.consent(other), 200);
    assertStatus(await s.media(other, await jpeg(), 'scan_id_document_front_screen', await passport()), 202);
    await s.waitForScreen(other, 'liveness_screen');

    assert.equal(assertError(await s.livenessComplete(id, `liv_${'A'.repeat(24)}`), 409, 'step_not_expected').details?.reason, 'unknown');
    assert.equal(assertError(await s.livenessComplete(id, await s.livenessStart(other)), 409, 'step_not_expected').details?.reason, 'unknown');
    const stale = await s.livenessStart(id);
    await t.server.deps.db.query("UPDATE liveness_challenges SET expires_at = now() - interval '1 second' WHERE id = $1", [stale]);
    assert.equal(assertError(await s.livenessComplete(id, stale), 409, 'step_not_expected').details?.reason, 'expired');
    const livenessId = await s.livenessStart(id);
    const complete = (body: object) => s.call('POST', `/v1/sessions/${id}/liveness/complete`, { body: { liveness_id: livenessId, ...body } });
    assertError(await complete({ video_base64_strict: b64(await jpeg()) }), 415, 'unsupported_media_type');
    assertError(await complete({ frames: Array(8).fill(b64(Buffer.from('not a frame at all'))) }), 415, 'unsupported_media_type');
    assert.deepEqual(assertError(await s.livenessComplete(id, livenessId, 3), 422, 'validation_error').details, { frame_count: 8 });
    assertStatus(await s.livenessComplete(id, livenessId), 202);
    await s.waitForScreen(id, 'completed_screen');

    // An operator asks for the liveness again: the used challenge stays used.
    const decision = await s.call('POST', `/v1/sessions/${id}/decision`, { key: TEST_KEYS.private, body: { decision: 'resubmission', steps: ['liveness'] } });
    assertStatus(decision, 200);
    const again = await s.waitForScreen(id, 'liveness_screen');
    assert.deepEqual(again.extra_data.reasons, ['resubmission_requested']);
    assert.equal(assertError(await s.livenessComplete(id, livenessId), 409, 'step_not_expected').details?.reason, 'used');
    // The multipart equivalent (§4.7): a video part and the liveness_id field. Videos are checked by magic bytes here.
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(2000, 7)]);
    const form = (livenessId: string) => {
      const f = new FormData();
      f.append('liveness_id', livenessId);
      f.append('video', blob(webm, 'video/webm'), 'selfie.webm');
      return f;
    };
    const path = `/v1/sessions/${id}/liveness/complete`;
    assertError(await send(t.url, 'POST', path, { body: form('liv_\u0000') }), 400, 'invalid_request');
    exact(processingAccepted, assertStatus(await send(t.url, 'POST', path, { body: form(await s.livenessStart(id)) }), 202));
    await s.waitForScreen(id, 'completed_screen');
  });
});
