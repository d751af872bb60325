// decideNextScreen: (state built by events, level, now) → the preflight payload of protocol §5, one row per screen.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { preflight as preflightSchema, screenShow } from '@tessera/protocol';
import type { Preflight, RequirementStatus, RequirementType, ScreenShow } from '@tessera/protocol';
import { DEFAULT_SCREEN_PARAMETERS } from './decide-next-screen.ts';
import type { FlowEvent, FlowLevel } from './types.ts';
import {
  AFTER_EXPIRY, CODE_SENT, CONSENT_VERSION, NOW, SCREENS, SESSION_ID,
  back, basic, cancel, capture, checked, chip, consent, decide, front, full, hidden, passStep, play, preflightOf, started, submitAll, through,
} from './test-fixtures.ts';

type Expected = Omit<Preflight, 'session' | 'session_id'>;
interface Row { name: string; level: FlowLevel; events: FlowEvent[]; now?: Date; expect: Expected }

const awaiting = { status: 'awaiting_receipt', message: null } as const;
const accepted = { status: 'accepted', message: null } as const;
const req = (requirement_type: RequirementType, status: RequirementStatus, flow_order: number) => ({ requirement_type, status, flow_order });

const rows: Row[] = [
  {
    name: 'consent_screen before consent',
    level: full,
    events: [],
    expect: {
      screen: { show: 'consent_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: req('consent', 'awaiting_receipt', 0),
      entity_id_state: 'none_received', entity_id_document_type: 'unknown',
      extra_data: { consent_version: CONSENT_VERSION }, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 0,
    },
  },
  {
    name: 'scan_id_document_front_screen after consent',
    level: full,
    events: [consent()],
    expect: {
      screen: { show: 'scan_id_document_front_screen', parameters: SCREENS.identity_document },
      requirement: req('identity_document', 'awaiting_receipt', 100),
      entity_id_state: 'none_received', entity_id_document_type: 'unknown',
      extra_data: {}, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 1,
    },
  },
  {
    // The front of a passport is being checked: the engine already counts the ID as received.
    name: 'waiting_for_previous_call_to_complete while a front is checked',
    level: full,
    events: [consent(), front('m1', 'passport')],
    expect: {
      screen: { show: 'waiting_for_previous_call_to_complete', parameters: SCREENS.identity_document },
      requirement: req('identity_document', 'processing', 100),
      entity_id_state: 'id_received_awaiting_liveness', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 2,
    },
  },
  {
    name: 'scan_id_document_back_screen after an accepted id_card front',
    level: full,
    events: [consent(), front('m1', 'id_card'), checked('identity_document', 'm1')],
    expect: {
      screen: { show: 'scan_id_document_back_screen', parameters: SCREENS.identity_document },
      requirement: req('identity_document', 'awaiting_receipt', 100),
      entity_id_state: 'front_received_awaiting_back', entity_id_document_type: 'id_card',
      extra_data: {}, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 3,
    },
  },
  {
    name: 'liveness_screen after an accepted passport',
    level: full,
    events: through('identity_document'),
    expect: {
      screen: { show: 'liveness_screen', parameters: SCREENS.liveness },
      requirement: req('liveness', 'awaiting_receipt', 200),
      entity_id_state: 'id_received_awaiting_liveness', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 3,
    },
  },
  {
    name: 'liveness_screen keeps the challenge data once started',
    level: full,
    events: [...through('identity_document'), started('liveness', { liveness_id: 'liv_9' })],
    expect: {
      screen: { show: 'liveness_screen', parameters: SCREENS.liveness },
      requirement: req('liveness', 'awaiting_receipt', 200),
      entity_id_state: 'id_received_awaiting_liveness', entity_id_document_type: 'passport',
      extra_data: { liveness_id: 'liv_9' }, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 4,
    },
  },
  {
    name: 'nfc_capture_screen between the document and liveness',
    level: chip,
    events: through('identity_document'),
    expect: {
      screen: { show: 'nfc_capture_screen', parameters: SCREENS.nfc },
      requirement: req('nfc', 'awaiting_receipt', 150),
      entity_id_state: 'awaiting_nfc', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: null, proof_of_funds: null, sequence: 3,
    },
  },
  {
    name: 'proof_of_address_screen',
    level: full,
    events: through('identity_document', 'liveness'),
    expect: {
      screen: { show: 'proof_of_address_screen', parameters: SCREENS.proof_of_address },
      requirement: req('proof_of_address', 'awaiting_receipt', 300),
      entity_id_state: 'awaiting_poa', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 6,
    },
  },
  {
    name: 'waiting while the address document is checked',
    level: full,
    events: [...through('identity_document', 'liveness'), capture('proof_of_address', 'poa1')],
    expect: {
      screen: { show: 'waiting_for_previous_call_to_complete', parameters: SCREENS.proof_of_address },
      requirement: req('proof_of_address', 'processing', 300),
      entity_id_state: 'awaiting_poa', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: { status: 'processing', message: null }, proof_of_funds: awaiting, sequence: 7,
    },
  },
  {
    name: 'proof_of_funds_screen',
    level: full,
    events: through('identity_document', 'liveness', 'proof_of_address'),
    expect: {
      screen: { show: 'proof_of_funds_screen', parameters: SCREENS.proof_of_funds },
      requirement: req('proof_of_funds', 'awaiting_receipt', 400),
      entity_id_state: 'awaiting_pof', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: accepted, proof_of_funds: awaiting, sequence: 8,
    },
  },
  {
    name: 'phone_verification_start_screen (identity part complete)',
    level: full,
    events: through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds'),
    expect: {
      screen: { show: 'phone_verification_start_screen', parameters: SCREENS.phone_verification },
      requirement: req('phone_verification', 'awaiting_receipt', 500),
      entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: accepted, proof_of_funds: accepted, sequence: 10,
    },
  },
  {
    name: 'phone_verification_start_screen after a code was sent shows where it went',
    level: full,
    events: [...through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds'), started('phone_verification', CODE_SENT)],
    expect: {
      screen: { show: 'phone_verification_start_screen', parameters: SCREENS.phone_verification },
      requirement: req('phone_verification', 'awaiting_receipt', 500),
      entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: CODE_SENT, proof_of_address: accepted, proof_of_funds: accepted, sequence: 11,
    },
  },
  {
    name: 'email_verification_start_screen',
    level: full,
    events: through('identity_document', 'liveness', 'proof_of_address', 'proof_of_funds', 'phone_verification'),
    expect: {
      screen: { show: 'email_verification_start_screen', parameters: SCREENS.email_verification },
      requirement: req('email_verification', 'awaiting_receipt', 600),
      entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: {}, proof_of_address: accepted, proof_of_funds: accepted, sequence: 12,
    },
  },
  {
    name: 'completed_screen once submitted',
    level: full,
    events: submitAll(full),
    expect: {
      screen: { show: 'completed_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: { result: 'completed' }, proof_of_address: accepted, proof_of_funds: accepted, sequence: 14,
    },
  },
  {
    name: 'successful_screen on approval when the level shows results',
    level: basic,
    events: [...submitAll(basic), decide('approved')],
    expect: {
      screen: { show: 'successful_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: { result: 'approved' }, proof_of_address: null, proof_of_funds: null, sequence: 7,
    },
  },
  {
    name: 'rejected_screen on rejection when the level shows results',
    level: basic,
    events: [...submitAll(basic), decide('rejected', [], 'fraud')],
    expect: {
      screen: { show: 'rejected_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: { result: 'rejected' }, proof_of_address: null, proof_of_funds: null, sequence: 7,
    },
  },
  {
    name: 'completed_screen on rejection when the level hides results (the decision never leaks)',
    level: hidden,
    events: [...submitAll(hidden), decide('rejected', [], 'fraud')],
    expect: {
      screen: { show: 'completed_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'completed', entity_id_document_type: 'passport',
      extra_data: { result: 'completed' }, proof_of_address: null, proof_of_funds: null, sequence: 7,
    },
  },
  {
    name: 'cancel_screen after a cancel, mid-document',
    level: full,
    events: [consent(), front('m1', 'id_card'), checked('identity_document', 'm1'), cancel],
    expect: {
      screen: { show: 'cancel_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'front_received_awaiting_back', entity_id_document_type: 'id_card',
      extra_data: { result: 'canceled' }, proof_of_address: awaiting, proof_of_funds: awaiting, sequence: 4,
    },
  },
  {
    name: 'cancel_screen with result expired once past expires_at (no event recorded yet)',
    level: basic,
    events: [consent()],
    now: AFTER_EXPIRY,
    expect: {
      screen: { show: 'cancel_screen', parameters: DEFAULT_SCREEN_PARAMETERS },
      requirement: null, entity_id_state: 'none_received', entity_id_document_type: 'unknown',
      extra_data: { result: 'expired' }, proof_of_address: null, proof_of_funds: null, sequence: 1,
    },
  },
];

describe('decideNextScreen: one row per screen', () => {
  for (const row of rows) {
    it(row.name, () => {
      const payload = preflightOf(play(row.level, row.events).state, row.level, row.now ?? NOW);
      assert.deepEqual(payload, { ...row.expect, session: SESSION_ID, session_id: SESSION_ID });
      assert.doesNotThrow(() => preflightSchema.parse(payload));
    });
  }

  it('covers every screen.show value of the protocol', () => {
    const covered = new Set<ScreenShow>(rows.map((r) => r.expect.screen.show));
    assert.deepEqual([...covered].sort(), [...screenShow.options].sort());
  });
});

describe('decideNextScreen: document types', () => {
  const twoSided = ['id_card', 'drivers_license', 'residence_permit'] as const;
  const show = (events: FlowEvent[]) => preflightOf(play(basic, events).state, basic).screen.show;

  it('passport: front only, then liveness', () => {
    const events = [consent(), front('f', 'passport'), checked('identity_document', 'f')];
    assert.equal(show(events), 'liveness_screen');
    assert.equal(preflightOf(play(basic, events).state, basic).entity_id_document_type, 'passport');
  });

  for (const type of twoSided) {
    it(`${type}: front, then back, then liveness`, () => {
      const afterFront = [consent(), front('f', type), checked('identity_document', 'f')];
      assert.equal(show(afterFront), 'scan_id_document_back_screen');
      assert.equal(show([...afterFront, back('b')]), 'waiting_for_previous_call_to_complete');
      const done = [...afterFront, back('b'), checked('identity_document', 'b')];
      const payload = preflightOf(play(basic, done).state, basic);
      assert.equal(payload.screen.show, 'liveness_screen');
      assert.equal(payload.entity_id_document_type, type);
      assert.equal(payload.entity_id_state, 'id_received_awaiting_liveness');
    });
  }

  it('a front kept for review (received) still asks for the back; the document is then received', () => {
    const events = [consent(), front('f', 'id_card'), checked('identity_document', 'f', 'received'), back('b'), checked('identity_document', 'b')];
    const { states, state } = play(basic, events);
    assert.equal(preflightOf(states[3]!, basic).screen.show, 'scan_id_document_back_screen');
    // The less favourable side speaks for the document: received (front) beats accepted (back).
    assert.equal(state.requirements[0]!.status, 'received');
  });

  it('an undeclared document type is treated as one page (no back screen) and shown as unknown', () => {
    const payload = preflightOf(play(basic, [consent(), front('f'), checked('identity_document', 'f')]).state, basic);
    assert.equal(payload.screen.show, 'liveness_screen');
    assert.equal(payload.entity_id_document_type, 'unknown');
  });

  it('a rejected front of a two-sided document ends the document: no back is asked for', () => {
    const payload = preflightOf(play(basic, [consent(), front('f', 'id_card'), checked('identity_document', 'f', 'rejected', ['forged'])]).state, basic);
    assert.equal(payload.screen.show, 'liveness_screen');
    assert.equal(payload.entity_id_state, 'id_received_awaiting_liveness');
  });

  it('the steps of a level are taken in flow_order, not in the order listed', () => {
    assert.deepEqual(play(full, []).state.requirements.map((r) => r.flow_order), [100, 200, 300, 400, 500, 600]);
    assert.equal(preflightOf(play(full, [consent(), ...passStep('identity_document')]).state, full).requirement?.flow_order, 200);
  });
});
