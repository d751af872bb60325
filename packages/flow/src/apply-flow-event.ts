// The pure state transition: (state, event) → next state and the event names it records (protocol §9).
import type { EventType, StepType } from '@tessera/protocol';
import { isDone, needsBack } from './current-step.ts';
import { newRequirement } from './new-session-state.ts';
import type { CaptureSlot, FlowEvent, FlowLevel, FlowResult, RequirementState, SessionState } from './types.ts';

const receivedEvent: Record<Exclude<StepType, 'identity_document'>, EventType> = {
  liveness: 'session.liveness.received',
  nfc: 'session.nfc.received',
  proof_of_address: 'session.poa.received',
  proof_of_funds: 'proof_of_funds.received',
  phone_verification: 'session.phone.code_sent',
  email_verification: 'session.email.code_sent',
};

/** Bynn names a verdict per capture kind; a plain 'received' (kept for review) has no Bynn name, so it is ours. */
function checkedEvent(type: StepType, side: 'front' | 'back' | null, outcome: CaptureSlot['status']): EventType {
  if (outcome === 'received' || outcome === 'processing') return 'session.requirement.processed';
  const verdict = outcome === 'accepted' ? 'accepted' : 'rejected';
  switch (type) {
    case 'identity_document':
      return side === 'back' ? `session.id_document_back.${verdict}` : `session.id_document_front.${verdict}`;
    case 'liveness':
      return `session.liveness.${verdict}`;
    case 'proof_of_address':
      return `session.poa.${verdict}`;
    case 'proof_of_funds':
      return `proof_of_funds.${verdict}`;
    default:
      return 'session.requirement.processed';
  }
}

const reject = (type: 'step_not_expected' | 'session_gone' | 'validation_error', message: string): FlowResult => ({
  ok: false,
  rejection: { type, message },
});

function withRequirement(state: SessionState, type: StepType, change: (r: RequirementState) => RequirementState): SessionState {
  return { ...state, requirements: state.requirements.map((r) => (r.type === type ? change(r) : r)) };
}

/** Moves a started session whose every requirement is done to `submitted`. */
function settle(state: SessionState, events: EventType[]): FlowResult {
  if (state.status === 'started' && state.requirements.every(isDone)) {
    return { ok: true, state: { ...state, status: 'submitted', sequence: state.sequence + 1 }, events: [...events, 'session.completed'] };
  }
  return { ok: true, state: { ...state, sequence: state.sequence + 1 }, events };
}

