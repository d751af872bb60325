// Linux /proc readings: a process's RSS and CPU time, the machine's busy time, and the open-files limit.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat and /proc/stat (USER_HZ; 100 on every Linux this runs on). */
const HZ = 100;

/** VmRSS of a process in KiB. */
export function rssKb(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** user+system CPU time of a process (all its threads) in ms. */
export function cpuMs(pid: number | 'self' = 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces, hence the split at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / HZ;
}

/** CPU time the whole machine spent busy (all cores, anything but idle and iowait) in ms. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, ...values] = line.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
  return ((user + nice + system + irq + softirq + steal) * 1000) / HZ;
}

/** Soft and hard limits on open files of a process. */
export function openFilesLimit(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const value = (text: string | undefined): number => (text === 'unlimited' || text === undefined ? Number.POSITIVE_INFINITY : Number(text));
  return { soft: value(match?.[1]), hard: value(match?.[2]) };
}

/**
 * Watches how much CPU went to processes other than ours while something ran: the noise of a shared machine.
 * `foreignCores` is that CPU divided by wall time (0.5 = half a core used by others on average).
 */
export function cpuWatch(pids: readonly number[]): () => { wallMs: number; oursMs: number; foreignCores: number; perPidMs: number[] } {
  const started = performance.now();
  const busy0 = machineBusyMs();
  const safeCpu = (pid: number): number => {
    try {
      return cpuMs(pid);
    } catch {
      return Number.NaN; // exited meanwhile
    }
  };
  const ours0 = pids.map(safeCpu);
  return () => {
    const wallMs = performance.now() - started;
    const perPidMs = pids.map((pid, i) => {
      const delta = safeCpu(pid) - ours0[i]!;
      return Number.isFinite(delta) ? delta : 0;
    });
    const oursMs = perPidMs.reduce((a, b) => a + b, 0);
    const foreign = Math.max(0, machineBusyMs() - busy0 - oursMs);
    return { wallMs, oursMs, foreignCores: foreign / wallMs, perPidMs };
  };
}

/** PostgreSQL backends serving one database (titled like "postgres: 15/main: <user> <database> <client> <state>"). */
export function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const title = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.replaceAll('\0', ' ').includes(` ${database} `)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * On a shared machine, waits (up to `maxWaitMs`) for a 2 s window in which other processes use less than
 * `threshold` cores, and says what it found: benchmark numbers taken under foreign load are not comparable.
 */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.25): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let load = Number.POSITIVE_INFINITY;
  for (;;) {
    const watch = cpuWatch([process.pid]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    load = watch().foreignCores;
    if (load < threshold) {
      console.log(`machine: other processes use ${load.toFixed(2)} cores (quiet enough)`);
      return load;
    }
    if (Date.now() >= deadline) break;
  }
  console.log(`machine: WARNING other processes use ${load.toFixed(2)} cores of ${cpusCount()} after waiting ${Math.round(maxWaitMs / 1000)} s; ` +
    'results are noisy (each phase reports the foreign CPU it saw)');
  return load;
}

const cpusCount = (): number => readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((line) => line.startsWith('processor')).length;
