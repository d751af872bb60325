// The composition root: the only module that turns configuration into adapters and wires them together.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { levelsFile, type KycLevelCreate } from '@tessera/protocol';
import type { Logger } from 'pino';
import { bootstrapAccount, type NewKey } from './accounts/bootstrap-account.ts';
import { createFsBlobStore } from './blobs/fs-blob-store.ts';
import { loadOrCreateEncryptionKey } from './blobs/load-or-create-encryption-key.ts';
import { createMemoryBus, createPgBus, type Bus } from './bus/index.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './http/app.ts';
import { checkCaptureJob } from './jobs/check-capture.ts';
import { expireSessions } from './jobs/expire-sessions.ts';
import { createPgBossQueue } from './jobs/pg-boss-queue.ts';
import { createLogger } from './logger.ts';
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

export async function startServer(config: Config, options: { logger?: Logger; cablePingIntervalMs?: number } = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });
  const database: OpenDatabase = await openDatabase(config, log);
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  };
  try {
    const { db } = database;
    const account = await bootstrapAccount(db, config.pinnedKeys, await loadLevelsFile(config.levelsFile));
    const key = await loadOrCreateEncryptionKey({ dataDir: config.dataDir, configured: config.encryptionKey });
    const blobs = createFsBlobStore({ dir: join(config.dataDir, 'blobs'), key });
    const onBusError = (err: unknown, context: object) => log.warn({ err, ...context }, 'bus error');
    const bus: Bus = config.bus === 'postgres'
      ? await createPgBus({ connectionString: database.url, onError: onBusError })
      : createMemoryBus({ onError: onBusError });
    cleanups.push(() => bus.close());
    const jobs = await createPgBossQueue({ db, pollingIntervalSeconds: config.jobPollSeconds, onError: (err) => log.warn({ err }, 'job queue error') });
    cleanups.push(() => jobs.stop());
    const deps: Deps = { db, blobs, bus, jobs, log, now: () => new Date(), publicUrl: config.publicUrl, limits: { maxUploadBytes: config.maxUploadBytes } };
    await jobs.work('capture.check', checkCaptureJob(deps));

    const signingKey = await loadOrCreateSigningKey({ dataDir: config.dataDir, configuredPem: config.webhooks.signingKeyPem });
    const dispatcher = startWebhookDispatcher({ db, key: signingKey, issuer: config.publicUrl, log, retryBaseMs: config.webhooks.retryBaseMs, pollMs: config.webhooks.pollMs });
    cleanups.push(() => dispatcher.stop());

    const built = await buildApp(deps, {
      signingKey,
      logger: log,
      rateLimits: config.rateLimits,
      cors: { origins: config.corsOrigins },
      trustProxy: config.trustProxy,
      ...(options.cablePingIntervalMs ? { cablePingIntervalMs: options.cablePingIntervalMs } : {}),
    });
    await built.app.listen({ host: config.host, port: config.port });
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    cleanups.push(async () => {
      built.startDraining();
      await built.cable.closeAll();
      await built.app.close();
    });

    const sweep = setInterval(() => {
      expireSessions(deps).catch((err: unknown) => log.warn({ err }, 'expiry sweep failed'));
    }, config.expirySweepSeconds * 1000);
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));

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
