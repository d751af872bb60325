// Typed jobs: a name, its payload type and one handler each; the queue owns persistence and retries.
import type { StepType } from '@tessera/protocol';
import type { Db } from '../storage/db.ts';

export interface JobTypes {
  /** Check one stored capture and move its requirement on. */
  'capture.check': { session_id: string; requirement: StepType; media_id: string };
  /** Deliver one verification code (otp/deliver-code.ts); the code itself travels sealed in its otp_codes row. */
  'otp.deliver': { code_id: string };
}
export type JobName = keyof JobTypes;

export interface SendOptions {
  /** Enqueue inside this transaction, so the job exists exactly when the transaction commits. */
  tx?: Db;
  /** A second job with the same key while the first is queued is dropped. */
  singletonKey?: string;
}

export interface JobQueue {
  send<N extends JobName>(name: N, payload: JobTypes[N], options?: SendOptions): Promise<void>;
  work<N extends JobName>(name: N, handler: (payload: JobTypes[N]) => Promise<void>): Promise<void>;
  /** Tells local workers that jobs were committed, instead of waiting for their next poll. */
  wake(name: JobName): void;
  stop(): Promise<void>;
}
