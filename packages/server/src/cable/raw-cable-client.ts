// A bare `ws` client for the cable tests: collects server frames so a test can await the next one it expects.
import WebSocket from 'ws';

export type Frame = Record<string, unknown>;

export class RawCableClient {
  readonly socket: WebSocket;
  /** Frames not consumed yet, pings apart (they arrive at any time, so they are kept on their own). */
  readonly frames: Frame[] = [];
  readonly pings: Frame[] = [];
  readonly closed: Promise<number>;
  #wake: (() => void) | null = null;

  constructor(url: string, protocols: string[] = ['actioncable-v1-json']) {
    this.socket = new WebSocket(url, protocols);
    this.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      (frame.type === 'ping' ? this.pings : this.frames).push(frame);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => this.socket.on('close', (code) => (this.#wake?.(), resolve(code))));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(frame: string | object): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next non-ping frame, or the first ping once one is there. */
  next(kind: 'frame' | 'ping' = 'frame', timeoutMs = 3000): Promise<Frame> {
    const queue = kind === 'ping' ? this.pings : this.frames;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        const frame = queue.shift();
        if (frame !== undefined) {
          clearTimeout(timer);
          this.#wake = null;
          resolve(frame);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`socket closed while waiting for a ${kind}`));
        } else this.#wake = check;
      };
      check();
    });
  }

  close(): Promise<number> {
    this.socket.close();
    return this.closed;
  }
}
