// Whether an applicant action belongs to the screen the session is on (protocol §3: 409 / 410).
import type { ScreenShow } from '@tessera/protocol';
import { currentStep, isGone } from './current-step.ts';
import { screenOf } from './decide-next-screen.ts';
import type { FlowLevel, FlowRejection, SessionState, StepAction } from './types.ts';

const screenFor: Record<StepAction, ScreenShow> = {
  consent: 'consent_screen',
  media_front: 'scan_id_document_front_screen',
  media_back: 'scan_id_document_back_screen',
  liveness_start: 'liveness_screen',
  liveness_complete: 'liveness_screen',
  address: 'proof_of_address_screen',
  funds: 'proof_of_funds_screen',
  phone_send: 'phone_verification_start_screen',
  phone_check: 'phone_verification_start_screen',
  email_send: 'email_verification_start_screen',
  email_check: 'email_verification_start_screen',
  nfc: 'nfc_capture_screen',
};

export function checkStepAction(state: SessionState, level: FlowLevel, now: Date, action: StepAction): FlowRejection | null {
  const step = currentStep(state, level, now);
  if (step.kind === 'final' && isGone(step.status)) {
    return { type: 'session_gone', message: `the session is ${step.status}` };
  }
  const screen = screenOf(step);
  if (screen === screenFor[action]) return null;
  if (step.kind === 'consent') {
    return { type: 'step_not_expected', message: 'consent must be given before any other step' };
  }
  if (step.kind === 'waiting') {
    return { type: 'step_not_expected', message: 'the previous capture is still being checked; wait for the next screen' };
  }
  return { type: 'step_not_expected', message: `this action does not belong to the current screen (${screen})` };
}
