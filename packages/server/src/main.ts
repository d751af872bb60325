// The composition root: the only module that turns configuration into adapters and wires them together.
import { mkdir, readFile } from 'node:fs/promises';
import type { Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { levelsFile, type KycLevelCreate } from '@tessera/protocol';
import type { Logger } from 'pino';
import { bootstrapAccount, type NewKey } from './accounts/bootstrap-account.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import { createFsBlobStore } from './blobs/fs-blob-store.ts';
import { loadOrCreateEncryptionKey } from './blobs/load-or-create-encryption-key.ts';
import { startOrphanBlobSweeper } from './blobs/sweep-orphan-blobs.ts';
import { createMemoryBus, createPgBus, createRedisBus, REDIS_BUS_DEFAULT_CHANNEL, type Bus, type BusErrorHandler } from './bus/index.ts';
import type { Config, S3Settings } from './config.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './http/app.ts';
import { connectRateLimitRedis } from './http/rate-limit-redis.ts';
import { checkCaptureJob } from './jobs/check-capture.ts';
import { expireSessions } from './jobs/expire-sessions.ts';
import { createPgBossQueue } from './jobs/pg-boss-queue.ts';
import { createLogger } from './logger.ts';
import { buildNotifiers, describeNotifiers } from './notifiers/build-notifiers.ts';
import { deliverCodeJob } from './otp/deliver-code.ts';
import { loadOrCreateOtpKey } from './otp/load-or-create-otp-key.ts';
import { loadOrCreateSigningKey } from './webhooks/signing-key.ts';
import { startWebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { openDatabase, type OpenDatabase } from './open-database.ts';

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  organizationId: string;
  /** Keys generated on this start (first start only): the one chance to show them. */
  createdKeys: NewKey[];
  /** Graceful stop: sockets get disconnect{reconnect:true}, in-flight requests finish, then everything closes. */
  close(): Promise<void>;
}

export async function loadLevelsFile(path: string | null): Promise<KycLevelCreate[]> {
  if (!path) return [];
  const parsed = levelsFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.levels;
}

/** How long a graceful stop lets requests in flight finish before their connections are cut. */
const HTTP_DRAIN_MS = 10_000;

/**
 * Node's server.close() closes only the keep-alive connections idle at that instant. A connection whose request was
 * in flight stays open after its response until the client drops it (Fastify's keepAliveTimeout: 72 s), and close()
 * waits for it: a SIGTERM during an upload took 70 s to exit. So responses still to be sent say `Connection: close`,
 * connections are closed as they fall idle, and after `graceMs` whatever is left is cut.
 */
function closesKeptAliveConnections(server: Server, graceMs: number): (close: () => Promise<void>) => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  return async (close) => {
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    const reap = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    try {
      await close();
    } finally {
      clearInterval(reap);
      clearTimeout(cut);
    }
  };
}

/** The database closes once no query has run for this long (bounded by DB_QUIET_BOUND_MS). */
const DB_QUIET_MS = 100;
const DB_QUIET_BOUND_MS = 3000;

/**
 * pg-boss's stop() returns while a worker is still fetching: that worker then runs the job it fetched and calls
 * `complete` (a promise pg-boss never awaits) after the pool has ended, and the rejection ("Cannot use a pool after
 * calling end on the pool") turned a clean SIGTERM into exit 1 whenever a capture arrived during the drain.
 * Such a late worker holds a pooled client from its fetch to its `complete` with only microtasks in between, so a
 * pool with no client out for `quietMs` has nothing left in flight.
 */
