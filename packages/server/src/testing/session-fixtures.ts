// Test-only: a session record as the store holds it, on a one-step passport level, for tests that write sessions
// straight into the database (store and sweep tests) instead of going through the API.
import { newSessionState } from '@tessera/flow';
import { newSessionId } from '../ids.ts';
import type { SessionLevel, SessionRecord } from '../sessions/session-record.ts';

export const PASSPORT_LEVEL: SessionLevel = {
  name: 'basic',
  steps: [{ type: 'identity_document', flow_order: 100, screen: { camera: 'back', camera_quality: 'ultra', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null } }],
  accepted_document_types: ['passport'],
  show_result: false,
  consent_version: 'v1',
  web_sdk_return_url: null,
};

export function newSessionRecord(
  organizationId: string,
  options: { id?: string; uniqueId?: string; expiresAt?: string } = {},
): Omit<SessionRecord, 'created_at' | 'updated_at'> {
  const id = options.id ?? newSessionId();
  return {
    id, organization_id: organizationId, mode: 'sandbox', level: PASSPORT_LEVEL,
    applicant: { unique_id: options.uniqueId ?? id, first_name: 'Ada', last_name: null, email_address: null, phone_number: null, phone_country: null, country_code: null, vendor_data: null, i18n: 'en' },
    state: newSessionState(PASSPORT_LEVEL, options.expiresAt ?? '2999-01-01T00:00:00.000Z'),
  };
}
