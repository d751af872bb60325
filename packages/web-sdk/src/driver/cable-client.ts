// A minimal ActionCable client (protocol §6) over any WebSocketLike: subscribe to BynnKycChannel, hand each
// preflight push to the driver, ask for a fresh one, notice a silent socket and reconnect with back-off.
// Not @rails/actioncable: that one is bigger than this whole driver and has no injectable clock or socket.
import type { Preflight } from '@tessera/protocol';
import type { Clock, ConnectionState, WebSocketFactory, WebSocketLike } from './types.ts';

// Copies of '@tessera/protocol' constants: importing them at runtime would pull zod into the bundle.
const IDENTIFIER = JSON.stringify({ channel: 'BynnKycChannel' });
const SUBPROTOCOLS = ['actioncable-v1-json'];
/** The server pings every 3 s (CABLE_PING_INTERVAL_MS); three missed pings and the socket is stale. */
export const DEFAULT_STALE_AFTER_MS = 3 * 3000;
export const DEFAULT_RECONNECT = { initialDelayMs: 500, maxDelayMs: 15_000 };

export interface CableClientOptions {
  url: string;
  webSocket: WebSocketFactory;
  clock: Clock;
  initialDelayMs?: number;
  maxDelayMs?: number;
  staleAfterMs?: number;
  random?: () => number;
  onPreflight(preflight: Preflight): void;
  onState(state: ConnectionState): void;
  /** `disconnect` with `reconnect:false`: the session is unknown or gone; this client will not come back. */
  onGone(reason: string): void;
  /** `reject_subscription`: the server refuses the channel; nothing a reconnect would fix. */
  onRejected(): void;
}

export interface CableClient {
  readonly state: ConnectionState;
  connect(): void;
  /** Sends the `preflight` action; false when not subscribed (the caller then uses REST). */
  requestPreflight(): boolean;
  close(): void;
}

/** Exponential back-off with ±20 % jitter (so a fleet of clients does not reconnect in lock-step), capped at max. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.min(maxMs, Math.round(base * (0.8 + 0.4 * random())));
}

export function createCableClient(options: CableClientOptions): CableClient {
  const { clock } = options;
  const initialMs = options.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs;
  const maxMs = options.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs;
  const staleMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const random = options.random ?? Math.random;
  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'disconnected';
  let attempt = 0;
  let finished = false; // closed by us, or told not to come back
  let reconnectTimer: unknown;
  let staleTimer: unknown;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    options.onState(next);
  };
  const send = (frame: unknown): boolean => {
    try {
      socket?.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      return socket !== null;
    } catch {
      return false; // not open after all: the close handler or the stale timer takes it from here
    }
  };

  /** Forgets the current socket; its late events must not touch the next one. */
  function drop(): void {
    clock.clearTimeout(staleTimer);
    const old = socket;
    socket = null;
    if (!old) return;
    old.onopen = old.onmessage = old.onerror = old.onclose = null;
    try {
      old.close();
    } catch {
      // already closed or never opened: nothing to release
    }
  }

  function scheduleReconnect(): void {
    drop();
    setState('disconnected');
    if (finished) return;
    clock.clearTimeout(reconnectTimer);
    reconnectTimer = clock.setTimeout(connect, backoffDelay(attempt, initialMs, maxMs, random));
    attempt += 1;
  }

  /** Any frame proves the socket alive; a socket that never opens is caught by the same timer. */
  function armStale(): void {
    clock.clearTimeout(staleTimer);
    staleTimer = clock.setTimeout(scheduleReconnect, staleMs);
  }

  function handle(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'welcome':
        send({ command: 'subscribe', identifier: IDENTIFIER });
        return;
      case 'ping':
        return;
      case 'confirm_subscription':
        if (frame.identifier !== IDENTIFIER) return;
        attempt = 0; // only a working subscription resets the back-off: an accept-then-drop server must not get hammered
        setState('connected');
        return;
      case 'reject_subscription':
        if (frame.identifier !== IDENTIFIER) return;
        finished = true;
        drop();
        setState('disconnected');
        options.onRejected();
        return;
      case 'disconnect':
        if (frame.reconnect === false) {
          finished = true;
          drop();
          setState('disconnected');
          options.onGone(typeof frame.reason === 'string' ? frame.reason : 'unknown');
        } else scheduleReconnect();
        return;
    }
    if (frame.identifier === IDENTIFIER && isPreflight(frame.message)) options.onPreflight(frame.message);
  }

  function connect(): void {
    if (finished) return;
    drop();
    setState('connecting');
    let next: WebSocketLike;
    try {
      next = options.webSocket(options.url, SUBPROTOCOLS);
    } catch {
      scheduleReconnect(); // a bad URL or a CSP refusal throws synchronously in browsers
      return;
    }
    socket = next;
    next.onopen = armStale;
    next.onclose = scheduleReconnect;
    next.onerror = null; // a close event always follows an error; the stale timer covers sockets that never say
    next.onmessage = (event) => {
      armStale();
      if (typeof event.data !== 'string') return; // the protocol is JSON text only
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (typeof frame === 'object' && frame !== null) handle(frame as Record<string, unknown>);
    };
    armStale();
  }

  return {
    get state() {
      return state;
    },
    connect,
    requestPreflight: () =>
      state === 'connected' && send({ command: 'message', identifier: IDENTIFIER, data: JSON.stringify({ action: 'preflight' }) }),
    close() {
      finished = true;
      clock.clearTimeout(reconnectTimer);
      drop();
      setState('disconnected');
    },
  };
}

/** Enough of §5 to render safely; the server is trusted for the rest (no schema library in the bundle). */
export function isPreflight(value: unknown): value is Preflight {
  const p = value as Partial<Preflight> | null;
  return typeof p === 'object' && p !== null && typeof p.sequence === 'number' && typeof p.session_id === 'string' &&
    typeof p.screen === 'object' && p.screen !== null && typeof p.screen.show === 'string';
}