async function untilPoolQuiet(pool: { totalCount: number; idleCount: number; waitingCount: number }, quietMs: number, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (pool.totalCount > pool.idleCount || pool.waitingCount > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The S3 adapter, checked with a HeadBucket so a wrong bucket, region, endpoint or credentials stops the start
 * rather than the first upload. Imported on demand: the AWS SDK adds a quarter second to every start otherwise.
 */
async function openS3BlobStore(
  settings: S3Settings, key: Buffer, context: { cleanups: (() => Promise<void>)[] },
): Promise<BlobStore> {
  const { createS3BlobStore } = await import('./blobs/s3-blob-store.ts');
  const store = createS3BlobStore({ ...settings, key });
  context.cleanups.push(async () => store.close());
  await store.checkBucket().catch((error: unknown) => {
    throw new Error(`TESSERA_BLOB_STORE=s3: ${error instanceof Error ? error.message : String(error)}`);
  });
  return store;
}

export async function startServer(config: Config, options: { logger?: Logger; cablePingIntervalMs?: number } = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });
  const database: OpenDatabase = await openDatabase(config, log);
  const cleanups: (() => Promise<void>)[] = [
    async () => {
      await untilPoolQuiet(database.db.pool, DB_QUIET_MS, DB_QUIET_BOUND_MS);
      await database.close();
    },
  ];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  };
  try {
    const { db } = database;
    const account = await bootstrapAccount(db, config.pinnedKeys, await loadLevelsFile(config.levelsFile));
    const key = await loadOrCreateEncryptionKey({ dataDir: config.dataDir, configured: config.encryptionKey });
    const blobs = config.s3
      ? await openS3BlobStore(config.s3, key, { cleanups })
      : createFsBlobStore({ dir: join(config.dataDir, 'blobs'), key });
    // Session ids are bearer capabilities: logged shortened, as everywhere else.
    const onBusError: BusErrorHandler = (err, { session_id: sessionId, where }) =>
      log.warn({ err, where, ...(sessionId ? { session: sessionId.slice(0, 6) } : {}) }, 'bus error');
    const bus: Bus = config.bus === 'postgres'
      ? await createPgBus({ connectionString: database.url, onError: onBusError })
      : config.bus === 'redis'
        ? await createRedisBus({ url: config.redis?.url ?? '', channel: config.redis?.channel, onError: onBusError })
        : createMemoryBus({ onError: onBusError });
    cleanups.push(() => bus.close());
    const jobs = await createPgBossQueue({ db, pollingIntervalSeconds: config.jobPollSeconds, onError: (err) => log.warn({ err }, 'job queue error') });
    cleanups.push(() => jobs.stop());
    const notifiers = buildNotifiers(config.notifiers, db);
    const otpSecret = await loadOrCreateOtpKey({ dataDir: config.dataDir, configured: config.otpSecret });
    const deps: Deps = {
      db, blobs, bus, jobs, log, now: () => new Date(), publicUrl: config.publicUrl, limits: { maxUploadBytes: config.maxUploadBytes },
      notifiers, otp: { secret: otpSecret, deliveryAttempts: config.otpDeliveryAttempts },
    };
    await jobs.work('capture.check', checkCaptureJob(deps));
    await jobs.work('otp.deliver', deliverCodeJob(deps));
    log.info(describeNotifiers(notifiers), 'verification codes: live e-mail and SMS notifiers (sandbox always uses the outbox)');

    const signingKey = await loadOrCreateSigningKey({ dataDir: config.dataDir, configuredPem: config.webhooks.signingKeyPem });
    const dispatcher = startWebhookDispatcher({ db, key: signingKey, issuer: config.publicUrl, log, retryBaseMs: config.webhooks.retryBaseMs, pollMs: config.webhooks.pollMs });
    cleanups.push(() => dispatcher.stop());

    const rateLimitRedis = config.redis
      ? await connectRateLimitRedis(config.redis.url, (err) => log.warn({ err }, 'rate-limit store error (requests are let through meanwhile)'))
      : null;
    if (rateLimitRedis) cleanups.push(() => rateLimitRedis.close());
    const built = await buildApp(deps, {
      signingKey,
      logger: log,
      rateLimits: config.rateLimits,
      // Namespaced by the bus channel: processes that share a channel are one deployment, and share its limits.
      ...(rateLimitRedis ? { sharedRateLimits: { redis: rateLimitRedis.redis, namespace: `${config.redis?.channel ?? REDIS_BUS_DEFAULT_CHANNEL}:rate:` } } : {}),
      cors: { origins: config.corsOrigins },
      trustProxy: config.trustProxy,
      demo: config.demo,
      ...(options.cablePingIntervalMs ? { cablePingIntervalMs: options.cablePingIntervalMs } : {}),
    });
    const closeHttp = closesKeptAliveConnections(built.app.server, HTTP_DRAIN_MS);
    await built.app.listen({ host: config.host, port: config.port });
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    cleanups.push(async () => {
      built.startDraining();
      await built.cable.closeAll();
      await closeHttp(() => built.app.close());
    });

    const sweep = setInterval(() => {
      expireSessions(deps).catch((err: unknown) => log.warn({ err }, 'expiry sweep failed'));
    }, config.expirySweepSeconds * 1000);
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));
    // Blobs of uploads that never committed (a crash between the blob write and the commit); see sweep-orphan-blobs.ts.
    const blobSweeper = startOrphanBlobSweeper(deps, { intervalMs: config.blobSweepMinutes * 60_000 });
    cleanups.push(() => blobSweeper.stop());

    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      deps,
      organizationId: account.organizationId,
      createdKeys: account.created,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
