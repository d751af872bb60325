// Driver errors (the §3 `type`, or network_error) → the sentence an applicant sees. Never the server's own
// message: that is written for developers, in English.
import type { DriverError } from '../driver/types.ts';
import type { MessageKey } from './i18n/i18n.ts';

export function asDriverError(error: unknown): DriverError {
  if (typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string') {
    const e = error as Partial<DriverError> & { type: string };
    return { type: e.type, message: String(e.message ?? e.type), retryable: e.retryable ?? false, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.details ? { details: e.details } : {}) };
  }
  return { type: 'internal_error', message: error instanceof Error ? error.message : String(error), retryable: true };
}

export function errorMessageKey(error: Pick<DriverError, 'type' | 'status'>): MessageKey {
  switch (error.type) {
    case 'network_error':
    case 'timeout':
      return 'error.network';
    case 'rate_limited':
      return 'error.rateLimited';
    case 'payload_too_large':
      return 'error.tooLarge';
    case 'unsupported_media_type':
      return 'error.unsupported';
    case 'validation_error':
    case 'invalid_request':
      return 'error.validation';
    case 'step_not_expected':
      return 'error.stepMoved';
    default:
      return error.status === undefined && error.type !== 'internal_error' ? 'error.network' : 'error.generic';
  }
}

/** The session can't go on (canceled, refused consent, expired, unknown): the whole page changes, not one button. */
export const isFatal = (error: Pick<DriverError, 'type'>): boolean => error.type === 'session_gone' || error.type === 'not_found';

/** `details.attempts_left` of a wrong one-time code (§3 422), if the server sent it. */
export function attemptsLeftOf(error: Pick<DriverError, 'details'>): number | null {
  const value = error.details?.attempts_left;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
