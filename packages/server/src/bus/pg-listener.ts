// One dedicated PostgreSQL connection that LISTENs on a channel and comes back after its connection drops.
import pg from 'pg';
import type { BusErrorHandler } from './bus.ts';

export interface PgListenerOptions {
  connectionString: string;
  /** Already validated as a plain identifier by the caller. */
  channel: string;
  onNotification(payload: string): void;
  onError: BusErrorHandler;
  /** After every successful LISTEN: the first one and each one after a reconnect. */
  onListening?: () => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface PgListener {
  close(): Promise<void>;
}

/** Resolves once the first LISTEN is in place; rejects if that first attempt fails, so a wrong URL fails fast at start. */
export async function startPgListener(options: PgListenerOptions): Promise<PgListener> {
  const initialDelayMs = options.initialDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let client: pg.Client | null = null;
  let closed = false;
  let listenedOnce = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  /** While an attempt runs, its own failure schedules the next one; a lost() then must not start a second chain. */
  let connecting = false;

  function lost(dead: pg.Client, error?: unknown): void {
    if (dead !== client) return; // late events of a connection already given up
    client = null;
    dead.end().catch(() => {}); // releases the socket if it is half-open; its own failure is of no interest
    if (closed || !listenedOnce || connecting) return;
    options.onError(error ?? new Error('listener connection ended'), { where: 'listener' });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    // Exponential back-off with jitter so many processes do not reconnect in lockstep after a database restart.
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      connect().catch((error: unknown) => {
        if (closed) return;
        options.onError(error, { where: 'listener-reconnect' });
        scheduleReconnect();
      });
    }, delay);
    timer.unref(); // a pending reconnect alone must not keep the process alive
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.connectionString });
    // Listeners stay attached for the client's whole life: an 'error' with no listener would crash the process.
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      if (message.channel === options.channel && message.payload !== undefined) options.onNotification(message.payload);
    });
    client = next;
    connecting = true;
    try {
      await next.connect();
      await next.query(`LISTEN "${options.channel}"`);
    } catch (error) {
      if (client === next) client = null;
      next.end().catch(() => {});
      throw error;
    } finally {
      connecting = false;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    listenedOnce = true;
    attempt = 0;
    options.onListening?.();
  }

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const current = client;
      client = null;
      if (current) await current.end().catch(() => {});
    },
  };
}
