// The one error body of protocol §3 and the closed set of error types with their HTTP statuses.
import { z } from 'zod';

export const errorTypes = [
  'invalid_request',
  'authentication_error',
  'permission_denied',
  'not_found',
  'step_not_expected',
  'idempotency_conflict',
  'session_gone',
  'payload_too_large',
  'unsupported_media_type',
  'validation_error',
  'rate_limited',
  'internal_error',
] as const;
export const errorType = z.enum(errorTypes);
export type ErrorType = z.infer<typeof errorType>;

export const httpStatusOf: Record<ErrorType, number> = {
  invalid_request: 400,
  authentication_error: 401,
  permission_denied: 403,
  not_found: 404,
  step_not_expected: 409,
  idempotency_conflict: 409,
  session_gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  rate_limited: 429,
  internal_error: 500,
};

export const errorBody = z.object({
  error: z.object({
    type: errorType,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    request_id: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
