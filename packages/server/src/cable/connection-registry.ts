// Every live socket of one cable server, and the single ping timer they share: 5,000 sockets cost one timer.
import { Buffer } from 'node:buffer';
import { pingFrame } from './cable-frames.ts';

export interface Pingable {
  /** Sends an already-encoded text frame if the connection is past its welcome; the same buffer goes to all. */
  ping(frame: Buffer): void;
}

export class ConnectionRegistry<C extends Pingable> {
  readonly #connections = new Set<C>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  get size(): number {
    return this.#connections.size;
  }

  add(connection: C): void {
    this.#connections.add(connection);
    // The timer runs only while there is someone to ping, so an idle server (or a test) has nothing pending.
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#pingAll(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  delete(connection: C): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) this.stop();
  }

  snapshot(): C[] {
    return [...this.#connections];
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #pingAll(): void {
    // Encoded once per tick rather than once per socket.
    const frame = Buffer.from(pingFrame(Math.floor(Date.now() / 1000)));
    for (const connection of this.#connections) connection.ping(frame);
  }
}
