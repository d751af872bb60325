// Reading the benchmarks' BENCH_* knobs from the environment, failing loudly on a value that makes no sense.

/** A positive integer knob; `fallback` when the variable is unset. */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** A comma-separated list of positive integers (e.g. BENCH_PUSH_RATES=500,150); `fallback` when unset. */
export function envIntList(name: string, fallback: string): number[] {
  return (process.env[name] ?? fallback).split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a comma-separated list of positive integers`);
    return value;
  });
}

/** BENCH_QUIET_WAIT_S (default 120) in ms: how long waitForQuiet may wait. 0 is allowed (just report the load). */
export const quietWaitMs = (): number => Number(process.env.BENCH_QUIET_WAIT_S ?? 120) * 1000;
