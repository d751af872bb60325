// A window with no load from the benchmark: what the server does on its own (background jobs, or pinging an idle
// crowd of sockets), in CPU, event-loop lateness and pings received.
import type { Inspector } from './inspector.ts';
import { watchSplitCpu } from './cpu-split.ts';
import { readLoop, resetLoop, type LoopReading } from './server-loop.ts';
import { sleep } from './stats.ts';

export interface IdleReading { wallMs: number; serverCpuMs: number; otherCores: number; pings: number; loop: LoopReading | null }

/**
 * Waits `millis`, measuring the server and its PostgreSQL backends. The bench's own processes are not watched, so
 * what they use meanwhile (reading pings) shows under other processes. `pings` reads the bench's ping counter.
 */
export async function measureIdle(millis: number, server: number, postgres: readonly number[], inspector: Inspector | null,
  pings: () => number): Promise<IdleReading> {
  await resetLoop(inspector);
  const pingsBefore = pings();
  const watch = watchSplitCpu({ server, bench: [], postgres });
  await sleep(millis);
  const cpu = watch();
  return { wallMs: cpu.wallMs, serverCpuMs: cpu.serverMs, otherCores: cpu.foreignCores, pings: pings() - pingsBefore, loop: await readLoop(inspector) };
}
