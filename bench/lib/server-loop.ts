// An event-loop delay histogram inside the server child, installed and read through its inspector, so nothing in
// packages/ changes for the benchmark. Without an inspector every reading is null.
import type { Inspector } from './inspector.ts';
import { ms } from './stats.ts';

const LOOP_RESOLUTION_MS = 10;
const INSTALL_LOOP_MONITOR = `(() => {
  const { monitorEventLoopDelay } = process.getBuiltinModule('node:perf_hooks');
  const h = monitorEventLoopDelay({ resolution: ${LOOP_RESOLUTION_MS} });
  h.enable();
  globalThis.__tesseraBenchLoop = h;
  return 'ok';
})()`;

/** How late the server's event loop was, in ms. */
export interface LoopReading { p50: number; p99: number; max: number }

export async function installLoopMonitor(inspector: Inspector): Promise<void> {
  await inspector.evaluate(INSTALL_LOOP_MONITOR);
}

/** Starts a new window: the next readLoop covers only what happens from now on. */
export async function resetLoop(inspector: Inspector | null): Promise<void> {
  await inspector?.evaluate('globalThis.__tesseraBenchLoop.reset()');
}

export async function readLoop(inspector: Inspector | null): Promise<LoopReading | null> {
  if (!inspector) return null;
  const text = await inspector.evaluate('(() => { const h = globalThis.__tesseraBenchLoop; return JSON.stringify({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }); })()');
  // The histogram holds whole timer intervals: what the loop was late by is that minus the timer's period.
  const raw = JSON.parse(String(text)) as LoopReading;
  return { p50: Math.max(0, raw.p50 - LOOP_RESOLUTION_MS), p99: Math.max(0, raw.p99 - LOOP_RESOLUTION_MS), max: Math.max(0, raw.max - LOOP_RESOLUTION_MS) };
}

export const fmtLoop = (l: LoopReading): string => `p50 ${ms(l.p50)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`;
