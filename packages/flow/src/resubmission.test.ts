// Redoing a step: a capture checked needs_resubmission (protocol §5) and an operator resubmission decision (§4.13, §8).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFlowEvent } from './apply-flow-event.ts';
import type { FlowEvent, FlowLevel } from './types.ts';
import {
  back, basic, capture, checked, consent, decide, expectOk, expectRejected, front, full, inReview, passStep, play, preflightOf, started, submitAll, through,
} from './test-fixtures.ts';

const pick = (level: FlowLevel, events: FlowEvent[]) => {
  const p = preflightOf(play(level, events).state, level);
  return { show: p.screen.show, state: p.entity_id_state, status: p.requirement?.status, extra: p.extra_data, title: p.screen.parameters.title };
};

describe('a capture checked needs_resubmission', () => {
  const frontRedo = [consent(), front('f1', 'id_card'), checked('identity_document', 'f1', 'needs_resubmission', ['blurry', 'glare'])];
  const backRedo = [consent(), front('f1', 'id_card'), checked('identity_document', 'f1'), back('b1'), checked('identity_document', 'b1', 'needs_resubmission', ['cropped'])];
  const livenessRedo = [...through('identity_document'), ...passStep('liveness').slice(0, 2), checked('liveness', 'media_liv_1', 'needs_resubmission', ['face_not_found'])];

  const rows: Array<{ name: string; level: FlowLevel; events: FlowEvent[]; expect: ReturnType<typeof pick> }> = [
    {
      name: 'front: the front screen again with its reasons',
      level: basic,
      events: frontRedo,
      expect: { show: 'scan_id_document_front_screen', state: 'front_received_but_needs_resubmission', status: 'needs_resubmission', extra: { reasons: ['blurry', 'glare'] }, title: 'Scan your ID' },
    },
    {
      name: 'front: a new capture is checked (waiting, reasons gone)',
      level: basic,
      events: [...frontRedo, front('f2', 'id_card')],
      expect: { show: 'waiting_for_previous_call_to_complete', state: 'front_received_awaiting_back', status: 'processing', extra: {}, title: 'Scan your ID' },
    },
    {
      name: 'front: the new capture accepted moves on to the back',
      level: basic,
      events: [...frontRedo, front('f2', 'id_card'), checked('identity_document', 'f2')],
      expect: { show: 'scan_id_document_back_screen', state: 'front_received_awaiting_back', status: 'awaiting_receipt', extra: {}, title: 'Scan your ID' },
    },
    {
      name: 'back: the back screen again with its reasons',
      level: basic,
      events: backRedo,
      expect: { show: 'scan_id_document_back_screen', state: 'front_received_and_back_received_but_back_needs_resubmission', status: 'needs_resubmission', extra: { reasons: ['cropped'] }, title: 'Scan your ID' },
    },
    {
      name: 'back: a new back accepted moves on to liveness',
      level: basic,
      events: [...backRedo, back('b2'), checked('identity_document', 'b2')],
      expect: { show: 'liveness_screen', state: 'id_received_awaiting_liveness', status: 'awaiting_receipt', extra: {}, title: 'Look at the camera' },
    },
    {
      name: 'liveness: the liveness screen again with its reasons',
      level: basic,
      events: livenessRedo,
      expect: { show: 'liveness_screen', state: 'id_received_awaiting_liveness', status: 'needs_resubmission', extra: { liveness_id: 'liv_1', reasons: ['face_not_found'] }, title: 'Look at the camera' },
    },
    {
      name: 'liveness: a new attempt accepted submits the session',
      level: basic,
      events: [...livenessRedo, started('liveness', { liveness_id: 'liv_2' }), capture('liveness', 'liv_m2'), checked('liveness', 'liv_m2')],
      expect: { show: 'completed_screen', state: 'completed', status: undefined, extra: { result: 'completed' }, title: null },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(pick(row.level, row.events), row.expect));

  it('proof of address: reasons on the screen and in proof_of_address.message, cleared by a new capture', () => {
    const redo = [...through('identity_document', 'liveness'), capture('proof_of_address', 'a1'), checked('proof_of_address', 'a1', 'needs_resubmission', ['blurry', 'cropped'])];
    const p = preflightOf(play(full, redo).state, full);
    assert.equal(p.screen.show, 'proof_of_address_screen');
    assert.deepEqual(p.extra_data, { reasons: ['blurry', 'cropped'] });
    assert.deepEqual(p.proof_of_address, { status: 'needs_resubmission', message: 'blurry, cropped' });
    const again = preflightOf(play(full, [...redo, capture('proof_of_address', 'a2')]).state, full);
    assert.deepEqual(again.proof_of_address, { status: 'processing', message: null });
  });
});

describe('checks that change nothing', () => {
  const noOp = (level: FlowLevel, events: FlowEvent[], stale: FlowEvent) => {
    const before = play(level, events).state;
    const result = expectOk(applyFlowEvent(before, stale, level));
    assert.equal(result.state, before, 'the very same state comes back');
    assert.deepEqual(result.events, []);
  };

  it('a late check of a replaced front', () =>
    noOp(basic, [consent(), front('f1', 'id_card'), checked('identity_document', 'f1', 'needs_resubmission'), front('f2', 'id_card')], checked('identity_document', 'f1')));
  it('a retried check of a front already decided', () =>
    noOp(basic, [consent(), front('f1', 'passport'), checked('identity_document', 'f1')], checked('identity_document', 'f1', 'rejected')));
  it('a retried front check while the back is being checked', () =>
    noOp(basic, [consent(), front('f1', 'id_card'), checked('identity_document', 'f1'), back('b1')], checked('identity_document', 'f1')));
  it('a late check of a replaced back', () =>
    noOp(basic, [consent(), front('f1', 'id_card'), checked('identity_document', 'f1'), back('b1'), checked('identity_document', 'b1', 'needs_resubmission'), back('b2')], checked('identity_document', 'b1')));
  it('a late check of a replaced liveness capture', () =>
    noOp(basic, [...through('identity_document'), capture('liveness', 'l1'), checked('liveness', 'l1', 'needs_resubmission'), capture('liveness', 'l2')], checked('liveness', 'l1')));
  it('a retried liveness check', () => noOp(basic, through('identity_document', 'liveness'), checked('liveness', 'media_liv_1')));
  it('a check of a media id never received', () => noOp(basic, [consent(), front('f1', 'passport')], checked('identity_document', 'nope')));
  it('a check for a step the level does not have', () => noOp(basic, [consent()], checked('nfc', 'x')));
});

describe('operator resubmission decision', () => {
  const submitted = play(full, submitAll(full)).state;

  it('reopens the named steps, moves the session back to started and shows the first reopened step', () => {
    const { state, events } = expectOk(applyFlowEvent(submitted, decide('resubmission', ['proof_of_funds', 'liveness'], 'photo too dark'), full));
    assert.equal(state.status, 'started');
    assert.deepEqual(events, ['decision.challenge']);
    assert.equal(state.sequence, submitted.sequence + 1);
    assert.deepEqual(state.requirements.map((r) => r.status), ['accepted', 'needs_resubmission', 'accepted', 'needs_resubmission', 'accepted', 'accepted']);
    assert.deepEqual(state.decision?.steps, ['proof_of_funds', 'liveness']);
    const liveness = state.requirements[1]!;
    assert.deepEqual(liveness.media_ids, ['media_liv_1'], 'earlier captures are kept');
    const p = preflightOf(state, full);
    assert.equal(p.screen.show, 'liveness_screen');
    assert.deepEqual(p.extra_data, { reasons: ['operator_request'] }, 'the operator reason text itself is not shown');
    assert.deepEqual(p.proof_of_funds, { status: 'needs_resubmission', message: 'operator_request' });
  });

  it('a reopened document starts over from its front, with the reason code and an unknown type', () => {
    const { state } = expectOk(applyFlowEvent(submitted, decide('resubmission', ['identity_document']), full));
    const p = preflightOf(state, full);
    assert.equal(p.screen.show, 'scan_id_document_front_screen');
    assert.deepEqual(p.extra_data, { reasons: ['resubmission_requested'] });
    assert.equal(p.entity_id_state, 'none_received');
    assert.equal(p.entity_id_document_type, 'unknown');
    assert.deepEqual(p.requirement, { requirement_type: 'identity_document', status: 'needs_resubmission', flow_order: 100 });
  });

  it('no named steps reopens every step', () => {
    const { state } = expectOk(applyFlowEvent(submitted, decide('resubmission'), full));
    assert.ok(state.requirements.every((r) => r.status === 'needs_resubmission'));
    assert.deepEqual(state.decision?.steps, ['identity_document', 'liveness', 'proof_of_address', 'proof_of_funds', 'phone_verification', 'email_verification']);
  });

  it('works from review too, and redoing the step submits again with session.completed', () => {
    const review = inReview(play(basic, submitAll(basic)).state);
    const reopened = expectOk(applyFlowEvent(review, decide('resubmission', ['liveness']), basic)).state;
    const { state, emitted } = play(basic, passStep('liveness', '2'), reopened);
    assert.equal(state.status, 'submitted');
    assert.deepEqual(emitted.at(-1), ['session.liveness.accepted', 'session.completed']);
  });

  it('a late check of a capture from before the reopening changes nothing', () => {
    const reopened = expectOk(applyFlowEvent(submitted, decide('resubmission', ['proof_of_address']), full)).state;
    const result = expectOk(applyFlowEvent(reopened, checked('proof_of_address', 'media_proof_of_address_1'), full));
    assert.equal(result.state, reopened);
  });

  for (const steps of [['nfc'], ['liveness', 'nfc']] as const) {
    it(`names a step the session does not have (${steps.join(', ')}) → validation_error`, () => {
      const basicSubmitted = play(basic, submitAll(basic)).state;
      const message = expectRejected(applyFlowEvent(basicSubmitted, decide('resubmission', [...steps]), basic), 'validation_error');
      assert.match(message, /nfc/);
    });
  }

  it('is refused before submission', () => {
    expectRejected(applyFlowEvent(play(basic, [consent()]).state, decide('resubmission', ['liveness']), basic), 'step_not_expected');
  });
});
