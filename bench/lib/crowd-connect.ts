// The crowd of the cable benchmark connecting at once: the probe sockets here (each timed) and the rest in the crowd
// worker, sharing one cap on handshakes in flight; prints how long it took and what it cost the server.
import { performance } from 'node:perf_hooks';
import { cpuShares, fmtCpu, watchSplitCpu, type CpuPids } from './cpu-split.ts';
import type { CrowdOpened } from './crowd-worker.ts';
import type { Inspector } from './inspector.ts';
import type { ProbeClient } from './probe-client.ts';
import { rssKb } from './proc.ts';
import { readLoop, resetLoop } from './server-loop.ts';
import type { CrowdWorker } from './start-crowd-worker.ts';
import { fmtSummary, mapLimit, summarize, withTimeout, type Summary } from './stats.ts';

/** Runs `fn` under a server CPU profile when profiling is on (see inspector.ts `profiled`). */
export type Profiler = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

export interface CrowdConnectOptions {
  wsBase: string;
  /** Not yet opened; the caller keeps them, to close them however this ends. */
  probes: ProbeClient[];
  /** Sessions the worker opens (none: no worker). */
  workerIds: string[];
  worker: CrowdWorker | null;
  openConcurrency: number;
  cpuPids: CpuPids;
  inspector: Inspector | null;
  profile: Profiler;
}

export interface CrowdConnected {
  /** The probes that got confirm + first preflight. */
  live: ProbeClient[];
  /** Sockets that made it, here and in the worker. */
  ready: number;
  crowdMs: number;
  perConnect: Summary;
  failures: string[];
  /** The server's RSS right after the last socket got its preflight. */
  rssJustAfterKb: number;
}

export async function connectCrowd(o: CrowdConnectOptions): Promise<CrowdConnected> {
  const crowd = o.probes.length + o.workerIds.length;
  // Each side gets its share of the cap in proportion to its sockets.
  const probeConcurrency = Math.max(1, Math.round((o.openConcurrency * o.probes.length) / crowd));
  const failures: string[] = [];
  const { probeMs, workerOpened, crowdMs, cpu, loop } = await o.profile('crowd connect', async () => {
    await resetLoop(o.inspector);
    const watch = watchSplitCpu(o.cpuPids);
    const t = performance.now();
    const [probeMs, workerOpened] = await withTimeout(Promise.all([
      mapLimit(o.probes, probeConcurrency, (client) =>
        client.open(o.wsBase).catch((error: unknown) => {
          failures.push(error instanceof Error ? error.message : String(error));
          return Number.NaN;
        })),
      o.worker
        ? o.worker.ask<CrowdOpened>({ type: 'open', wsBase: o.wsBase, ids: o.workerIds, concurrency: Math.max(1, o.openConcurrency - probeConcurrency), timeoutMs: 170_000 })
        : Promise.resolve<CrowdOpened>({ type: 'opened', connectMs: [], failures: [] }),
    ]), 180_000, 'crowd connect');
    const crowdMs = performance.now() - t;
    const cpu = watch();
    return { probeMs, workerOpened, crowdMs, cpu, loop: await readLoop(o.inspector) };
  });
  failures.push(...workerOpened.failures);
  const live = o.probes.filter((c) => c.ready);
  const ready = live.length + workerOpened.connectMs.length;
  const perConnect = summarize([...probeMs.filter(Number.isFinite), ...workerOpened.connectMs]);
  const rssJustAfterKb = rssKb(o.cpuPids.server);
  console.log(`crowd: ${ready}/${crowd} got confirm + preflight in ${(crowdMs / 1000).toFixed(2)} s (${(ready / (crowdMs / 1000)).toFixed(0)} conn/s, ` +
    `${o.openConcurrency} handshakes in flight at most; ${live.length} here, ${workerOpened.connectMs.length} in the worker); per connection ${fmtSummary(perConnect)}`);
  console.log(`  ${fmtCpu(cpuShares(cpu, ready), 'connection', loop)}`);
  if (failures.length > 0) console.log(`  ${failures.length} failed, e.g. ${[...new Set(failures)].slice(0, 3).join(' | ')}`);
  return { live, ready, crowdMs, perConnect, failures, rssJustAfterKb };
}
