// Session creation from the integrator's page with a public key (§4.1), as the public Bynn Web SDK does it.
import { requestJson } from '../driver/rest-client.ts';
import type { ApplicantFields } from './types.ts';

export interface CreatedSession {
  session_id: string;
  url: string;
  websocket_url: string;
  web_sdk_return_url: string | null;
}

export interface CreateSessionInput {
  apiBaseUrl: string;
  publicKey: string;
  kycLevel: string;
  applicant?: ApplicantFields;
  idempotencyKey?: string;
}

/** The JSON body: `kyc_level` plus the applicant fields that have a value (the server treats '' as absent anyway). */
export function sessionRequestBody(kycLevel: string, applicant: ApplicantFields = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { kyc_level: kycLevel };
  for (const [key, value] of Object.entries(applicant)) if (value !== undefined && value !== null && value !== '') body[key] = value;
  return body;
}

export function sessionRequestHeaders(publicKey: string, idempotencyKey?: string): Record<string, string> {
  return {
    authorization: `Bearer ${publicKey}`,
    'x-origin': 'js-sdk', // what the public Bynn launcher sends; the server's CORS allows it (§2)
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
  };
}

/** Where a redirected applicant comes back to by default: this page, without its fragment; only http(s) URLs,
 *  since the server accepts nothing else as `web_sdk_return_url`. */
export function defaultReturnUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    url.hash = '';
    return url.toString();
  } catch {
    return undefined;
  }
}

export function createSession(input: CreateSessionInput, fetchFn: typeof fetch = (i, init) => fetch(i, init)): Promise<CreatedSession> {
  return requestJson<CreatedSession>(fetchFn, `${input.apiBaseUrl.replace(/\/+$/, '')}/v1/sessions`, {
    method: 'POST',
    json: sessionRequestBody(input.kycLevel, input.applicant),
    headers: sessionRequestHeaders(input.publicKey, input.idempotencyKey),
  });
}
