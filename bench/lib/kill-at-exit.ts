// Child processes a benchmark must never leave behind: SIGKILLed when this process exits, however it exits.
// Importing this module also turns SIGINT and SIGTERM into a normal exit, since 'exit' handlers never run on a
// signal's default action.
import type { ChildProcess } from 'node:child_process';

const targets = new Set<ChildProcess | number>();

/** Registers a child (or a bare pid) to kill at exit; call the returned function once it is gone. */
export function killAtExit(target: ChildProcess | number): () => void {
  targets.add(target);
  return () => void targets.delete(target);
}

process.on('exit', () => {
  for (const target of targets) {
    if (typeof target !== 'number') {
      if (target.exitCode === null) target.kill('SIGKILL');
      continue;
    }
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
