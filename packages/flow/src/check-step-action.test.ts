// checkStepAction: every applicant action against every screen (protocol §3 409 step_not_expected / 410 session_gone, §4.4).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScreenShow } from '@tessera/protocol';
import { checkStepAction } from './check-step-action.ts';
import type { FlowEvent, FlowLevel, StepAction } from './types.ts';
import {
  AFTER_EXPIRY, NOW, back, basic, cancel, checked, chip, consent, decide, expire, front, full, play, preflightOf, submitAll, through,
} from './test-fixtures.ts';

const ACTIONS: StepAction[] = [
  'consent', 'media_front', 'media_back', 'liveness_start', 'liveness_complete', 'address', 'funds',
  'phone_send', 'phone_check', 'email_send', 'email_check', 'nfc',
];

/** The actions each screen takes, written out independently of the engine's own table. */
const ALLOWED: Partial<Record<ScreenShow, StepAction[]>> = {
  consent_screen: ['consent'],
  scan_id_document_front_screen: ['media_front'],
  scan_id_document_back_screen: ['media_back'],
  liveness_screen: ['liveness_start', 'liveness_complete'],
  nfc_capture_screen: ['nfc'],
  proof_of_address_screen: ['address'],
  proof_of_funds_screen: ['funds'],
  phone_verification_start_screen: ['phone_send', 'phone_check'],
  email_verification_start_screen: ['email_send', 'email_check'],
};

interface Situation { name: string; level: FlowLevel; events: FlowEvent[]; now?: Date; show: ScreenShow; gone?: 'canceled' | 'expired' }

const situations: Situation[] = [
  { name: 'before consent', level: full, events: [], show: 'consent_screen' },
  { name: 'document front', level: full, events: [consent()], show: 'scan_id_document_front_screen' },
  { name: 'document back', level: full, events: [consent(), front('f', 'id_card'), checked('identity_document', 'f')], show: 'scan_id_document_back_screen' },
  { name: 'front redo', level: full, events: [consent(), front('f', 'passport'), checked('identity_document', 'f', 'needs_resubmission')], show: 'scan_id_document_front_screen' },
  { name: 'back being checked', level: full, events: [consent(), front('f', 'id_card'), checked('identity_document', 'f'), back('b')], show: 'waiting_for_previous_call_to_complete' },
  { name: 'liveness', level: full, events: through('identity_document'), show: 'liveness_screen' },
  { name: 'nfc', level: chip, events: through('identity_document'), show: 'nfc_capture_screen' },
  { name: 'address', level: full, events: through('identity_document', 'liveness'), show: 'proof_of_address_screen' },
  { name: 'funds', level: full, events: through('identity_document', 'liveness', 'proof_of_address'), show: 'proof_of_funds_screen' },
  { name: 'phone', level: full, events: through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds'), show: 'phone_verification_start_screen' },
  { name: 'email', level: full, events: through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds', 'phone_verification'), show: 'email_verification_start_screen' },
  { name: 'submitted', level: full, events: submitAll(full), show: 'completed_screen' },
  { name: 'submitted, past expires_at', level: full, events: submitAll(full), now: AFTER_EXPIRY, show: 'completed_screen' },
  { name: 'approved', level: basic, events: [...submitAll(basic), decide('approved')], show: 'successful_screen' },
  { name: 'rejected', level: basic, events: [...submitAll(basic), decide('rejected')], show: 'rejected_screen' },
  { name: 'canceled', level: basic, events: [consent(), cancel], show: 'cancel_screen', gone: 'canceled' },
  { name: 'consent refused', level: basic, events: [consent(false)], show: 'cancel_screen', gone: 'canceled' },
  { name: 'expired by the expire event', level: basic, events: [consent(), expire], show: 'cancel_screen', gone: 'expired' },
  { name: 'expired by time, before consent', level: basic, events: [], now: AFTER_EXPIRY, show: 'cancel_screen', gone: 'expired' },
  { name: 'expired by time, mid-flow', level: basic, events: through('identity_document'), now: AFTER_EXPIRY, show: 'cancel_screen', gone: 'expired' },
];

function expected(s: Situation, action: StepAction) {
  if (s.gone) return { type: 'session_gone', message: `the session is ${s.gone}` };
  if (ALLOWED[s.show]?.includes(action)) return null;
  if (s.show === 'consent_screen') return { type: 'step_not_expected', message: 'consent must be given before any other step' };
  if (s.show === 'waiting_for_previous_call_to_complete') {
    return { type: 'step_not_expected', message: 'the previous capture is still being checked; wait for the next screen' };
  }
  return { type: 'step_not_expected', message: `this action does not belong to the current screen (${s.show})` };
}

describe('checkStepAction: every action on every screen', () => {
  for (const s of situations) {
    describe(s.name, () => {
      const state = play(s.level, s.events).state;
      const now = s.now ?? NOW;
      it(`is on ${s.show}`, () => assert.equal(preflightOf(state, s.level, now).screen.show, s.show));
      for (const action of ACTIONS) {
        const want = expected(s, action);
        it(`${action} → ${want === null ? 'allowed' : want.type}`, () => assert.deepEqual(checkStepAction(state, s.level, now, action), want));
      }
    });
  }

  it('every screen of the protocol is in the matrix', () => {
    const shown = new Set(situations.map((s) => s.show));
    for (const screen of Object.keys(ALLOWED)) assert.ok(shown.has(screen as ScreenShow), screen);
    for (const screen of ['waiting_for_previous_call_to_complete', 'completed_screen', 'successful_screen', 'rejected_screen', 'cancel_screen'] as const) {
      assert.ok(shown.has(screen), screen);
    }
  });

  it('every action is allowed on exactly one screen', () => {
    for (const action of ACTIONS) {
      assert.equal(Object.values(ALLOWED).filter((actions) => actions.includes(action)).length, 1, action);
    }
  });

  it('a repeated consent after consent is refused (the engine would take it as a no-op; the check runs first)', () => {
    const state = play(basic, [consent()]).state;
    assert.equal(checkStepAction(state, basic, NOW, 'consent')?.type, 'step_not_expected');
  });
});
