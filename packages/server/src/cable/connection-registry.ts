// Every live socket of one cable server, and the single ping timer they share: 5,000 sockets cost one timer.
// Pings are staggered: the sockets are spread over slices and each tick pings one slice, so every socket still
// hears a ping every interval but the event loop never spends a whole round (~100 ms at 5,000) in one go.
import { Buffer } from 'node:buffer';
import { pingFrame } from './cable-frames.ts';

export interface Pingable {
  /** Sends an already-encoded text frame if the connection is past its welcome; the same buffer goes to all. */
  ping(frame: Buffer): void;
}

const SLICES = 30;

export class ConnectionRegistry<C extends Pingable> {
  readonly #slices: Set<C>[] = Array.from({ length: SLICES }, () => new Set<C>());
  readonly #sliceOf = new Map<C, Set<C>>();
  readonly #intervalMs: number;
  #next = 0;
  #tick = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  get size(): number {
    return this.#sliceOf.size;
  }

  add(connection: C): void {
    const slice = this.#slices[this.#next]!;
    this.#next = (this.#next + 1) % SLICES;
    slice.add(connection);
    this.#sliceOf.set(connection, slice);
    // The timer runs only while there is someone to ping, so an idle server (or a test) has nothing pending.
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#pingSlice(), this.#intervalMs / SLICES);
      this.#timer.unref();
    }
  }

  delete(connection: C): void {
    this.#sliceOf.get(connection)?.delete(connection);
    this.#sliceOf.delete(connection);
    if (this.#sliceOf.size === 0) this.stop();
  }

  snapshot(): C[] {
    return [...this.#sliceOf.keys()];
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #pingSlice(): void {
    const slice = this.#slices[this.#tick]!;
    this.#tick = (this.#tick + 1) % SLICES;
    if (slice.size === 0) return;
    // Encoded once per tick rather than once per socket.
    const frame = Buffer.from(pingFrame(Math.floor(Date.now() / 1000)));
    for (const connection of slice) connection.ping(frame);
  }
}