export function applyFlowEvent(state: SessionState, event: FlowEvent, level: FlowLevel): FlowResult {
  if (state.status === 'canceled' || state.status === 'expired') {
    return reject('session_gone', `the session is ${state.status}`);
  }
  switch (event.kind) {
    case 'consent': {
      if (state.status !== 'created' && state.status !== 'started') return reject('step_not_expected', 'the flow is already complete');
      if (event.given && state.consent.given === true) return { ok: true, state, events: [] };
      const consent = { given: event.given, at: event.at, version: event.version };
      if (!event.given) {
        return { ok: true, state: { ...state, consent, status: 'canceled', sequence: state.sequence + 1 }, events: ['session.consent.reject', 'session.canceled'] };
      }
      return settle({ ...state, consent, status: 'started' }, ['session.consent.accept']);
    }
    case 'capture_received': {
      const requirement = state.requirements.find((r) => r.type === event.requirement);
      if (!requirement) return reject('step_not_expected', `this session has no ${event.requirement} step`);
      if (event.document_type && !level.accepted_document_types.includes(event.document_type)) {
        return reject('validation_error', `this level does not accept ${event.document_type}`);
      }
      const slot: CaptureSlot = { media_id: event.media_id, status: 'processing', reasons: [] };
      const next = withRequirement(state, event.requirement, (r) => {
        const media_ids = [...r.media_ids, ...(event.extra_media_ids ?? []), event.media_id];
        if (r.type !== 'identity_document') return { ...r, status: 'processing', reasons: [], media_ids };
        return event.side === 'back'
          ? { ...r, status: 'processing', back: slot, media_ids }
          : { ...r, status: 'processing', front: slot, back: null, document_type: event.document_type ?? r.document_type, media_ids };
      });
      const name: EventType =
        event.requirement === 'identity_document'
          ? event.side === 'back' ? 'session.id_document_back.received' : 'session.id_document_front.received'
          : receivedEvent[event.requirement];
      return settle(next, [name]);
    }
    case 'capture_checked': {
      const requirement = state.requirements.find((r) => r.type === event.requirement);
      const side = requirement?.back?.media_id === event.media_id ? 'back' : requirement?.front?.media_id === event.media_id ? 'front' : null;
      const slot = side === 'back' ? requirement?.back : side === 'front' ? requirement?.front : null;
      // For a document the checked side itself must still be processing: a retried front check while the back is being checked is stale.
      const current = requirement && (requirement.type === 'identity_document' ? slot?.status === 'processing' : requirement.media_ids.at(-1) === event.media_id);
      // A check of a capture that was since replaced (or a retried job) changes nothing.
      if (!requirement || !current || requirement.status !== 'processing') return { ok: true, state, events: [] };
      const reasons = event.reasons ?? [];
      const next = withRequirement(state, event.requirement, (r) => {
        if (r.type !== 'identity_document') return { ...r, status: event.outcome, reasons };
        const checked: CaptureSlot = { media_id: event.media_id, status: event.outcome, reasons };
        const front = side === 'front' ? checked : r.front;
        const back = side === 'back' ? checked : r.back;
        const awaitingBack = side === 'front' && event.outcome !== 'needs_resubmission' && event.outcome !== 'rejected' && needsBack(r.document_type);
        const status = awaitingBack ? 'awaiting_receipt' : side === 'front' || event.outcome !== 'accepted' ? event.outcome : worst(front, back);
        return { ...r, front, back, status, reasons: event.outcome === 'needs_resubmission' ? reasons : [] };
      });
      return settle(next, [checkedEvent(event.requirement, requirement.type === 'identity_document' ? side : null, event.outcome)]);
    }
    case 'step_started':
    case 'step_updated': {
      if (!state.requirements.some((r) => r.type === event.requirement)) return reject('step_not_expected', `this session has no ${event.requirement} step`);
      const next = withRequirement(state, event.requirement, (r) => ({ ...r, extra: { ...r.extra, ...event.extra } }));
      const name: EventType =
        event.kind === 'step_updated' ? 'session.updated'
        : event.requirement === 'email_verification' ? 'session.email.code_sent'
        : event.requirement === 'phone_verification' ? 'session.phone.code_sent'
        : event.requirement === 'liveness' ? 'session.liveness.started'
        : 'session.updated';
      return { ok: true, state: { ...next, sequence: state.sequence + 1 }, events: [name] };
    }
    case 'step_verified': {
      if (!state.requirements.some((r) => r.type === event.requirement)) return reject('step_not_expected', `this session has no ${event.requirement} step`);
      const next = withRequirement(state, event.requirement, (r) => ({ ...r, status: 'accepted', reasons: [], extra: {} }));
      const name: EventType =
        event.requirement === 'email_verification' ? 'session.email.verified'
        : event.requirement === 'phone_verification' ? 'session.phone.verified'
        : checkedEvent(event.requirement, null, 'accepted');
      return settle(next, [name]);
    }
    case 'extend':
      if (state.status !== 'created' && state.status !== 'started') return reject('step_not_expected', 'only an open session can get a new expiry');
      return { ok: true, state: { ...state, expires_at: event.expires_at, sequence: state.sequence + 1 }, events: ['session.updated'] };
    case 'cancel':
      if (state.status === 'approved' || state.status === 'rejected') return reject('step_not_expected', `a ${state.status} session cannot be canceled`);
      return { ok: true, state: { ...state, status: 'canceled', sequence: state.sequence + 1 }, events: ['session.canceled'] };
    case 'expire':
      if (state.status !== 'created' && state.status !== 'started') return reject('step_not_expected', 'a submitted session does not expire');
      return { ok: true, state: { ...state, status: 'expired', sequence: state.sequence + 1 }, events: ['session.expired'] };
    case 'decision':
      return applyDecision(state, event.decision, level);
  }
}

/** Of two checked sides, the less favourable status speaks for the document. */
function worst(front: CaptureSlot | null, back: CaptureSlot | null): RequirementState['status'] {
  const order = ['rejected', 'needs_resubmission', 'processing', 'received', 'accepted'] as const;
  const rank = (s: CaptureSlot | null) => (s ? order.indexOf(s.status) : 0);
  return (rank(front) <= rank(back) ? front : back)?.status ?? 'awaiting_receipt';
}

function applyDecision(state: SessionState, decision: Extract<FlowEvent, { kind: 'decision' }>['decision'], level: FlowLevel): FlowResult {
  if (state.status !== 'submitted' && state.status !== 'review') {
    return reject('step_not_expected', `a decision needs a submitted session; this one is ${state.status}`);
  }
  if (decision.decision !== 'resubmission') {
    const status = decision.decision;
    return { ok: true, state: { ...state, status, decision, sequence: state.sequence + 1 }, events: [`decision.${status}`] };
  }
  const steps = decision.steps.length > 0 ? decision.steps : state.requirements.map((r) => r.type);
  const unknown = steps.filter((s) => !state.requirements.some((r) => r.type === s));
  if (unknown.length > 0) return reject('validation_error', `this session has no step ${unknown.join(', ')}`);
  const reasons = [decision.reason ? 'operator_request' : 'resubmission_requested'];
  const requirements = state.requirements.map((r) => {
    if (!steps.includes(r.type)) return r;
    const step = level.steps.find((s) => s.type === r.type);
    return { ...(step ? newRequirement(step) : r), status: 'needs_resubmission' as const, reasons, media_ids: r.media_ids };
  });
  return {
    ok: true,
    state: { ...state, status: 'started', requirements, decision: { ...decision, steps }, sequence: state.sequence + 1 },
    events: ['decision.challenge'],
  };
}
