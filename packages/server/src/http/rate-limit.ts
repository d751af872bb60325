// Rate limits (issue #2): one bucket per API key for integrator calls, one per session for applicant calls,
// one per client address for anything else. Answers are the §3 `rate_limited` error with Retry-After.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { identifyKey } from '../accounts/api-keys.ts';
import { keyFromHeader } from '../accounts/authenticate.ts';
import { AppError } from '../errors/app-error.ts';

export interface RateLimits {
  perKeyPerMinute: number;
  perSessionPerMinute: number;
  perAddressPerMinute: number;
}

const SESSION_IN_PATH = /^\/v1\/sessions\/([0-9A-Za-z]{24})(?:[/?]|$)/;
const STEP_PATH = /^\/v1\/sessions\/([0-9A-Za-z]{24})\/(?:preflight|consent|media|liveness\/start|liveness\/complete|address_verification|funds_verification|phone_verification|email_verification|nfc)(?:\?|$)/;

/** The key a header names, or null for none or anything that is not a Tessera key (those count against the address). */
function apiKeyIn(header: string | undefined): string | null {
  try {
    const key = keyFromHeader(header);
    return key && identifyKey(key) ? key : null;
  } catch {
    return null;
  }
}

export function bucketOf(request: FastifyRequest): string {
  // Step calls need no key and ignore the header: any Authorization value must not move them out of their session's bucket.
  const step = STEP_PATH.exec(request.url)?.[1];
  if (step) return `session:${step}`;
  // By the key itself, not the header text: `Bearer k`, `bearer  k` and Basic `k:<any password>` are one key.
  const key = apiKeyIn(request.headers.authorization);
  if (key) return `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
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
