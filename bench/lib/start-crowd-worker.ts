// Parent side of crowd-worker.ts: the idle part of the cable crowd, in its own process.
import type { CrowdCommand } from './crowd-worker.ts';
import { forkWorker } from './fork-worker.ts';
import { killAtExit } from './kill-at-exit.ts';

export interface CrowdWorker {
  pid: number;
  ask<T>(command: CrowdCommand): Promise<T>;
  close(): Promise<void>;
}

/** Forks lib/crowd-worker.ts; one question at a time, answered in order. Killed if this process dies first. */
export async function startCrowdWorker(): Promise<CrowdWorker> {
  const worker = await forkWorker(new URL('./crowd-worker.ts', import.meta.url), 'crowd worker', killAtExit);
  return {
    pid: worker.pid,
    // Opening thousands of sockets takes minutes on a busy machine: the open command's own timeout is 170 s.
    ask: <T>(command: CrowdCommand) => worker.ask<T>(command, 200_000, `crowd worker ${command.type}`),
    close: () => worker.close(),
  };
}
