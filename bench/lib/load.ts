// Parent side of load-worker.ts: forks the generator once and runs fixed-count loads through it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './load-worker.ts';
import { withTimeout } from './stats.ts';

export interface LoadGenerator {
  pid: number;
  run(request: Omit<LoadRequest, 'type'>): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await withTimeout(new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before it was ready`)));
  }), 30_000, 'load generator start');

  return {
    pid: child.pid ?? -1,
    run(request) {
      return withTimeout(new Promise<LoadResult>((resolve, reject) => {
        const onExit = (code: number | null): void => reject(new Error(`load generator exited with ${code} during a run`));
        child.once('exit', onExit);
        child.once('message', (result: LoadResult) => {
          child.off('exit', onExit);
          resolve(result);
        });
        child.send({ type: 'run', ...request });
      }), request.timeoutMs + 10_000, 'load run');
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
