// Parent side of a benchmark's helper child process (load-worker.ts, crowd-worker.ts): fork it under tsx, wait for
// its ready message, then ask one question at a time over IPC; each reply is the next message the child sends.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './stats.ts';

export interface ForkedWorker {
  pid: number;
  /** Sends `message` and resolves with the child's next message; rejects if it exits or takes over `timeoutMs`. */
  ask<T>(message: object, timeoutMs: number, what: string): Promise<T>;
  /** Asks the child to exit ({ type: 'exit' }), SIGKILL after 5 s. */
  close(): Promise<void>;
}

/**
 * `moduleUrl` is the worker module's file URL; `label` names it in errors ("load generator", "crowd worker").
 * `onFork` sees the child as soon as it exists, before it is ready (e.g. to kill it should this process die first).
 */
export async function forkWorker(moduleUrl: URL, label: string, onFork?: (child: ChildProcess) => void): Promise<ForkedWorker> {
  const child = fork(fileURLToPath(moduleUrl), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onFork?.(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await withTimeout(new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} before it was ready`)));
  }), 30_000, `${label} start`);

  return {
    pid: child.pid ?? -1,
    ask<T>(message: object, timeoutMs: number, what: string) {
      return withTimeout(new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null): void => reject(new Error(`${label} exited with ${code} while asked: ${what}`));
        child.once('exit', onExit);
        child.once('message', (reply: T) => {
          child.off('exit', onExit);
          resolve(reply);
        });
        child.send(message);
      }), timeoutMs, what);
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
