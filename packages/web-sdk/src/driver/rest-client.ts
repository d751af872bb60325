// Typed calls for every applicant endpoint of protocol §4.2–§4.11. The session id is the capability: no key.
import type { DocumentType, FundsType, LivenessStarted, MediaScreen, Preflight, SessionApplicantView } from '@tessera/protocol';
import { blobToBase64 } from './blob-to-base64.ts';
import { errorFromResponse, FlowError, networkError } from './flow-error.ts';
import type { Clock, CodeSent } from './types.ts';

export interface ConsentResult {
  session_id: string;
  consent: { given: boolean; at: string; version: string };
}
export interface MediaAccepted {
  media_id: string;
  app_screen: MediaScreen;
  status: 'processing';
}
export interface Processing {
  status: 'processing';
}
export interface Verified {
  status: 'verified';
}

export interface RestClientOptions {
  apiBaseUrl: string;
  sessionId: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Reads (show, preflight) give up after this long so a hung connection cannot stall polling (default 30 s).
   *  Uploads have no timeout: a large capture on a slow uplink may legitimately take minutes. */
  readTimeoutMs?: number;
}

export interface RestClient {
  show(): Promise<SessionApplicantView>;
  consent(given: boolean): Promise<ConsentResult>;
  preflight(): Promise<Preflight>;
  media(file: Blob, appScreen: MediaScreen, documentType?: DocumentType): Promise<MediaAccepted>;
  livenessStart(): Promise<LivenessStarted>;
  livenessComplete(livenessId: string, frames: Blob[]): Promise<Processing>;
  address(file: Blob, location?: { latitude: number; longitude: number }): Promise<Processing>;
  funds(file: Blob, fundsType?: FundsType): Promise<Processing>;
  phoneSend(phoneNumber: string, countryCode?: string): Promise<CodeSent>;
  phoneCheck(code: string): Promise<Verified>;
  emailSend(emailAddress: string): Promise<CodeSent>;
  emailCheck(code: string): Promise<Verified>;
}

export interface RequestOptions {
  method: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One request with the §3 error mapping; shared with the launcher (session creation). */
export async function requestJson<T>(fetchFn: typeof fetch, url: string, options: RequestOptions, clock?: Clock): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.form) body = options.form; // fetch sets multipart/form-data with its boundary itself
  else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const abort = options.timeoutMs !== undefined && clock ? new AbortController() : null;
  const timer = abort && clock ? clock.setTimeout(() => abort.abort(), options.timeoutMs!) : undefined; // !: checked with abort
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, { method: options.method, headers, ...(body !== undefined ? { body } : {}), ...(abort ? { signal: abort.signal } : {}) });
    text = await response.text();
  } catch (error) {
    throw networkError(error);
  } finally {
    if (timer !== undefined) clock?.clearTimeout(timer);
  }
  let parsed: unknown = null;
  let parseFailed = false;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parseFailed = true;
  }
  if (!response.ok) throw errorFromResponse(response.status, parsed, response.headers.get('retry-after'), clock?.now() ?? Date.now());
  if (parseFailed || parsed === null) {
    // A 2xx that is not our JSON is a proxy or captive portal in the way: transient from the applicant's side.
    throw new FlowError({ type: 'invalid_response', message: 'the server answered with something that is not JSON', status: response.status, retryable: true });
  }
  return parsed as T;
}

export function createRestClient(options: RestClientOptions): RestClient {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init)); // unbound window.fetch throws "Illegal invocation"
  const base = `${options.apiBaseUrl.replace(/\/+$/, '')}/v1/sessions/${encodeURIComponent(options.sessionId)}`;
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  const call = <T>(method: string, path: string, extra: Omit<RequestOptions, 'method'> = {}): Promise<T> =>
    requestJson<T>(fetchFn, base + path, { method, ...extra }, options.clock);
  const read = <T>(path: string): Promise<T> => call<T>('GET', path, { timeoutMs: readTimeoutMs });

  return {
    show: () => read('') as Promise<SessionApplicantView>,
    preflight: () => read('/preflight') as Promise<Preflight>,
    consent: (given) => call('PATCH', `/consent?gives_consent=${given}`),
    media(file, appScreen, documentType) {
      // Multipart (§4.6, ours): the capture goes as bytes, a third smaller than base64 JSON and no encoding cost.
      const form = new FormData();
      form.append('app_screen', appScreen);
      if (documentType) form.append('document_type', documentType);
      form.append('media', file, fileNameOf(file));
      return call('POST', '/media', { form });
    },
    livenessStart: () => call('POST', '/liveness/start'),
    async livenessComplete(livenessId, frames) {
      return call('POST', '/liveness/complete', { json: { liveness_id: livenessId, frames: await Promise.all(frames.map(blobToBase64)) } });
    },
    async address(file, location) {
      return call('POST', '/address_verification', { json: { document_base64_strict: await blobToBase64(file), ...location } });
    },
    async funds(file, fundsType) {
      return call('POST', '/funds_verification', { json: { document_base64_strict: await blobToBase64(file), ...(fundsType ? { funds_type: fundsType } : {}) } });
    },
    phoneSend: (phoneNumber, countryCode) =>
      call('POST', '/phone_verification', { json: { phone_number: phoneNumber, ...(countryCode ? { country_code: countryCode } : {}) } }),
    phoneCheck: (code) => call('PATCH', '/phone_verification', { json: { code } }),
    emailSend: (emailAddress) => call('POST', '/email_verification', { json: { email_address: emailAddress } }),
    emailCheck: (code) => call('PATCH', '/email_verification', { json: { code } }),
  };
}

/** The server decides the type by magic bytes and ignores the name; a name only helps operators reading logs. */
function fileNameOf(file: Blob): string {
  const name = (file as { name?: unknown }).name;
  return typeof name === 'string' && name ? name : 'capture';
}
