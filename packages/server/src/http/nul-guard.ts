// PostgreSQL text and jsonb cannot hold U+0000: a NUL anywhere in the input would fail deep in SQL as a 500.
// Refused at the edge instead, as malformed input (protocol §3: 400).
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';

/** Iterative, so a deeply nested JSON body cannot overflow the stack. */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (next !== null && typeof next === 'object' && !Buffer.isBuffer(next)) {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

export async function refuseNul(request: FastifyRequest): Promise<void> {
  if (containsNul(request.params) || containsNul(request.query) || containsNul(request.body)) {
    throw new AppError('invalid_request', 'text may not contain the NUL character (U+0000)');
  }
}
