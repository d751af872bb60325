// In-process bus: for a single process (development, tests). Handlers receive the very object published.
import type { Bus, BusErrorHandler, SessionChange } from './bus.ts';
import { createHandlerRegistry } from './handler-registry.ts';

export interface MemoryBusOptions {
  onError?: BusErrorHandler;
}

export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const registry = createHandlerRegistry(options.onError ?? (() => {}));
  // A handler may publish while being called; queueing keeps every subscriber seeing changes in publish order.
  const queue: SessionChange[] = [];
  let draining = false;
  let closed = false;

  function drain(): void {
    draining = true;
    try {
      for (let change = queue.shift(); change; change = queue.shift()) registry.dispatch(change);
    } finally {
      draining = false;
    }
  }

  return {
    async publish(change) {
      if (closed) throw new Error('bus is closed');
      queue.push(change);
      if (!draining) drain();
    },
    subscribe(sessionId, handler) {
      if (closed) return () => {};
      return registry.add(sessionId, handler);
    },
    async close() {
      closed = true;
      queue.length = 0;
      registry.clear();
    },
  };
}
