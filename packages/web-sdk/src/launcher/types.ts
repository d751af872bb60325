// The launcher's public contract: what an integrator passes to `launch` and what the callbacks receive.
import type { DriverError } from '../driver/types.ts';

/** Applicant fields of `POST /v1/sessions` (§4.1), spelled as on the wire. Empty strings count as absent. */
export interface ApplicantFields {
  unique_id?: string;
  first_name?: string;
  last_name?: string;
  email_address?: string;
  phone_number?: string;
  phone_country?: string;
  i18n?: string;
  vendor_data?: string;
  web_sdk_return_url?: string;
  expires_in?: number;
}

/** §7 `bynn-verification` statuses. */
export type EmbedStatus = 'start' | 'complete' | 'cancel' | 'timeout' | 'error' | 'successful' | 'rejected';

export interface VerificationEvent {
  sessionId: string;
  status: EmbedStatus;
}

export interface LaunchErrorEvent {
  sessionId: string | null;
  error: DriverError;
}

export interface LaunchCallbacks {
  onStart?(event: VerificationEvent): void;
  /** The applicant finished and the result is not shown to them (`completed_screen`). */
  onComplete?(event: VerificationEvent): void;
  /** Finished and approved, on levels that show the result (`successful_screen`). */
  onSuccessful?(event: VerificationEvent): void;
  /** Finished and rejected, on levels that show the result (`rejected_screen`). */
  onRejected?(event: VerificationEvent): void;
  /** The applicant declined or closed the dialog before finishing. */
  onCancel?(event: VerificationEvent): void;
  /** The session expired. */
  onTimeout?(event: VerificationEvent): void;
  /** Session creation failed, the hosted page reported an error, or it never started. */
  onError?(event: LaunchErrorEvent): void;
}

export type LaunchMode = 'auto' | 'modal' | 'redirect';

export interface LaunchOptions extends LaunchCallbacks {
  /** A `public_…` key: it may only create sessions (§2). Not needed with `sessionId` + `url`. */
  publicKey?: string;
  /** Origin of the Tessera server, e.g. https://kyc.example.com. */
  apiBaseUrl?: string;
  kycLevel?: string;
  applicant?: ApplicantFields;
  /** An existing session (created by the integrator's backend) instead of creating one here. */
  sessionId?: string;
  url?: string;
  /** 'auto' (default): a modal on wide screens, a full-page redirect on narrow ones (phones). */
  mode?: LaunchMode;
  /** Viewports narrower than this count as mobile in 'auto' mode (default 640). */
  mobileBreakpointPx?: number;
  /** Accessible name of the dialog and the iframe (default "Identity verification"). */
  title?: string;
  /** No `start` message within this long after opening → onError (default 15000; 0 disables). */
  startTimeoutMs?: number;
  /** Makes a retried launch create the session only once (§4.1 Idempotency-Key). */
  idempotencyKey?: string;
  fetch?: typeof fetch;
}

export interface LaunchHandle {
  sessionId: string;
  url: string;
  mode: 'modal' | 'redirect';
  /** Closes the modal without calling onCancel. */
  close(): void;
}
