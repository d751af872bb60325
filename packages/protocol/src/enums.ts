// Enumerations of shared/protocol.md, as zod enums so both validation and types come from one place.
import { z } from 'zod';

export const screenShow = z.enum([
  'consent_screen',
  'scan_id_document_front_screen',
  'scan_id_document_back_screen',
  'liveness_screen',
  'nfc_capture_screen',
  'proof_of_address_screen',
  'proof_of_funds_screen',
  'phone_verification_start_screen',
  'email_verification_start_screen',
  'waiting_for_previous_call_to_complete',
  'completed_screen',
  'successful_screen',
  'rejected_screen',
  'cancel_screen',
]);
export type ScreenShow = z.infer<typeof screenShow>;

export const entityIdState = z.enum([
  'none_received',
  'front_received_but_needs_resubmission',
  'front_received_awaiting_back',
  'front_received_and_back_received_but_back_needs_resubmission',
  'id_received_awaiting_liveness',
  'awaiting_liveness',
  'awaiting_nfc',
  'awaiting_poa',
  'awaiting_pof',
  'awaiting_a4_document',
  'completed',
]);
export type EntityIdState = z.infer<typeof entityIdState>;

export const documentType = z.enum(['passport', 'id_card', 'drivers_license', 'residence_permit']);
export type DocumentType = z.infer<typeof documentType>;
export const entityIdDocumentType = z.enum(['unknown', ...documentType.options]);
export type EntityIdDocumentType = z.infer<typeof entityIdDocumentType>;

/** Steps a level can ask for; `consent` is implicit and always first. */
export const stepType = z.enum([
  'identity_document',
  'liveness',
  'nfc',
  'proof_of_address',
  'proof_of_funds',
  'phone_verification',
  'email_verification',
]);
export type StepType = z.infer<typeof stepType>;

export const requirementType = z.enum(['consent', ...stepType.options]);
export type RequirementType = z.infer<typeof requirementType>;

export const requirementStatus = z.enum([
  'awaiting_receipt',
  'processing',
  'needs_resubmission',
  'received',
  'accepted',
  'rejected',
]);
export type RequirementStatus = z.infer<typeof requirementStatus>;

export const sessionStatus = z.enum([
  'created',
  'started',
  'submitted',
  'approved',
  'rejected',
  'review',
  'canceled',
  'expired',
]);
export type SessionStatus = z.infer<typeof sessionStatus>;

export const cameraFacing = z.enum(['front', 'back']);
export const cameraQuality = z.enum(['ultra', 'high', 'medium', 'low']);

/** Screens on which the applicant uploads a document image through `POST …/media`. */
export const mediaScreen = z.enum(['scan_id_document_front_screen', 'scan_id_document_back_screen']);
export type MediaScreen = z.infer<typeof mediaScreen>;

export const fundsType = z.enum(['bank_statement', 'payslip', 'tax_return', 'other']);
export type FundsType = z.infer<typeof fundsType>;

export const decisionKind = z.enum(['approved', 'rejected', 'resubmission']);
export type DecisionKind = z.infer<typeof decisionKind>;
