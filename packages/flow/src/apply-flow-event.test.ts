// applyFlowEvent: the event names each transition records (protocol §9) and the sequence (protocol §5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventType } from '@tessera/protocol';
import { applyFlowEvent } from './apply-flow-event.ts';
import type { FlowEvent, FlowLevel } from './types.ts';
import {
  CODE_SENT, back, basic, capture, checked, chip, consent, contact, decide, expectOk, expectRejected, front, full, makeLevel, passStep, play, started, submitAll, through, verified,
} from './test-fixtures.ts';

interface Row { name: string; level: FlowLevel; before: FlowEvent[]; event: FlowEvent; expect: EventType[] }

const idFront = [consent(), front('f', 'id_card')];
const idBack = [consent(), front('f', 'id_card'), checked('identity_document', 'f'), back('b')];
const atLiveness = through('identity_document');
const atPoa = through('identity_document', 'liveness');
const atPof = through('identity_document', 'liveness', 'proof_of_address');

const rows: Row[] = [
  { name: 'consent given', level: full, before: [], event: consent(), expect: ['session.consent.accept'] },
  { name: 'consent refused', level: full, before: [], event: consent(false), expect: ['session.consent.reject', 'session.canceled'] },
  { name: 'front received', level: full, before: [consent()], event: front('f', 'id_card'), expect: ['session.id_document_front.received'] },
  { name: 'front accepted', level: full, before: idFront, event: checked('identity_document', 'f'), expect: ['session.id_document_front.accepted'] },
  { name: 'front rejected', level: full, before: idFront, event: checked('identity_document', 'f', 'rejected'), expect: ['session.id_document_front.rejected'] },
  // Bynn has no "needs resubmission" name; the engine reports the capture as rejected.
  { name: 'front needs resubmission', level: full, before: idFront, event: checked('identity_document', 'f', 'needs_resubmission'), expect: ['session.id_document_front.rejected'] },
  // `received` (kept for human review) has no Bynn name either: ours.
  { name: 'front kept for review', level: full, before: idFront, event: checked('identity_document', 'f', 'received'), expect: ['session.requirement.processed'] },
  { name: 'back received', level: full, before: idBack.slice(0, -1), event: back('b'), expect: ['session.id_document_back.received'] },
  { name: 'back accepted', level: full, before: idBack, event: checked('identity_document', 'b'), expect: ['session.id_document_back.accepted'] },
  { name: 'back rejected', level: full, before: idBack, event: checked('identity_document', 'b', 'rejected'), expect: ['session.id_document_back.rejected'] },
  { name: 'liveness started', level: full, before: atLiveness, event: started('liveness', { liveness_id: 'l' }), expect: ['session.liveness.started'] },
  { name: 'liveness received', level: full, before: atLiveness, event: capture('liveness', 'l'), expect: ['session.liveness.received'] },
  { name: 'liveness accepted', level: full, before: [...atLiveness, capture('liveness', 'l')], event: checked('liveness', 'l'), expect: ['session.liveness.accepted'] },
  { name: 'liveness rejected', level: full, before: [...atLiveness, capture('liveness', 'l')], event: checked('liveness', 'l', 'rejected'), expect: ['session.liveness.rejected'] },
  { name: 'nfc received', level: chip, before: atLiveness, event: capture('nfc', 'n'), expect: ['session.nfc.received'] },
  { name: 'nfc checked', level: chip, before: [...atLiveness, capture('nfc', 'n')], event: checked('nfc', 'n'), expect: ['session.requirement.processed'] },
  { name: 'poa received', level: full, before: atPoa, event: capture('proof_of_address', 'a'), expect: ['session.poa.received'] },
  { name: 'poa accepted', level: full, before: [...atPoa, capture('proof_of_address', 'a')], event: checked('proof_of_address', 'a'), expect: ['session.poa.accepted'] },
  { name: 'poa rejected', level: full, before: [...atPoa, capture('proof_of_address', 'a')], event: checked('proof_of_address', 'a', 'rejected'), expect: ['session.poa.rejected'] },
  { name: 'pof received', level: full, before: atPof, event: capture('proof_of_funds', 'p'), expect: ['proof_of_funds.received'] },
  { name: 'pof accepted', level: full, before: [...atPof, capture('proof_of_funds', 'p')], event: checked('proof_of_funds', 'p'), expect: ['proof_of_funds.accepted'] },
  { name: 'pof rejected', level: full, before: [...atPof, capture('proof_of_funds', 'p')], event: checked('proof_of_funds', 'p', 'rejected'), expect: ['proof_of_funds.rejected'] },
  { name: 'phone code sent', level: contact, before: [consent()], event: started('phone_verification', CODE_SENT), expect: ['session.phone.code_sent'] },
  { name: 'phone verified', level: contact, before: [consent()], event: verified('phone_verification'), expect: ['session.phone.verified'] },
  { name: 'email code sent', level: contact, before: through('phone_verification'), event: started('email_verification', CODE_SENT), expect: ['session.email.code_sent'] },
  { name: 'email verified, the last step', level: contact, before: through('phone_verification'), event: verified('email_verification'), expect: ['session.email.verified', 'session.completed'] },
  { name: 'last capture accepted', level: basic, before: [...atLiveness, capture('liveness', 'l')], event: checked('liveness', 'l'), expect: ['session.liveness.accepted', 'session.completed'] },
  { name: 'last capture rejected still completes', level: basic, before: [...atLiveness, capture('liveness', 'l')], event: checked('liveness', 'l', 'rejected'), expect: ['session.liveness.rejected', 'session.completed'] },
  { name: 'approved', level: basic, before: submitAll(basic), event: decide('approved'), expect: ['decision.approved'] },
  { name: 'rejected', level: basic, before: submitAll(basic), event: decide('rejected'), expect: ['decision.rejected'] },
  { name: 'resubmission', level: basic, before: submitAll(basic), event: decide('resubmission', ['liveness']), expect: ['decision.challenge'] },
  { name: 'cancel', level: basic, before: [consent()], event: { kind: 'cancel' }, expect: ['session.canceled'] },
  { name: 'expire', level: basic, before: [consent()], event: { kind: 'expire' }, expect: ['session.expired'] },
  // Misuse guards: a start or verification of a step with no Bynn name for it never borrows another step's name.
  { name: 'step_started on an address step', level: full, before: atPoa, event: started('proof_of_address', { hint: 'x' }), expect: ['session.updated'] },
  { name: 'step_verified on liveness', level: basic, before: atLiveness, event: verified('liveness'), expect: ['session.liveness.accepted', 'session.completed'] },
];

