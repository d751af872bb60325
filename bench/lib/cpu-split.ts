// CPU over one phase, split between the server, the benchmark's own processes and the server's PostgreSQL backends,
// plus what other processes used meanwhile: CPU time per operation barely moves with a shared machine's load,
// latency does.
import { cpuWatch } from './proc.ts';
import { fmtLoop, type LoopReading } from './server-loop.ts';
import { sum } from './stats.ts';

export interface CpuPids {
  server: number;
  /** The load generators (this process, worker children): "bench" CPU. */
  bench: readonly number[];
  postgres: readonly number[];
}

export interface CpuSplit {
  wallMs: number;
  /** Cores used on average by processes not named in CpuPids. */
  foreignCores: number;
  serverMs: number;
  benchMs: number;
  postgresMs: number;
}

/** Starts watching; the returned function reads what each part used since. */
export function watchSplitCpu(pids: CpuPids): () => CpuSplit {
  const bench = pids.bench.length;
  const watch = cpuWatch([pids.server, ...pids.bench, ...pids.postgres]);
  return () => {
    const cpu = watch();
    return {
      wallMs: cpu.wallMs,
      foreignCores: cpu.foreignCores,
      serverMs: cpu.perPidMs[0]!,
      benchMs: sum(cpu.perPidMs.slice(1, 1 + bench)),
      postgresMs: sum(cpu.perPidMs.slice(1 + bench)),
    };
  };
}

/** A CpuSplit as cores and as µs per operation (request, connection). */
export interface CpuShares {
  serverCpuCores: number;
  serverCpuUsPerOp: number;
  postgresCpuCores: number;
  postgresCpuUsPerOp: number;
  benchCpuCores: number;
  otherCores: number;
}

export function cpuShares(cpu: CpuSplit, operations: number): CpuShares {
  return {
    serverCpuCores: cpu.serverMs / cpu.wallMs,
    serverCpuUsPerOp: (1000 * cpu.serverMs) / Math.max(1, operations),
    postgresCpuCores: cpu.postgresMs / cpu.wallMs,
    postgresCpuUsPerOp: (1000 * cpu.postgresMs) / Math.max(1, operations),
    benchCpuCores: cpu.benchMs / cpu.wallMs,
    otherCores: cpu.foreignCores,
  };
}

/** "CPU: server … cores (… µs per <operation>), its postgres …, bench …, other processes …[; server event-loop …]". */
export const fmtCpu = (s: CpuShares, operation: string, loop: LoopReading | null): string =>
  `CPU: server ${s.serverCpuCores.toFixed(2)} cores (${s.serverCpuUsPerOp.toFixed(0)} µs per ${operation}), its postgres ${s.postgresCpuCores.toFixed(2)} ` +
  `(${s.postgresCpuUsPerOp.toFixed(0)} µs), bench ${s.benchCpuCores.toFixed(2)}, other processes ${s.otherCores.toFixed(2)}` +
  (loop ? `; server event-loop lateness ${fmtLoop(loop)}` : '');
