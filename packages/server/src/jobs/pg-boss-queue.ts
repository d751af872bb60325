// The job queue on pg-boss: jobs live in PostgreSQL next to the data, so an enqueue commits with the change.
import PgBoss from 'pg-boss';
import type { Db } from '../storage/db.ts';
import type { JobName, JobQueue, JobTypes, SendOptions } from './job-queue.ts';

const queueNames: JobName[] = ['capture.check', 'otp.deliver'];

const asExecutor = (db: Db) => ({
  executeSql: (text: string, values: unknown[]) => db.query(text, values),
});

/** Two processes starting on a fresh database race in pg-boss's create_queue: retry the loser. */
async function ensureQueue(boss: PgBoss, name: JobName): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 20 });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '23505')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

export async function createPgBossQueue(options: {
  db: Db;
  pollingIntervalSeconds?: number;
  onError?: (error: unknown) => void;
}): Promise<JobQueue> {
  // Maintenance every 10 s hands out again the jobs of a process that died mid-job, once their 20 s expiry passes.
  const boss = new PgBoss({ db: asExecutor(options.db), schedule: false, supervise: true, migrate: true, maintenanceIntervalSeconds: 10 });
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  for (const name of queueNames) await ensureQueue(boss, name);
  const workers = new Map<JobName, string>();
  return {
    async send(name, payload, sendOptions: SendOptions = {}) {
      await boss.send(name, payload, {
        ...(sendOptions.tx ? { db: asExecutor(sendOptions.tx) } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
      });
    },
    async work<N extends JobName>(name: N, handler: (payload: JobTypes[N]) => Promise<void>) {
      let id = ''; // read by the handler, which may first run before work() resolves
      id = await boss.work<JobTypes[N]>(
        name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) await handler(job.data);
          // A worker fetches one batch per poll; ask again at once so a backlog drains at working speed.
          if (jobs.length > 0) setImmediate(() => id && boss.notifyWorker(id));
        },
      );
      workers.set(name, id);
    },
    wake(name) {
      const id = workers.get(name);
      if (id) boss.notifyWorker(id);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
