// Sends due webhook deliveries: at least once, 10 s timeout, exponential back-off for at least 72 hours,
// every attempt recorded. Several processes may run a dispatcher on one database.
import type { Logger } from '../deps.ts';
import type { Db } from '../storage/db.ts';
import { signWebhook } from './sign-webhook.ts';
import type { SigningKey } from './signing-key.ts';
import { claimDueDeliveries, recordAttempt, type DueDelivery } from './webhooks-store.ts';

export interface DispatcherOptions {
  db: Db;
  key: SigningKey;
  issuer: string;
  log: Logger;
  now?: () => Date;
  pollMs?: number;
  timeoutMs?: number;
  /** First retry delay; each next one doubles, capped at maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
  /** Retries stop once this long has passed since the event. */
  retryForMs?: number;
}

export function nextAttemptAt(createdAt: Date, attemptsSoFar: number, now: Date, o: Required<Pick<DispatcherOptions, 'retryBaseMs' | 'maxDelayMs' | 'retryForMs'>>): Date | null {
  if (now.getTime() - createdAt.getTime() >= o.retryForMs) return null;
  const delay = Math.min(o.retryBaseMs * 2 ** Math.max(0, attemptsSoFar - 1), o.maxDelayMs);
  return new Date(now.getTime() + delay);
}

export function startWebhookDispatcher(options: DispatcherOptions): { tick(): Promise<number>; stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retry = { retryBaseMs: options.retryBaseMs ?? 10_000, maxDelayMs: options.maxDelayMs ?? 6 * 3600_000, retryForMs: options.retryForMs ?? 72 * 3600_000 };

  async function deliver(d: DueDelivery): Promise<void> {
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const signature = await signWebhook(options.key, { issuer: options.issuer, eventId: d.event_id, deliveryToken: d.id, body: d.body, now: now() });
      const response = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Tessera-Webhooks/1', 'x-bynn-signature': signature, 'idempotency-key': d.event_id, 'x-webhook-token': d.event_id },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel();
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : `network error: ${(e as Error).message}`.slice(0, 300);
    }
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const next = ok ? null : nextAttemptAt(d.created_at, d.attempt_count + 1, now(), retry);
    await recordAttempt(options.db, d.id, { status_code: statusCode, error: ok ? null : (error ?? `HTTP ${statusCode}`), duration_ms: Date.now() - started }, {
      status: ok ? 'delivered' : next ? 'pending' : 'failed',
      next_attempt_at: next,
    });
  }

  let running: Promise<number> | null = null;
  const tick = (): Promise<number> =>
    (running ??= (async () => {
      try {
        const due = await claimDueDeliveries(options.db, now(), 20, timeoutMs + 5_000);
        await Promise.all(due.map((d) => deliver(d).catch((err: unknown) => options.log.warn({ err, delivery: d.id }, 'webhook delivery bookkeeping failed'))));
        return due.length;
      } finally {
        running = null;
      }
    })());
  const timer = setInterval(() => {
    tick().catch((err: unknown) => options.log.warn({ err }, 'webhook dispatch failed'));
  }, options.pollMs ?? 1000);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
