// One timed applicant socket of the cable benchmark, subscribed to its session: it times its own connect
// (to confirm + first preflight) and, while a push phase has an action in flight on it, that action's push.
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { openCableSocket, recordPing, SUBSCRIBE, type PingBursts } from './cable-protocol.ts';
import type { Phase } from './push-phase.ts';

/** Protocol tallies over all probe sockets (and, merged at the end, the crowd worker's). */
export interface ProbeCounters {
  pings: number;
  stalePushes: number;
  unsolicitedPushes: number;
  preflightBeforeConfirm: number;
  unexpectedCloses: number;
  /** Per ping (keyed by its unix-seconds value): when the first and the last socket received it. */
  pingBursts: PingBursts;
}

export const newProbeCounters = (): ProbeCounters =>
  ({ pings: 0, stalePushes: 0, unsolicitedPushes: 0, preflightBeforeConfirm: 0, unexpectedCloses: 0, pingBursts: new Map() });

/** An action sent on a probe's session whose push is awaited. */
export interface Pending {
  phase: Phase;
  sentAt: number;
  /** The lowest sequence that counts as its push. */
  expect: number;
  /** The HTTP status once answered (200 for a cable frame). */
  status: number | null;
  pushedAt: number | null;
}

export class ProbeClient {
  ws: WebSocket | null = null;
  sequence = -1;
  confirmed = false;
  ready = false;
  closedByUs = false;
  pending: Pending | null = null;
  #startedAt = 0;
  #onReady: ((ms: number) => void) | null = null;
  #onFail: ((error: Error) => void) | null = null;
  constructor(readonly sessionId: string, readonly counters: ProbeCounters) {}

  /** Resolves with ms from connect start to confirm + first preflight. */
  open(wsBase: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#onReady = resolve;
      this.#onFail = reject;
      this.#startedAt = performance.now();
      const ws = openCableSocket(wsBase, this.sessionId);
      this.ws = ws;
      ws.on('message', (data: Buffer) => this.#frame(data));
      ws.on('error', (error) => this.#fail(error));
      ws.on('close', (code) => {
        if (!this.ready) this.#fail(new Error(`closed with ${code} before confirm + preflight`));
        else if (!this.closedByUs) this.counters.unexpectedCloses += 1;
      });
    });
  }

  close(): void {
    this.closedByUs = true;
    this.ws?.terminate();
  }

  #fail(error: Error): void {
    const fail = this.#onFail;
    this.#onFail = null;
    this.#onReady = null;
    fail?.(error);
  }

  #frame(data: Buffer): void {
    const text = data.toString('utf8');
    if (recordPing(this.counters.pingBursts, text)) {
      this.counters.pings += 1;
      return;
    }
    const frame = JSON.parse(text) as { type?: string; message?: { sequence?: number } };
    if (frame.type === 'welcome') this.ws?.send(SUBSCRIBE);
    else if (frame.type === 'confirm_subscription') this.confirmed = true;
    else if (frame.message && typeof frame.message.sequence === 'number') this.#preflight(frame.message.sequence);
    else if (frame.type === 'disconnect' || frame.type === 'reject_subscription') this.#fail(new Error(`server said ${text}`));
  }

  #preflight(sequence: number): void {
    const now = performance.now();
    if (!this.ready) {
      if (!this.confirmed) this.counters.preflightBeforeConfirm += 1;
      this.ready = true;
      this.sequence = sequence;
      const ready = this.#onReady;
      this.#onReady = null;
      this.#onFail = null;
      ready?.(now - this.#startedAt);
      return;
    }
    const pending = this.pending;
    if (pending !== null && pending.pushedAt === null && sequence >= pending.expect) {
      this.sequence = Math.max(this.sequence, sequence);
      pending.pushedAt = now;
      pending.phase.pushMs.push(now - pending.sentAt);
      if (pending.status !== null) this.pending = null;
      return;
    }
    if (sequence <= this.sequence) {
      this.counters.stalePushes += 1;
      return;
    }
    this.sequence = sequence;
    this.counters.unsolicitedPushes += 1;
  }
}
