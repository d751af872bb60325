// The socket half of a cable connection: session lookup, welcome, frames before it, safe sends, close paths.
// Subclassed rather than composed so one socket costs one small object (5,000 sockets per process).
import type { Buffer } from 'node:buffer';
import type { Preflight } from '@tessera/protocol';
import type { RawData, WebSocket } from 'ws';
import type { CableDeps } from './cable-deps.ts';
import { unauthorizedFrame, serverRestartFrame, welcomeFrame } from './cable-frames.ts';
import { errorSummary } from './error-summary.ts';
import { MAX_CLIENT_FRAME_BYTES } from './parse-client-frame.ts';
import { rawDataToBuffer } from './raw-data-to-buffer.ts';

export interface CableHost extends Pick<CableDeps, 'loadPreflight' | 'bus' | 'log'> {
  /** Before the welcome; false while draining. From then on the socket gets pings and is drained by closeAll. */
  opened(socket: CableSocket): boolean;
  closed(socket: CableSocket): void;
}

export const OPENING = 0;
export const OPEN = 1;
export const CLOSED = 2;
/** Frames a client may send before its welcome (a well-behaved one sends none); more are dropped. */
const MAX_EARLY_FRAMES = 4;
/** A socket that stopped reading is cut rather than allowed to grow the process's memory. */
const MAX_BUFFERED_BYTES = 256 * 1024;

export abstract class CableSocket {
  readonly socket: WebSocket;
  readonly sessionId: string | null;
  protected readonly host: CableHost;
  protected state = OPENING;
  #early: Buffer[] | null = null;

  constructor(socket: WebSocket, sessionId: string | null, host: CableHost) {
    this.socket = socket;
    this.sessionId = sessionId;
    this.host = host;
    // Attached at once: frames sent while the session is being looked up must not be lost.
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', () => this.#teardown());
  }

  /** One parsed-to-be text frame, once the connection is open. */
  protected abstract handle(frame: Buffer): void;
  /** Releases what the subclass holds (its bus subscription). */
  protected abstract release(): void;

  async start(): Promise<void> {
    if (this.sessionId === null) return this.reject();
    const found = await this.load('session lookup');
    if (found === null) {
      if (this.state === OPENING) this.socket.close(1011); // no disconnect frame: the client retries with back-off
      return;
    }
    if (this.state !== OPENING) return;
    if (found === 'unknown' || found === 'gone') return this.reject();
    this.state = OPEN;
    if (!this.host.opened(this)) return void this.drain(serverRestartFrame);
    this.send(welcomeFrame);
    const early = this.#early;
    this.#early = null;
    for (const frame of early ?? []) if (this.state === OPEN) this.handle(frame);
  }

  ping(frame: Buffer): void {
    if (this.state === OPEN) this.send(frame);
  }

  /** Closes with a final disconnect frame; resolves when the socket has closed. */
  drain(frame: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === this.socket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.send(frame);
      this.socket.close(1012); // 1012: service restart
    });
  }

  /** The current preflight, or null when the lookup failed (logged without any payload). */
  protected async load(what: string): Promise<Preflight | 'unknown' | 'gone' | null> {
    try {
      return await this.host.loadPreflight(this.sessionId ?? '');
    } catch (error) {
      this.host.log?.warn({ session_id: this.sessionId, error: errorSummary(error) }, `cable: ${what} failed`);
      return null;
    }
  }

  /** What ActionCable does with a rejected connection: a final disconnect, then close. */
  protected reject(): void {
    this.send(unauthorizedFrame);
    this.socket.close(1000);
    this.#teardown();
  }

  protected send(frame: string | Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.host.log?.warn({ session_id: this.sessionId }, 'cable: client not reading, connection cut');
      this.socket.terminate();
      return;
    }
    this.socket.send(frame, { binary: false });
  }

  protected ignore(reason: string): void {
    this.host.log?.debug?.({ session_id: this.sessionId, reason }, 'cable: frame ignored');
  }

  #receive(data: RawData, isBinary: boolean): void {
    const buffer = rawDataToBuffer(data);
    if (isBinary || buffer.length > MAX_CLIENT_FRAME_BYTES) return this.ignore(isBinary ? 'binary' : 'oversized');
    if (this.state === OPEN) return this.handle(buffer);
    if (this.state !== OPENING) return;
    this.#early ??= [];
    if (this.#early.length < MAX_EARLY_FRAMES) this.#early.push(buffer);
    else this.ignore('too_many_early_frames');
  }

  #teardown(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.#early = null;
    this.release();
    this.host.closed(this);
  }
}
