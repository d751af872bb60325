// The one error the driver throws and emits: the §3 error body, plus whether trying again can help.
import type { DriverError } from './types.ts';

/** An Error (so stacks and `instanceof Error` work in integrators' code) that is also a `DriverError`. */
export class FlowError extends Error implements DriverError {
  readonly type: string;
  readonly status: number | undefined;
  retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;

  constructor(init: DriverError) {
    super(init.message);
    this.name = 'FlowError';
    this.type = init.type;
    this.status = init.status;
    this.retryable = init.retryable;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
  }
}

/** Retryable: rate limits, server faults and gateway errors. 4xx other than 429 say the request itself is wrong
 *  (or the session is gone), so the same request would fail again. 409 is decided by the caller (see flow-driver). */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** §3 types by status, for error bodies that are not ours (a proxy's HTML 502, an empty 413 from a load balancer). */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'authentication_error',
  403: 'permission_denied',
  404: 'not_found',
  409: 'step_not_expected',
  410: 'session_gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
};

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Builds the error of a non-2xx response from its status, parsed body (or null) and `Retry-After` header. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null, now: number): FlowError {
  const error = (body as { error?: unknown } | null)?.error;
  const known = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const type = typeof known.type === 'string' ? known.type : (TYPE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'http_error'));
  const details = typeof known.details === 'object' && known.details !== null ? (known.details as Record<string, unknown>) : undefined;
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const requestId = typeof known.request_id === 'string' ? known.request_id : undefined;
  return new FlowError({
    type,
    message: typeof known.message === 'string' ? known.message : `the server answered ${status}`,
    status,
    retryable: isRetryableStatus(status),
    ...(details ? { details } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(requestId ? { requestId } : {}),
  });
}

/** fetch rejected: offline, DNS, CORS refusal, aborted by our timeout. Always worth another try. */
export const networkError = (cause: unknown): FlowError =>
  new FlowError({
    type: 'network_error',
    message: cause instanceof Error && cause.message ? `network error: ${cause.message}` : 'network error',
    retryable: true,
  });

/** Anything thrown into the driver, as a FlowError (our own pass through unchanged). */
export const toFlowError = (error: unknown): FlowError =>
  error instanceof FlowError ? error : new FlowError({ type: 'internal_error', message: String(error instanceof Error ? error.message : error), retryable: false });
