// The job queue on pg-boss: jobs live in PostgreSQL next to the data, so an enqueue commits with the change.
import PgBoss from 'pg-boss';
import type { Db } from '../storage/db.ts';
import type { JobName, JobQueue, JobTypes, SendOptions } from './job-queue.ts';

const queueNames: JobName[] = ['capture.check', 'otp.deliver'];

const asExecutor = (db: Db) => ({
  executeSql: (text: string, values: unknown[]) => db.query(text, values),
});

export async function createPgBossQueue(options: {
  db: Db;
  pollingIntervalSeconds?: number;
  onError?: (error: unknown) => void;
}): Promise<JobQueue> {
  const boss = new PgBoss({ db: asExecutor(options.db), schedule: false, supervise: true, migrate: true });
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  for (const name of queueNames) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, retryLimit: 8, retryDelay: 2, retryBackoff: true });
  }
  const workers = new Map<JobName, string>();
  return {
    async send(name, payload, sendOptions: SendOptions = {}) {
      await boss.send(name, payload, {
        ...(sendOptions.tx ? { db: asExecutor(sendOptions.tx) } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
      });
    },
    async work<N extends JobName>(name: N, handler: (payload: JobTypes[N]) => Promise<void>) {
      const id = await boss.work<JobTypes[N]>(
        name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) await handler(job.data);
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
