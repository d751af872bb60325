// A real fastify + @fastify/websocket server running the cable over a Map of preflights, for the cable tests.
import websocket from '@fastify/websocket';
import type { Preflight, ScreenShow } from '@tessera/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Bus } from '../bus/bus.ts';
import { createMemoryBus } from '../bus/memory-bus.ts';
import { makeTestPreflight } from '../bus/make-test-preflight.ts';
import { cableHandleProtocols } from './cable-handle-protocols.ts';
import type { CableServer } from './cable-deps.ts';
import { registerCable } from './register-cable.ts';

export interface TestCable {
  app: FastifyInstance;
  cable: CableServer;
  bus: Bus;
  /** ws://127.0.0.1:<port>/cable */
  baseUrl: string;
  url(sessionId: string): string;
  /** Session states the fake loadPreflight answers with; absent = 'unknown'. */
  store: Map<string, Preflight | 'gone'>;
  /** Stores a preflight of that sequence (without publishing it). */
  set(sessionId: string, sequence: number, show?: ScreenShow): Preflight;
  /** Stores and publishes a change. */
  change(sessionId: string, sequence: number, show?: ScreenShow): Promise<void>;
  /** Makes every load started from now on wait until `release`; `entered` resolves once one is waiting. */
  holdLoads(): { release(): void; entered: Promise<void> };
  /** Bus subscriptions currently held by the cable. */
  activeSubscriptions(): number;
  close(): Promise<void>;
}

export async function startTestCable(options: { pingIntervalMs?: number } = {}): Promise<TestCable> {
  const store = new Map<string, Preflight | 'gone'>();
  let gate: Promise<void> | null = null;
  let onEnter = (): void => {};
  const memory = createMemoryBus();
  let active = 0;
  // Counts subscriptions, to check that the cable holds one per subscribed socket and releases it.
  const bus: Bus = {
    publish: (change) => memory.publish(change),
    subscribe(sessionId, handler) {
      active += 1;
      const off = memory.subscribe(sessionId, handler);
      let on = true;
      return () => {
        if (on) active -= 1;
        on = false;
        off();
      };
    },
    close: () => memory.close(),
  };
  const app = Fastify({ logger: false });
  await app.register(websocket, { options: { handleProtocols: cableHandleProtocols } });
  const cable = registerCable(app, {
    bus,
    pingIntervalMs: options.pingIntervalMs ?? 150,
    async loadPreflight(sessionId) {
      const value = store.get(sessionId) ?? 'unknown'; // read when called, answered when the gate opens
      if (gate) {
        onEnter();
        await gate;
      }
      return value;
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const baseUrl = `ws://127.0.0.1:${address.port}/cable`;
  const set = (sessionId: string, sequence: number, show?: ScreenShow): Preflight => {
    const preflight = makeTestPreflight(sessionId, sequence, show);
    store.set(sessionId, preflight);
    return preflight;
  };
  return {
    app,
    cable,
    bus,
    baseUrl,
    url: (sessionId) => `${baseUrl}?session_id=${sessionId}`,
    store,
    set,
    async change(sessionId, sequence, show) {
      await bus.publish({ session_id: sessionId, sequence, preflight: set(sessionId, sequence, show) });
    },
    holdLoads() {
      let open = (): void => {};
      gate = new Promise((resolve) => (open = resolve));
      const entered = new Promise<void>((resolve) => (onEnter = resolve));
      const release = (): void => {
        gate = null;
        open();
      };
      return { release, entered };
    },
    activeSubscriptions: () => active,
    async close() {
      await app.close();
      await bus.close();
    },
  };
}
