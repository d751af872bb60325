// Parent side of load-worker.ts: forks the generator once and runs fixed-count loads through it.
import type { LoadRequest, LoadResult } from './load-worker.ts';
import { forkWorker } from './fork-worker.ts';

export interface LoadGenerator {
  pid: number;
  run(request: Omit<LoadRequest, 'type'>): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const worker = await forkWorker(new URL('./load-worker.ts', import.meta.url), 'load generator');
  return {
    pid: worker.pid,
    run: (request) => worker.ask<LoadResult>({ type: 'run', ...request } satisfies LoadRequest, request.timeoutMs + 10_000, 'load run'),
    close: () => worker.close(),
  };
}
