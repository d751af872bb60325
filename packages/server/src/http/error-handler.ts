// Every failure leaves as the §3 body. Fastify's own errors are mapped by status; anything else is a 500
// whose details stay in the log.
import { httpStatusOf, type ErrorBody, type ErrorType } from '@tessera/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.ts';

const byStatus: Record<number, ErrorType> = {
  400: 'invalid_request',
  401: 'authentication_error',
  403: 'permission_denied',
  404: 'not_found',
  406: 'invalid_request',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const status = (error as Partial<FastifyError>)?.statusCode;
  const type = status ? byStatus[status] : undefined;
  if (type) {
    const message = type === 'payload_too_large' ? 'the request body is larger than this endpoint accepts' : ((error as Error).message || type);
    return new AppError(type, message);
  }
  return new AppError('internal_error', 'something went wrong on our side; the request can be retried');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body: ErrorBody = {
    error: { type: error.type, message: error.message, ...(error.details ? { details: error.details } : {}), request_id: String(request.id) },
  };
  if (error.retryAfter !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfter))));
  return reply.status(httpStatusOf[error.type]).send(body);
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (appError.type === 'internal_error') request.log.error({ err: error }, 'unexpected error');
  return sendError(request, reply, appError);
}
