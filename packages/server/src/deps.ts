// What use-cases need from the outside world; built once in main.ts (the composition root).
import type { BlobStore } from './blobs/blob-store.ts';
import type { Bus } from './bus/bus.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import type { Notifiers } from './notifiers/notifier.ts';
import type { Db } from './storage/db.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface Deps {
  db: Db;
  blobs: BlobStore;
  bus: Bus;
  jobs: JobQueue;
  log: Logger;
  now: () => Date;
  /** Base URL applicants reach us on, without a trailing slash (TESSERA_PUBLIC_URL). */
  publicUrl: string;
  limits: { maxUploadBytes: number };
  /** Where verification codes go: per channel in live mode, the outbox for sandbox (notifiers/notifier.ts). */
  notifiers: Notifiers;
  /** secret: keys code hashes (otp.key or TESSERA_OTP_SECRET); deliveryAttempts: tries before the applicant is told. */
  otp: { secret: Buffer; deliveryAttempts: number };
}
