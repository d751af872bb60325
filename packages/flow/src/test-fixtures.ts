// Shared fixtures for the flow engine tests: levels, fixed times, event builders and a player that folds events into state.
import assert from 'node:assert/strict';
import type { DecisionKind, DocumentType, EventType, Preflight, ScreenParameters, StepType } from '@tessera/protocol';
import { applyFlowEvent } from './apply-flow-event.ts';
import { decideNextScreen } from './decide-next-screen.ts';
import { newSessionState } from './new-session-state.ts';
import type { FlowEvent, FlowLevel, FlowResult, SessionState } from './types.ts';

export const SESSION_ID = 'cTMKciZaG4iv7FfRZk1nxRW1';
export const CREATED_AT = '2025-03-01T09:00:00.000Z';
export const EXPIRES_AT = '2025-03-08T09:00:00.000Z';
/** Inside the session's lifetime. */
export const NOW = new Date('2025-03-02T12:00:00.000Z');
/** Exactly `expires_at`: already expired (the bound is inclusive). */
export const AT_EXPIRY = new Date(EXPIRES_AT);
export const AFTER_EXPIRY = new Date('2025-03-09T00:00:00.000Z');

const screen = (title: string, over: Partial<ScreenParameters> = {}): ScreenParameters => ({
  camera: 'back',
  camera_quality: 'high',
  allow_manual_upload: false,
  multipage: false,
  autocapture: false,
  title,
  text: `${title}: text`,
  ...over,
});

/** Distinct parameters per step, so a test can tell which step's parameters a screen carries. */
export const SCREENS: Record<StepType, ScreenParameters> = {
  identity_document: screen('Scan your ID', { camera_quality: 'ultra', autocapture: true }),
  liveness: screen('Look at the camera', { camera: 'front', camera_quality: 'medium' }),
  nfc: screen('Hold the chip to your phone', { camera_quality: 'low' }),
  proof_of_address: screen('Proof of address', { allow_manual_upload: true, multipage: true }),
  proof_of_funds: screen('Proof of funds', { allow_manual_upload: true, camera_quality: 'low' }),
  phone_verification: screen('Verify your phone'),
  email_verification: screen('Verify your email', { camera: 'front' }),
};

export const CONSENT_VERSION = 'consent-2025-01';
export const ALL_DOCUMENT_TYPES: DocumentType[] = ['passport', 'id_card', 'drivers_license', 'residence_permit'];

export function makeLevel(steps: Array<[StepType, number]>, over: Partial<Omit<FlowLevel, 'steps'>> = {}): FlowLevel {
  return {
    steps: steps.map(([type, flow_order]) => ({ type, flow_order, screen: SCREENS[type] })),
    accepted_document_types: ALL_DOCUMENT_TYPES,
    show_result: true,
    consent_version: CONSENT_VERSION,
    ...over,
  };
}

/** Every step but NFC; listed out of order on purpose: the session must sort by flow_order. */
export const full = makeLevel([
  ['email_verification', 600],
  ['identity_document', 100],
  ['proof_of_funds', 400],
  ['liveness', 200],
  ['phone_verification', 500],
  ['proof_of_address', 300],
]);
export const basic = makeLevel([['identity_document', 100], ['liveness', 200]]);
export const contact = makeLevel([['phone_verification', 100], ['email_verification', 200]]);
/** Document, then its chip, then liveness. */
export const chip = makeLevel([['identity_document', 100], ['nfc', 150], ['liveness', 200]]);
/** Liveness alone: no identity document at all. */
export const selfie = makeLevel([['liveness', 100]]);
/** Liveness before the document. */
export const selfieFirst = makeLevel([['liveness', 100], ['identity_document', 200]]);
export const hidden = { ...basic, show_result: false };

// ---- event builders ----

