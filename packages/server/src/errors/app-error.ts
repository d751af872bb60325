// The one error type of the server: a closed code from protocol §3, a message safe to show, optional details.
import type { ErrorType } from '@tessera/protocol';

export class AppError extends Error {
  readonly type: ErrorType;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds, for `rate_limited`: becomes the Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(type: ErrorType, message: string, options: { details?: Record<string, unknown>; retryAfter?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.type = type;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
