// A session as stored: the flow state plus who it belongs to, the level it was created with and the applicant.
import type { FlowLevel, SessionState } from '@tessera/flow';
import type { Mode } from '@tessera/protocol';

/** The level is copied into the session at creation so later edits of the level never change a running flow. */
export interface SessionLevel extends FlowLevel {
  name: string;
  web_sdk_return_url: string | null;
}

export interface Applicant {
  unique_id: string | null;
  first_name: string | null;
  last_name: string | null;
  email_address: string | null;
  phone_number: string | null;
  phone_country: string | null;
  country_code: string | null;
  vendor_data: string | null;
  i18n: string;
}

export interface SessionRecord {
  id: string;
  organization_id: string;
  mode: Mode;
  level: SessionLevel;
  applicant: Applicant;
  state: SessionState;
  created_at: Date;
  updated_at: Date;
}
