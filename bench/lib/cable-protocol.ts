// The ActionCable side of the cable benchmarks, shared by the timed sockets (probe-client.ts) and the idle crowd
// (crowd-worker.ts): the frames a client sends, how it connects, and how pings are told apart and tallied.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const IDENTIFIER = JSON.stringify({ channel: 'BynnKycChannel' });
export const SUBSCRIBE = JSON.stringify({ command: 'subscribe', identifier: IDENTIFIER });
/** Pings are the bulk of the traffic: recognised by prefix, never JSON-parsed. */
const PING_PREFIX = '{"type":"ping","message":';
/** The ActionCable action asking for the current preflight (§6): answered by a push, no state change. */
export const PREFLIGHT_REQUEST = JSON.stringify({ command: 'message', identifier: IDENTIFIER, data: JSON.stringify({ action: 'preflight' }) });

/** When the first and the last socket received one ping (epoch ms), and how many did. */
export interface PingBurst { first: number; last: number; count: number }
/** Keyed by the ping's unix-seconds value, which every socket receives alike. */
export type PingBursts = Map<number, PingBurst>;

/** One applicant socket to the cable of `wsBase`, for `sessionId`; no compression, as browsers mostly connect. */
export const openCableSocket = (wsBase: string, sessionId: string): WebSocket =>
  new WebSocket(`${wsBase}?session_id=${sessionId}`, ['actioncable-v1-json'], { perMessageDeflate: false });

/** If `text` is a ping, adds it to `bursts` and returns true; any other frame returns false untouched. */
export function recordPing(bursts: PingBursts, text: string): boolean {
  if (!text.startsWith(PING_PREFIX)) return false;
  const now = performance.timeOrigin + performance.now();
  const key = Number(text.slice(PING_PREFIX.length, -1));
  const burst = bursts.get(key);
  if (burst) {
    burst.last = now;
    burst.count += 1;
  } else bursts.set(key, { first: now, last: now, count: 1 });
  return true;
}

/** Folds the bursts another process saw into `into`: the widest first → last window, counts added. */
export function mergePingBursts(into: PingBursts, from: Iterable<[number, PingBurst]>): void {
  for (const [key, burst] of from) {
    const mine = into.get(key);
    into.set(key, mine
      ? { first: Math.min(mine.first, burst.first), last: Math.max(mine.last, burst.last), count: mine.count + burst.count }
      : burst);
  }
}