describe('events per transition', () => {
  for (const row of rows) {
    it(`${row.name} → ${row.expect.join(', ')}`, () => {
      const before = play(row.level, row.before).state;
      const { state, events } = expectOk(applyFlowEvent(before, row.event, row.level));
      assert.deepEqual(events, row.expect);
      assert.equal(state.sequence, before.sequence + 1, 'exactly one sequence step per change');
      assert.equal(events.includes('session.completed'), before.status === 'started' && state.status === 'submitted');
    });
  }
});

describe('a whole run', () => {
  for (const [name, level, document] of [['full, id card', full, 'id_card'], ['chip, passport', chip, 'passport'], ['contact', contact, 'passport']] as const) {
    it(`${name}: sequence +1 per event, session.completed exactly once, on the last event`, () => {
      const steps = [...level.steps].sort((a, b) => a.flow_order - b.flow_order).map((s) => s.type);
      const events = [consent(), ...steps.flatMap((s) => passStep(s, '1', document))];
      const { states, emitted, state } = play(level, events);
      states.forEach((s, i) => assert.equal(s.sequence, i));
      assert.equal(emitted.flat().filter((e) => e === 'session.completed').length, 1);
      assert.equal(emitted.at(-1)?.at(-1), 'session.completed');
      assert.ok(states.slice(0, -1).every((s) => s.status !== 'submitted'));
      assert.equal(state.status, 'submitted');
    });
  }

  it('the full level emits the Bynn names in order', () => {
    const steps = ['liveness', 'proof_of_address', 'proof_of_funds', 'phone_verification', 'email_verification'] as const;
    const { emitted } = play(full, [consent(), ...passStep('identity_document', '1', 'id_card'), ...steps.flatMap((s) => passStep(s))]);
    assert.deepEqual(emitted.flat(), [
      'session.consent.accept',
      'session.id_document_front.received', 'session.id_document_front.accepted',
      'session.id_document_back.received', 'session.id_document_back.accepted',
      'session.liveness.started', 'session.liveness.received', 'session.liveness.accepted',
      'session.poa.received', 'session.poa.accepted',
      'proof_of_funds.received', 'proof_of_funds.accepted',
      'session.phone.code_sent', 'session.phone.verified',
      'session.email.code_sent', 'session.email.verified', 'session.completed',
    ]);
  });

  it('resending a phone code is a change (new sequence) that keeps the session on the phone screen', () => {
    const { states } = play(contact, [consent(), started('phone_verification', CODE_SENT), started('phone_verification', { ...CODE_SENT, attempts_left: 2 })]);
    assert.deepEqual(states.map((s) => s.sequence), [0, 1, 2, 3]);
    assert.deepEqual(states[3]!.requirements[0]!.extra, { ...CODE_SENT, attempts_left: 2 });
  });
});

describe('refused events', () => {
  it('a step the level does not have → step_not_expected', () => {
    const state = play(basic, [consent()]).state;
    for (const event of [capture('nfc', 'n'), started('phone_verification'), verified('email_verification')]) {
      expectRejected(applyFlowEvent(state, event, basic), 'step_not_expected');
    }
  });

  it('a document type the level does not accept → validation_error', () => {
    const passportsOnly = makeLevel([['identity_document', 100]], { accepted_document_types: ['passport'] });
    const state = play(passportsOnly, [consent()]).state;
    const message = expectRejected(applyFlowEvent(state, front('f', 'id_card'), passportsOnly), 'validation_error');
    assert.match(message, /id_card/);
    expectOk(applyFlowEvent(state, front('f', 'passport'), passportsOnly));
    expectOk(applyFlowEvent(state, front('f'), passportsOnly));
  });

  it('a refusal leaves the input state untouched', () => {
    const state = play(basic, submitAll(basic)).state;
    const copy = structuredClone(state);
    expectRejected(applyFlowEvent(state, decide('resubmission', ['nfc']), basic), 'validation_error');
    expectOk(applyFlowEvent(state, decide('resubmission', ['liveness']), basic));
    assert.deepEqual(state, copy, 'applyFlowEvent never mutates its input');
  });
});
