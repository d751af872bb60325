// The ActionCable endpoint of protocol §6: `GET /cable?session_id=…` upgraded to a websocket.
import { CABLE_PING_INTERVAL_MS, sessionId as sessionIdSchema } from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';
// For its module augmentation only (the `websocket` route option and the socket handler type).
import type {} from '@fastify/websocket';
import { CableConnection } from './cable-connection.ts';
import type { CableHost, CableSocket } from './cable-socket.ts';
import type { CableDeps, CableServer } from './cable-deps.ts';
import { serverRestartFrame } from './cable-frames.ts';
import { ConnectionRegistry } from './connection-registry.ts';

/** How long closeAll waits for clients to answer the close handshake before cutting their sockets. */
const DRAIN_GRACE_MS = 2000;

/** Expects @fastify/websocket already registered on `app`, with `handleProtocols: cableHandleProtocols`. */
export function registerCable(app: FastifyInstance, deps: CableDeps): CableServer {
  const registry = new ConnectionRegistry<CableSocket>(deps.pingIntervalMs ?? CABLE_PING_INTERVAL_MS);
  let draining = false;
  const host: CableHost = {
    loadPreflight: deps.loadPreflight,
    bus: deps.bus,
    log: deps.log,
    opened(connection) {
      if (draining) return false;
      registry.add(connection);
      return true;
    },
    closed(connection) {
      registry.delete(connection);
    },
  };

  // @fastify/rate-limit counts the upgrade GET like an API call (it answered 429 to handshakes): a reconnecting
  // applicant must not be locked out by the API's budget.
  app.get(deps.path ?? '/cable', { websocket: true, config: { rateLimit: false } }, (socket, request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const candidate = sessionIdSchema.safeParse(query?.session_id);
    const connection = new CableConnection(socket, candidate.success ? candidate.data : null, host);
    void connection.start();
  });
  app.addHook('onClose', async () => registry.stop());

  return {
    connectionCount: () => registry.size,
    async closeAll() {
      draining = true;
      const connections = registry.snapshot();
      // One timer for the whole drain, not one per socket.
      const grace = setTimeout(() => connections.forEach((c) => c.socket.terminate()), DRAIN_GRACE_MS);
      try {
        await Promise.all(connections.map((c) => c.drain(serverRestartFrame)));
      } finally {
        clearTimeout(grace);
        registry.stop();
      }
    },
  };
}
