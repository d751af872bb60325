// What the cable endpoint needs from the rest of the server, and what it offers back.
import type { Preflight } from '@tessera/protocol';
import type { Bus } from '../bus/bus.ts';

export interface CableLog {
  warn(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

export interface CableDeps {
  /** current preflight, or 'unknown' (no such session) / 'gone' (canceled, consent refused, expired) */
  loadPreflight(sessionId: string): Promise<Preflight | 'unknown' | 'gone'>;
  bus: Bus;
  pingIntervalMs?: number; // default CABLE_PING_INTERVAL_MS
  path?: string; // default '/cable'
  log?: CableLog;
}

export interface CableServer {
  connectionCount(): number;
  /** drain: send {type:'disconnect',reason:'server_restart',reconnect:true} to every socket and close them */
  closeAll(): Promise<void>;
}
