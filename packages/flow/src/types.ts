// The session as the flow engine sees it: plain data, stored as JSON, changed only by applyFlowEvent.
import type {
  DecisionKind,
  DocumentType,
  EventType,
  LevelStep,
  RequirementStatus,
  SessionStatus,
  StepType,
} from '@tessera/protocol';

/** One uploaded capture and where its check stands. */
export interface CaptureSlot {
  media_id: string;
  status: Extract<RequirementStatus, 'processing' | 'received' | 'needs_resubmission' | 'accepted' | 'rejected'>;
  reasons: string[];
}

export interface RequirementState {
  type: StepType;
  flow_order: number;
  status: RequirementStatus;
  /** Machine codes why the last capture must be redone (protocol §5 `extra_data.reasons`). */
  reasons: string[];
  /** identity_document only. */
  document_type: DocumentType | null;
  front: CaptureSlot | null;
  back: CaptureSlot | null;
  /** Every capture ever stored for this requirement, oldest first. */
  media_ids: string[];
  /** Step-specific data shown to the applicant (e.g. code_sent, destination for phone/email). */
  extra: Record<string, unknown>;
}

export interface ConsentState {
  given: boolean | null;
  at: string | null;
  version: string | null;
}

export interface DecisionState {
  id: string;
  decision: DecisionKind;
  reason: string | null;
  steps: StepType[];
  at: string;
}

export interface SessionState {
  status: SessionStatus;
  /** ISO time; past it an unsubmitted session is expired. */
  expires_at: string;
  consent: ConsentState;
  requirements: RequirementState[];
  decision: DecisionState | null;
  /** Per-session, strictly increasing with every change. */
  sequence: number;
}

/** What the flow needs of a level; a snapshot of it is stored with the session at creation. */
export interface FlowLevel {
  steps: LevelStep[];
  accepted_document_types: DocumentType[];
  show_result: boolean;
  consent_version: string;
}

export type FlowEvent =
  | { kind: 'consent'; given: boolean; at: string; version: string }
  /** `media_id` is the capture the check looks at; `extra_media_ids` are stored beside it (liveness frames). */
  | { kind: 'capture_received'; requirement: StepType; media_id: string; extra_media_ids?: string[]; side?: 'front' | 'back'; document_type?: DocumentType }
  | { kind: 'capture_checked'; requirement: StepType; media_id: string; outcome: 'received' | 'accepted' | 'needs_resubmission' | 'rejected'; reasons?: string[] }
  | { kind: 'step_started'; requirement: StepType; extra: Record<string, unknown> }
  /** Like step_started, but news about a step already started (e.g. a code that could not be delivered). */
  | { kind: 'step_updated'; requirement: StepType; extra: Record<string, unknown> }
  | { kind: 'step_verified'; requirement: StepType }
  | { kind: 'extend'; expires_at: string }
  | { kind: 'cancel' }
  | { kind: 'expire' }
  | { kind: 'decision'; decision: DecisionState };

export type FlowRejection = { type: 'step_not_expected' | 'session_gone' | 'validation_error'; message: string };

export type FlowResult =
  | { ok: true; state: SessionState; events: EventType[] }
  | { ok: false; rejection: FlowRejection };

/** The applicant actions that must match the current screen. */
export type StepAction =
  | 'consent'
  | 'media_front'
  | 'media_back'
  | 'liveness_start'
  | 'liveness_complete'
  | 'address'
  | 'funds'
  | 'phone_send'
  | 'phone_check'
  | 'email_send'
  | 'email_check'
  | 'nfc';
