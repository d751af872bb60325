// Where a session stands: the one place that reads state and names what the applicant faces now.
import type { DocumentType, SessionStatus } from '@tessera/protocol';
import type { FlowLevel, RequirementState, SessionState } from './types.ts';

export type FinalScreen = 'cancel_screen' | 'completed_screen' | 'successful_screen' | 'rejected_screen';

export type CurrentStep =
  | { kind: 'final'; screen: FinalScreen; status: SessionStatus }
  | { kind: 'consent' }
  | { kind: 'waiting'; requirement: RequirementState }
  | { kind: 'step'; requirement: RequirementState; side: 'front' | 'back' | null };

/** Passports have one page to scan; cards and permits have two sides. */
export const needsBack = (type: DocumentType | null): boolean => type !== null && type !== 'passport';

export const isDone = (r: RequirementState): boolean =>
  r.status === 'received' || r.status === 'accepted' || r.status === 'rejected';

/** The status the world sees: an unsubmitted session past `expires_at` is expired even before a sweeper records it. */
export function effectiveStatus(state: SessionState, now: Date): SessionStatus {
  const open = state.status === 'created' || state.status === 'started';
  return open && now.getTime() >= Date.parse(state.expires_at) ? 'expired' : state.status;
}

export const isGone = (status: SessionStatus): boolean => status === 'canceled' || status === 'expired';

function finalScreen(status: SessionStatus, level: FlowLevel): FinalScreen | null {
  switch (status) {
    case 'canceled':
    case 'expired':
      return 'cancel_screen';
    case 'submitted':
    case 'review':
      return 'completed_screen';
    case 'approved':
      return level.show_result ? 'successful_screen' : 'completed_screen';
    case 'rejected':
      return level.show_result ? 'rejected_screen' : 'completed_screen';
    case 'created':
    case 'started':
      return null;
  }
}

export function currentStep(state: SessionState, level: FlowLevel, now: Date): CurrentStep {
  const status = effectiveStatus(state, now);
  const final = finalScreen(status, level);
  if (final) return { kind: 'final', screen: final, status };
  if (state.consent.given !== true) return { kind: 'consent' };
  for (const requirement of state.requirements) {
    if (isDone(requirement)) continue;
    if (requirement.status === 'processing') return { kind: 'waiting', requirement };
    if (requirement.type !== 'identity_document') return { kind: 'step', requirement, side: null };
    const frontDone = requirement.front !== null && requirement.front.status !== 'needs_resubmission';
    return { kind: 'step', requirement, side: frontDone && needsBack(requirement.document_type) ? 'back' : 'front' };
  }
  // Every requirement is done but the status was not moved on: show the end rather than invent a step.
  return { kind: 'final', screen: 'completed_screen', status };
}
