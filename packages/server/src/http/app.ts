// The HTTP application: plugins, the §3 error shape, routes and the cable, over the use-cases in Deps.
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { cableHandleProtocols, registerCable, type CableServer } from '../cable/index.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { randomBase62 } from '../ids.ts';
import { preflightOf } from '../sessions/change-session.ts';
import { loadForApplicant } from '../sessions/session-actions.ts';
import { corsOptionsFor, type CorsPolicy } from './cors.ts';
import { errorHandler, sendError, toAppError } from './error-handler.ts';
import { refuseNul } from './nul-guard.ts';
import { rateLimitOptions, type RateLimits } from './rate-limit.ts';
import { registerLevelRoutes } from './routes/level-routes.ts';
import { registerWebhookRoutes } from './routes/webhook-routes.ts';
import type { SigningKey } from '../webhooks/signing-key.ts';
import { registerOpsRoutes } from './routes/ops-routes.ts';
import { registerOutboxRoutes } from './routes/outbox-routes.ts';
import { registerSessionRoutes } from './routes/session-routes.ts';
import { registerStepRoutes } from './routes/step-routes.ts';
import { registerWebRoutes } from './routes/web-routes.ts';

export interface AppOptions {
  logger: FastifyBaseLogger | false;
  rateLimits: RateLimits;
  /** Counters shared across processes, under this key prefix; absent: this process counts alone. */
  sharedRateLimits?: { redis: Redis; namespace: string };
  cors: CorsPolicy;
  trustProxy: boolean;
  cablePingIntervalMs?: number;
  signingKey: SigningKey;
  /** Serve the /demo page (embedded/demo mode). */
  demo?: boolean;
}

export interface BuiltApp {
  app: FastifyInstance;
  cable: CableServer;
  /** Marks the app as draining: /ready answers 503 so load balancers stop sending traffic. */
  startDraining(): void;
}

export async function buildApp(deps: Deps, options: AppOptions): Promise<BuiltApp> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: () => `req_${randomBase62(20)}`,
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    trustProxy: options.trustProxy,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Errors the router raises before any route runs (a URL that does not decode) get the §3 body too.
    frameworkErrors: (error, request, reply) => sendError(request, reply, toAppError(error)),
  });
  let draining = false;

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('not_found', `no route ${request.method} ${request.url.split('?', 1)[0]}`)));
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('preHandler', refuseNul);

  await app.register(cors, () => corsOptionsFor(options.cors));
  await app.register(rateLimit, rateLimitOptions(options.rateLimits, options.sharedRateLimits));
  await app.register(multipart, { limits: { fileSize: deps.limits.maxUploadBytes, files: 1 } });
  await app.register(websocket, { options: { handleProtocols: cableHandleProtocols, maxPayload: 64 * 1024 } });

  registerOpsRoutes(app, deps, () => draining);
  registerSessionRoutes(app, deps);
  registerStepRoutes(app, deps);
  registerLevelRoutes(app, deps);
  registerOutboxRoutes(app, deps);
  registerWebhookRoutes(app, deps, options.signingKey);
  registerWebRoutes(app, deps, { demo: options.demo ?? false });
  const cable = registerCable(app, {
    bus: deps.bus,
    ...(options.cablePingIntervalMs ? { pingIntervalMs: options.cablePingIntervalMs } : {}),
    log: app.log,
    loadPreflight: async (sessionId) => {
      try {
        const record = await loadForApplicant(deps, sessionId);
        return preflightOf(record, deps.now());
      } catch (error) {
        if (isAppError(error) && error.type === 'session_gone') return 'gone';
        if (isAppError(error) && error.type === 'not_found') return 'unknown';
        throw error;
      }
    },
  });
  return { app, cable, startDraining: () => void (draining = true) };
}
