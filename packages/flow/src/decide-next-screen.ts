// The pure next-screen decision: (session state, level, now) → the preflight payload of protocol §5.
import type { EntityIdState, Preflight, ScreenParameters, ScreenShow, StepType } from '@tessera/protocol';
import { currentStep, isDone, needsBack, type CurrentStep } from './current-step.ts';
import type { FlowLevel, RequirementState, SessionState } from './types.ts';

export const DEFAULT_SCREEN_PARAMETERS: ScreenParameters = {
  camera: 'back',
  camera_quality: 'high',
  allow_manual_upload: false,
  multipage: false,
  autocapture: false,
  title: null,
  text: null,
};

const stepScreens: Record<Exclude<StepType, 'identity_document'>, ScreenShow> = {
  liveness: 'liveness_screen',
  nfc: 'nfc_capture_screen',
  proof_of_address: 'proof_of_address_screen',
  proof_of_funds: 'proof_of_funds_screen',
  phone_verification: 'phone_verification_start_screen',
  email_verification: 'email_verification_start_screen',
};

export function screenOf(step: CurrentStep): ScreenShow {
  switch (step.kind) {
    case 'final':
      return step.screen;
    case 'consent':
      return 'consent_screen';
    case 'waiting':
      return 'waiting_for_previous_call_to_complete';
    case 'step':
      if (step.requirement.type !== 'identity_document') return stepScreens[step.requirement.type];
      return step.side === 'back' ? 'scan_id_document_back_screen' : 'scan_id_document_front_screen';
  }
}

/** How far the identity part (document, liveness, NFC, address, funds) has come; phone and email do not count. */
export function entityIdStateOf(state: SessionState): EntityIdState {
  // Set once the walk (in flow order) has passed the identity document: only then is liveness "after the ID".
  let identityReceived = false;
  for (const r of state.requirements) {
    if (r.type === 'phone_verification' || r.type === 'email_verification') continue;
    if (r.type === 'identity_document') {
      // A done document (e.g. a rejected front of an id_card) has no back coming: do not report it as awaited.
      if (!isDone(r)) {
        const front = r.front;
        if (front === null) return 'none_received';
        if (front.status === 'needs_resubmission') return 'front_received_but_needs_resubmission';
        if (r.back?.status === 'needs_resubmission') return 'front_received_and_back_received_but_back_needs_resubmission';
        if (needsBack(r.document_type) && r.back === null) return 'front_received_awaiting_back';
      }
      identityReceived = true;
      continue;
    }
    if (isDone(r)) continue;
    switch (r.type) {
      case 'liveness':
        return identityReceived ? 'id_received_awaiting_liveness' : 'awaiting_liveness';
      case 'nfc':
        return 'awaiting_nfc';
      case 'proof_of_address':
        return 'awaiting_poa';
      case 'proof_of_funds':
        return 'awaiting_pof';
    }
  }
  return 'completed';
}

function parametersFor(requirement: RequirementState | null, level: FlowLevel): ScreenParameters {
  const step = requirement && level.steps.find((s) => s.type === requirement.type);
  return step ? step.screen : DEFAULT_SCREEN_PARAMETERS;
}

function documentProgress(state: SessionState, type: StepType): Preflight['proof_of_address'] {
  const r = state.requirements.find((x) => x.type === type);
  return r ? { status: r.status, message: r.reasons.length > 0 ? r.reasons.join(', ') : null } : null;
}

function extraDataFor(step: CurrentStep, level: FlowLevel): Record<string, unknown> {
  switch (step.kind) {
    case 'final':
      return { result: resultOf(step) };
    case 'consent':
      return { consent_version: level.consent_version };
    case 'waiting':
      return {};
    case 'step': {
      const r = step.requirement;
      const slot = step.side === 'back' ? r.back : r.front;
      const slotReasons = slot?.status === 'needs_resubmission' ? slot.reasons : r.status === 'needs_resubmission' ? r.reasons : [];
      const reasons = r.type === 'identity_document' ? slotReasons : r.reasons;
      return { ...r.extra, ...(reasons.length > 0 ? { reasons } : {}) };
    }
  }
}

/** What the applicant may be told; a level that hides results shows only that the flow is complete. */
function resultOf(step: Extract<CurrentStep, { kind: 'final' }>): string {
  switch (step.screen) {
    case 'cancel_screen':
      return step.status === 'expired' ? 'expired' : 'canceled';
    case 'successful_screen':
      return 'approved';
    case 'rejected_screen':
      return 'rejected';
    case 'completed_screen':
      return 'completed';
  }
}

export function decideNextScreen(input: { sessionId: string; state: SessionState; level: FlowLevel; now: Date }): Preflight {
  const { sessionId, state, level, now } = input;
  const step = currentStep(state, level, now);
  const requirement = step.kind === 'waiting' || step.kind === 'step' ? step.requirement : null;
  const identity = state.requirements.find((r) => r.type === 'identity_document');
  return {
    extra_data: extraDataFor(step, level),
    session: sessionId,
    session_id: sessionId,
    entity_id_state: entityIdStateOf(state),
    entity_id_document_type: identity?.document_type ?? 'unknown',
    requirement:
      step.kind === 'consent'
        ? { requirement_type: 'consent', status: 'awaiting_receipt', flow_order: 0 }
        : requirement && { requirement_type: requirement.type, status: requirement.status, flow_order: requirement.flow_order },
    screen: { show: screenOf(step), parameters: parametersFor(requirement, level) },
    proof_of_address: documentProgress(state, 'proof_of_address'),
    proof_of_funds: documentProgress(state, 'proof_of_funds'),
    sequence: state.sequence,
  };
}
