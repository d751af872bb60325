// Bus over PostgreSQL LISTEN/NOTIFY: every process using the same database and channel sees every change.
// A process's own publishes come back to it through the same NOTIFY round trip, so there is one delivery path.
import { Buffer } from 'node:buffer';
import pg from 'pg';
import type { Bus, BusErrorHandler } from './bus.ts';
import { createHandlerRegistry } from './handler-registry.ts';
import { parseChange } from './parse-change.ts';
import { startPgListener, type PgListener } from './pg-listener.ts';

export const PG_BUS_DEFAULT_CHANNEL = 'tessera_session_changes';
/** PostgreSQL (default build) rejects NOTIFY payloads of 8000 bytes or more. A preflight is about 1 KB. */
export const PG_NOTIFY_MAX_PAYLOAD_BYTES = 7999;

export interface PgBusOptions {
  connectionString: string;
  /** A plain identifier (letters, digits, underscore; ≤ 63 bytes). */
  channel?: string;
  onError?: BusErrorHandler;
  /** After every successful LISTEN (start and each reconnect). Changes published while disconnected are lost;
   *  clients recover through their preflight fallback (protocol §1). */
  onListening?: () => void;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

/** Resolves once the listener is in place, so no publish of this process can miss its own subscribers. */
export async function createPgBus(options: PgBusOptions): Promise<Bus> {
  const channel = options.channel ?? PG_BUS_DEFAULT_CHANNEL;
  // The channel is spliced into LISTEN (identifiers cannot be bound parameters), hence the strict check.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid bus channel name: ${channel}`);
  const onError = options.onError ?? (() => {});
  const registry = createHandlerRegistry(onError);

  // Publishing uses its own pool rather than the listener's connection: publishes keep working while the listener
  // reconnects, and pg's Pool replaces a broken connection by itself. max 1 makes publishes of this process
  // reach the database one after another, in call order, so NOTIFY order = publish order.
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 });
  pool.on('error', (error) => onError(error, { where: 'publisher' }));

  let listener: PgListener;
  try {
    listener = await startPgListener({
      connectionString: options.connectionString,
      channel,
      onError,
      onListening: options.onListening,
      initialDelayMs: options.reconnect?.initialDelayMs,
      maxDelayMs: options.reconnect?.maxDelayMs,
      onNotification(payload) {
        const change = parseChange(payload);
        if (change) registry.dispatch(change);
        else onError(new Error('malformed session change notification'), { where: 'notification' });
      },
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  let closed = false;
  return {
    async publish(change) {
      if (closed) throw new Error('bus is closed');
      const json = JSON.stringify(change);
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > PG_NOTIFY_MAX_PAYLOAD_BYTES) {
        throw new Error(
          `session change ${change.session_id}#${change.sequence} is ${bytes} bytes as JSON; ` +
            `PostgreSQL NOTIFY carries at most ${PG_NOTIFY_MAX_PAYLOAD_BYTES} bytes`,
        );
      }
      await pool.query('SELECT pg_notify($1, $2)', [channel, json]);
    },
    subscribe(sessionId, handler) {
      if (closed) return () => {};
      return registry.add(sessionId, handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      registry.clear();
      await Promise.all([listener.close(), pool.end().catch(() => {})]);
    },
  };
}
