// Rate limits (issue #2): one bucket per API key for integrator calls, one per session for applicant calls,
// one per client address for anything else. Answers are the §3 `rate_limited` error with Retry-After.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
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

/** Bucket names of the shared store carry no session id, API key or address: only a hash of the bucket. */
const hashedBucket = (bucket: string): string => {
  const kind = bucket.slice(0, bucket.indexOf(':'));
  return `${kind}:${createHash('sha256').update(bucket).digest('base64url').slice(0, 22)}`;
};

/**
 * `shared`: counters kept in Redis under `namespace`, shared by every process using it (see rate-limit-redis.ts);
 * otherwise each process counts alone.
 */
export function rateLimitOptions(limits: RateLimits, shared?: { redis: Redis; namespace: string }) {
  return {
    ...(shared ? { redis: shared.redis, nameSpace: shared.namespace, skipOnError: true } : {}),
    global: true,
    timeWindow: 60_000,
    keyGenerator: shared ? (request: FastifyRequest) => hashedBucket(bucketOf(request)) : bucketOf,
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith('key:') ? limits.perKeyPerMinute : key.startsWith('session:') ? limits.perSessionPerMinute : limits.perAddressPerMinute,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new AppError('rate_limited', `too many requests; retry after ${context.after}`, { retryAfter: Math.ceil(context.ttl / 1000) }),
  };
}
