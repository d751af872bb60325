// Test-only: a Clock whose time moves only when a test says so. Not exported from the driver's index.
import type { Clock } from './types.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order and letting the promises they start settle. */
  advance(ms: number): Promise<void>;
  /** Due times of the pending timers, soonest first. */
  pending(): number[];
}

/** Lets pending promise chains (fake fetch, Response.text, driver awaits) run: a few real macrotask turns. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let nextId = 1;
  const timers: Timer[] = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { id: nextId++, at: now + Math.max(0, ms), fn };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      const index = timers.findIndex((t) => t.id === handle);
      if (index >= 0) timers.splice(index, 1);
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        // Earliest due first; equal times in the order they were set, as real timers do.
        let next: Timer | undefined;
        for (const t of timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
        if (!next) break;
        timers.splice(timers.indexOf(next), 1);
        now = next.at;
        next.fn();
        await settle();
      }
      now = target;
    },
    pending: () => timers.map((t) => t.at).sort((a, b) => a - b),
  };
}
