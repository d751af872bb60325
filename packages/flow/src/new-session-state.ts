// The state a session starts in: every step of the level awaiting receipt, in flow order.
import type { FlowLevel, RequirementState, SessionState } from './types.ts';

export function newRequirement(step: FlowLevel['steps'][number]): RequirementState {
  return {
    type: step.type,
    flow_order: step.flow_order,
    status: 'awaiting_receipt',
    reasons: [],
    document_type: null,
    front: null,
    back: null,
    media_ids: [],
    extra: {},
  };
}

export function newSessionState(level: FlowLevel, expiresAt: string): SessionState {
  return {
    status: 'created',
    expires_at: expiresAt,
    consent: { given: null, at: null, version: null },
    requirements: [...level.steps].sort((a, b) => a.flow_order - b.flow_order).map(newRequirement),
    decision: null,
    sequence: 0,
  };
}
