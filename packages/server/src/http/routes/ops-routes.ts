// Liveness and readiness probes for orchestrators: /health says the process serves, /ready that it can work.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

export function registerOpsRoutes(app: FastifyInstance, deps: Deps, isDraining: () => boolean): void {
  const quiet = { logLevel: 'warn' as const, config: { rateLimit: false } };
  app.get('/health', quiet, async () => ({ status: 'ok' }));
  app.get('/ready', quiet, async (_request, reply) => {
    if (isDraining()) return reply.status(503).send({ status: 'draining' });
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database_unavailable' });
    }
  });
}
