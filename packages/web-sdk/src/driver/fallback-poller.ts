// The silent-socket fallback of protocol §1 as one repeating timer: "if nothing arrived for N seconds, ask for the
// preflight, and keep asking every N seconds until the screen changes". The driver decides N; this keeps time.
import type { Clock } from './types.ts';

export interface FallbackPoller {
  /** Interval of the running timer, or null when idle. */
  readonly intervalMs: number | null;
  /** (Re)starts the countdown from now at `ms`, repeating; null stops it. */
  restart(ms: number | null): void;
  /** As restart, but a timer already running at the same interval keeps its phase (a flapping socket must not
   *  postpone the poll forever). */
  ensure(ms: number | null): void;
}

/** `poll` may answer a minimum wait before the next try (a 429's Retry-After). */
export function createFallbackPoller(clock: Clock, poll: () => Promise<number | undefined>): FallbackPoller {
  let interval: number | null = null;
  let timer: unknown;
  let generation = 0;

  function schedule(delay: number): void {
    clock.clearTimeout(timer);
    generation += 1;
    timer = clock.setTimeout(fire, delay);
  }

  function fire(): void {
    if (interval === null) return;
    schedule(interval); // the next try is due one interval from now, however long this one takes
    const mine = generation;
    poll().then(
      (waitMs) => {
        // Only stretch the timer this poll armed; a restart since then (a new screen) has its own schedule.
        if (waitMs !== undefined && interval !== null && waitMs > interval && mine === generation) schedule(waitMs);
      },
      () => undefined, // the driver reports poll failures itself; the next tick is already scheduled
    );
  }

  const restart = (ms: number | null): void => {
    interval = ms;
    if (ms === null) {
      clock.clearTimeout(timer);
      generation += 1;
    } else schedule(ms);
  };

  return {
    get intervalMs() {
      return interval;
    },
    restart,
    ensure(ms) {
      if (ms !== interval) restart(ms);
    },
  };
}
