// Rate-limit counters in Redis, so processes behind one load balancer share each bucket instead of each allowing the
// full limit. Used when the bus is Redis (TESSERA_BUS=redis): the deployment then runs several processes and has a
// Redis for them. Settings follow @fastify/rate-limit's advice for its Redis store: fail fast, never queue.
import { Redis } from 'ioredis';

export interface RateLimitRedis {
  redis: Redis;
  close(): Promise<void>;
}

/**
 * Rejects if Redis cannot be reached at start, naming only the URL's scheme (the URL may carry a password). Later
 * outages make the limiter let requests through (skipOnError in rate-limit.ts): an API that stays up beats one that
 * answers 500 to everything while Redis restarts; the one-time-code limits, which guard secrets, live in PostgreSQL.
 */
export async function connectRateLimitRedis(url: string, onError: (error: Error) => void): Promise<RateLimitRedis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: 'tessera-rate-limit',
    connectTimeout: 2000,
    enableOfflineQueue: false, // while disconnected a count fails at once, instead of holding the request
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
  });
  // A plain copy: ioredis errors may carry command arguments, which hold bucket names.
  redis.on('error', (error: Error & { code?: string }) => onError(Object.assign(new Error(error.message), { code: error.code })));
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    throw new Error('rate limits: Redis at TESSERA_REDIS_URL cannot be reached');
  }
  return {
    redis,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
