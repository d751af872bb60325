// The port through which session changes travel from whoever changed a session to every socket watching it.
import type { Preflight } from '@tessera/protocol';

export interface SessionChange {
  session_id: string;
  sequence: number;
  preflight: Preflight;
}

export type SessionChangeHandler = (change: SessionChange) => void;

export interface Bus {
  /** Resolves once the change is handed to the backend; delivery to subscribers happens afterwards or during. */
  publish(change: SessionChange): Promise<void>;
  /** handler is called for every change of that session published by ANY process using the same backend */
  subscribe(sessionId: string, handler: SessionChangeHandler): () => void;
  close(): Promise<void>;
}

/** Called when a handler throws or the backend misbehaves; never receives payload contents. */
export type BusErrorHandler = (error: unknown, context: { session_id?: string; where: string }) => void;