export const consent = (given = true): FlowEvent => ({ kind: 'consent', given, at: CREATED_AT, version: CONSENT_VERSION });
export const front = (media_id: string, document_type?: DocumentType): FlowEvent => ({
  kind: 'capture_received',
  requirement: 'identity_document',
  media_id,
  side: 'front',
  ...(document_type ? { document_type } : {}),
});
export const back = (media_id: string): FlowEvent => ({ kind: 'capture_received', requirement: 'identity_document', media_id, side: 'back' });
export const capture = (requirement: StepType, media_id: string): FlowEvent => ({ kind: 'capture_received', requirement, media_id });
export type Outcome = Extract<FlowEvent, { kind: 'capture_checked' }>['outcome'];
export const checked = (requirement: StepType, media_id: string, outcome: Outcome = 'accepted', reasons?: string[]): FlowEvent => ({
  kind: 'capture_checked',
  requirement,
  media_id,
  outcome,
  ...(reasons ? { reasons } : {}),
});
export const started = (requirement: StepType, extra: Record<string, unknown> = {}): FlowEvent => ({ kind: 'step_started', requirement, extra });
export const verified = (requirement: StepType): FlowEvent => ({ kind: 'step_verified', requirement });
export const cancel: FlowEvent = { kind: 'cancel' };
export const expire: FlowEvent = { kind: 'expire' };
export const decide = (decision: DecisionKind, steps: StepType[] = [], reason: string | null = null): FlowEvent => ({
  kind: 'decision',
  decision: { id: 'dec_000000000000000000000001', decision, reason, steps, at: '2025-03-03T10:00:00.000Z' },
});

export const CODE_SENT = { code_sent: true, destination: '+44 •••• ••7890', resend_available_at: '2025-03-02T12:01:00.000Z' };

/** The events that take one step from awaiting receipt to accepted (media ids tagged so repeats stay distinct). */
export function passStep(type: StepType, tag = '1', document: DocumentType = 'passport'): FlowEvent[] {
  switch (type) {
    case 'identity_document': {
      const events = [front(`media_front_${tag}`, document), checked(type, `media_front_${tag}`)];
      return document === 'passport' ? events : [...events, back(`media_back_${tag}`), checked(type, `media_back_${tag}`)];
    }
    case 'liveness':
      return [started(type, { liveness_id: `liv_${tag}` }), capture(type, `media_liv_${tag}`), checked(type, `media_liv_${tag}`)];
    case 'nfc':
    case 'proof_of_address':
    case 'proof_of_funds':
      return [capture(type, `media_${type}_${tag}`), checked(type, `media_${type}_${tag}`)];
    case 'phone_verification':
    case 'email_verification':
      return [started(type, CODE_SENT), verified(type)];
  }
}

/** Consent, then the given steps (in the order given). */
export const through = (...steps: StepType[]): FlowEvent[] => [consent(), ...steps.flatMap((s) => passStep(s))];

export const stepsOf = (level: FlowLevel): StepType[] =>
  [...level.steps].sort((a, b) => a.flow_order - b.flow_order).map((s) => s.type);

/** Consent and every step of the level: ends `submitted`. */
export const submitAll = (level: FlowLevel): FlowEvent[] => through(...stepsOf(level));

export interface Played {
  state: SessionState;
  /** State after each event, index 0 being the fresh session. */
  states: SessionState[];
  /** Event names recorded by each transition. */
  emitted: EventType[][];
}

/** Folds events into a fresh session; any rejection fails the test with the event that caused it. */
export function play(level: FlowLevel, events: FlowEvent[], state: SessionState = newSessionState(level, EXPIRES_AT)): Played {
  const states = [state];
  const emitted: EventType[][] = [];
  events.forEach((event, i) => {
    const result = applyFlowEvent(state, event, level);
    if (!result.ok) assert.fail(`event #${i} (${event.kind}) was rejected: ${result.rejection.type}: ${result.rejection.message}`);
    state = result.state;
    states.push(state);
    emitted.push(result.events);
  });
  return { state, states, emitted };
}

export const stateOf = (level: FlowLevel, events: FlowEvent[]): SessionState => play(level, events).state;

export function expectOk(result: FlowResult): { state: SessionState; events: EventType[] } {
  if (!result.ok) return assert.fail(`rejected: ${result.rejection.type}: ${result.rejection.message}`);
  return result;
}

export function expectRejected(result: FlowResult, type: 'step_not_expected' | 'session_gone' | 'validation_error'): string {
  assert.equal(result.ok, false, 'expected a rejection');
  if (result.ok) return '';
  assert.equal(result.rejection.type, type, result.rejection.message);
  return result.rejection.message;
}

export const preflightOf = (state: SessionState, level: FlowLevel, now: Date = NOW): Preflight =>
  decideNextScreen({ sessionId: SESSION_ID, state, level, now });

/** A session in `review`: the engine never moves there itself (an operator queue does), so it is built by hand. */
export const inReview = (state: SessionState): SessionState => ({ ...state, status: 'review', sequence: state.sequence + 1 });
