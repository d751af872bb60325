// Event names of protocol §9 (Bynn's names), recorded on every state change.
import { z } from 'zod';

export const eventTypes = [
  'session.created',
  'session.completed',
  'session.canceled',
  'session.expired',
  'session.updated',
  'session.consent.accept',
  'session.consent.reject',
  'session.liveness.started',
  'session.liveness.received',
  'session.requirement.processed',
  'session.liveness.accepted',
  'session.liveness.rejected',
  'session.id_document_front.received',
  'session.id_document_front.accepted',
  'session.id_document_front.rejected',
  'session.id_document_back.received',
  'session.id_document_back.accepted',
  'session.id_document_back.rejected',
  'session.poa.received',
  'session.poa.accepted',
  'session.poa.rejected',
  'proof_of_funds.received',
  'proof_of_funds.accepted',
  'proof_of_funds.rejected',
  'session.phone.code_sent',
  'session.phone.verified',
  'session.email.code_sent',
  'session.email.verified',
  'session.nfc.received',
  'decision.approved',
  'decision.rejected',
  'decision.challenge',
] as const;
export const eventType = z.enum(eventTypes);
export type EventType = z.infer<typeof eventType>;
