// Child process holding the idle part of the cable crowd, so the ~5,000 pings every 3 s that the server sends it are
// read here and not on the event loop of the process that times pushes. Started by start-crowd-worker.ts over IPC.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { openCableSocket, recordPing, SUBSCRIBE, type PingBurst, type PingBursts } from './cable-protocol.ts';
import { mapLimit } from './stats.ts';

export type CrowdCommand =
  | { type: 'open'; wsBase: string; ids: string[]; concurrency: number; timeoutMs: number }
  | { type: 'stats' }
  | { type: 'exit' };

export interface CrowdOpened {
  type: 'opened';
  /** ms from connect start to confirm + first preflight, per socket that made it. */
  connectMs: number[];
  failures: string[];
}

export interface CrowdStats {
  type: 'stats';
  open: number;
  pings: number;
  /** Preflight pushes after the first one, and the ones not newer than the last seen (should stay 0). */
  pushes: number;
  stale: number;
  unexpectedCloses: number;
  /** Per ping (unix-seconds value): epoch ms when the first and last socket here received it. */
  bursts: [number, PingBurst][];
}

const sockets: WebSocket[] = [];
const stats: Omit<CrowdStats, 'type' | 'bursts' | 'open'> = { pings: 0, pushes: 0, stale: 0, unexpectedCloses: 0 };
const bursts: PingBursts = new Map();
let closing = false;

function openOne(wsBase: string, id: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    let ready = false;
    let sequence = -1;
    const ws = openCableSocket(wsBase, id);
    sockets.push(ws);
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (recordPing(bursts, text)) {
        stats.pings += 1;
        return;
      }
      const frame = JSON.parse(text) as { type?: string; message?: { sequence?: number } };
      if (frame.type === 'welcome') ws.send(SUBSCRIBE);
      else if (frame.message && typeof frame.message.sequence === 'number') {
        if (!ready) {
          ready = true;
          sequence = frame.message.sequence;
          resolve(performance.now() - started);
        } else if (frame.message.sequence <= sequence) stats.stale += 1;
        else {
          sequence = frame.message.sequence;
          stats.pushes += 1;
        }
      } else if (frame.type === 'disconnect' || frame.type === 'reject_subscription') reject(new Error(`server said ${text}`));
    });
    ws.on('error', (error) => reject(error));
    ws.on('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before confirm + preflight`));
      else if (!closing) stats.unexpectedCloses += 1;
    });
  });
}

async function open(command: Extract<CrowdCommand, { type: 'open' }>): Promise<CrowdOpened> {
  const connectMs: number[] = [];
  const failures: string[] = [];
  const all = mapLimit(command.ids, command.concurrency, (id) => openOne(command.wsBase, id).then(
    (ms) => void connectMs.push(ms),
    (error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)),
  ));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, command.timeoutMs).unref());
  await Promise.race([all, timeout]);
  if (connectMs.length + failures.length < command.ids.length) failures.push(`timed out after ${command.timeoutMs} ms`);
  return { type: 'opened', connectMs, failures };
}

process.on('message', (command: CrowdCommand) => {
  if (command.type === 'exit') {
    closing = true;
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  } else if (command.type === 'stats') {
    const reply: CrowdStats = { type: 'stats', open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length, ...stats, bursts: [...bursts] };
    process.send?.(reply);
  } else void open(command).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
