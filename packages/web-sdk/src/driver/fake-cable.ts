// Test-only: a fake WebSocketLike and a factory that records every socket the client opens, with helpers that speak
// the server side of protocol §6. Not exported from the driver's index.
import type { Preflight } from '@tessera/protocol';
import type { Clock, WebSocketFactory, WebSocketLike } from './types.ts';

export const IDENTIFIER = '{"channel":"BynnKycChannel"}';

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedByClient = false;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;

  constructor(readonly url: string, readonly protocols: string[], readonly openedAt: number) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }
  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  // --- the server's side ---
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(value: unknown): void {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  /** open → welcome → (client subscribes) → confirm. */
  accept(): void {
    this.open();
    this.frame({ type: 'welcome' });
    this.frame({ identifier: IDENTIFIER, type: 'confirm_subscription' });
  }
  push(preflight: Preflight): void {
    this.frame({ identifier: IDENTIFIER, message: preflight });
  }
  serverClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  /** Frames the client sent, parsed (the bare text `preflight` stays a string). */
  commands(): unknown[] {
    return this.sent.map((s) => {
      try {
        return JSON.parse(s);
      } catch {
        return s;
      }
    });
  }
  preflightRequests(): number {
    return this.commands().filter((c) => typeof c === 'object' && c !== null && (c as { data?: string }).data === '{"action":"preflight"}').length;
  }
}

export interface FakeCable {
  factory: WebSocketFactory;
  sockets: FakeSocket[];
  readonly last: FakeSocket;
  /** Every `interval` ms of the clock, pings every open socket (the server's 3 s heartbeat). */
  startPings(interval?: number): void;
}

export function createFakeCable(clock: Clock, options: { autoAccept?: boolean } = {}): FakeCable {
  const sockets: FakeSocket[] = [];
  const cable: FakeCable = {
    sockets,
    factory(url, protocols) {
      const socket = new FakeSocket(url, protocols, clock.now());
      sockets.push(socket);
      if (options.autoAccept) queueMicrotask(() => socket.accept());
      return socket;
    },
    get last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
    startPings(interval = 3000) {
      const tick = () => {
        for (const s of sockets) if (s.readyState === 1 && !s.closedByClient) s.frame({ type: 'ping', message: Math.floor(clock.now() / 1000) });
        clock.setTimeout(tick, interval);
      };
      clock.setTimeout(tick, interval);
    },
  };
  return cable;
}
