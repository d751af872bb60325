// Rate limits (issue #2): one bucket per API key for integrator calls, one per session for applicant calls,
// one per client address for anything else. Answers are the §3 `rate_limited` error with Retry-After.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';

export interface RateLimits {
  perKeyPerMinute: number;
  perSessionPerMinute: number;
  perAddressPerMinute: number;
}

const SESSION_IN_PATH = /^\/v1\/sessions\/([0-9A-Za-z]{24})(?:[/?]|$)/;

export function bucketOf(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (auth) return `key:${createHash('sha256').update(auth).digest('hex').slice(0, 32)}`;
  const session = SESSION_IN_PATH.exec(request.url)?.[1];
  if (session) return `session:${session}`;
  return `ip:${request.ip}`;
}

export function rateLimitOptions(limits: RateLimits) {
  return {
    global: true,
    timeWindow: 60_000,
    keyGenerator: bucketOf,
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith('key:') ? limits.perKeyPerMinute : key.startsWith('session:') ? limits.perSessionPerMinute : limits.perAddressPerMinute,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new AppError('rate_limited', `too many requests; retry after ${context.after}`, { retryAfter: Math.ceil(context.ttl / 1000) }),
  };
}
