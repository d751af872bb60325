// Deletes blobs no database row refers to. Capture bytes are written before the transaction that records them
// commits (receive-capture.ts), so a crash in between, or a rollback whose clean-up delete also failed, leaves
// sealed applicant data on disk that nothing can reach. Only blobs older than a grace period are considered, so an
// upload still between its put and its commit is never touched; only prefixes listed in REFERENCES are swept, so a
// blob kind this file does not know about is never mistaken for an orphan. Logs counts only: keys embed session
// ids, which are bearer capabilities.
import type { Logger } from '../deps.ts';
import { redactIds } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import type { BlobStore } from './blob-store.ts';

/** Far longer than any upload takes from its put to its commit (seconds), and still short next to retention periods. */
export const DEFAULT_ORPHAN_GRACE_MS = 60 * 60 * 1000;
const DEFAULT_BATCH_SIZE = 500;

interface BlobReferences {
  /** The blob-key prefix whose every key must be referenced from the database. */
  prefix: string;
  /** Of these keys, the ones some row holds. */
  referenced(db: Db, keys: string[]): Promise<Set<string>>;
}

/**
 * Every table and column that holds blob keys. Today that is media.blob_key alone: document images, PDFs, selfies,
 * liveness frames and videos and NFC chip data all go through receiveCapture and get a media row each.
 * A new kind of blob must be added here (or stored under a prefix not listed here), or its blobs will be swept.
 */
const REFERENCES: readonly BlobReferences[] = [
  {
    // Keys are sessions/<session id>/<media id>. Rows are looked up by media id, the primary key (blob_key has no
    // index), and the key is then compared whole: a blob is kept only if a row holds exactly its key.
    prefix: 'sessions',
    async referenced(db, keys) {
      const ids = keys.map((key) => key.slice(key.lastIndexOf('/') + 1));
      const { rows } = await db.query<{ blob_key: string }>('SELECT blob_key FROM media WHERE id = ANY($1::text[])', [ids]);
      return new Set(rows.map((row) => row.blob_key));
    },
  },
];

export interface SweepDeps {
  db: Db;
  blobs: BlobStore;
  log: Logger;
  now: () => Date;
}

export interface SweepOptions {
  graceMs?: number;
  /** Keys per database lookup. */
  batchSize?: number;
}

export interface SweepResult {
  /** Blobs listed under the swept prefixes. */
  listed: number;
  /** Of those, older than the grace period, so looked up. */
  checked: number;
  deleted: number;
  /** Orphans whose delete failed; the next sweep tries again. */
  failed: number;
  /** Leftovers of writes killed mid-way, older than the grace period, removed (see BlobStore.removeAbandonedWrites). */
  abandoned: number;
}

/** One pass. A failed listing or lookup rejects, with nothing deleted for the batch at hand. */
export async function sweepOrphanBlobs(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepResult> {
  const graceMs = options.graceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const cutoff = deps.now().getTime() - graceMs;
  const result: SweepResult = { listed: 0, checked: 0, deleted: 0, failed: 0, abandoned: 0 };
  const failures = new Set<string>();

  for (const references of REFERENCES) {
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      const keys = batch;
      batch = [];
      if (keys.length === 0) return;
      result.checked += keys.length;
      const referenced = await references.referenced(deps.db, keys);
      for (const key of keys) {
        if (referenced.has(key)) continue;
        try {
          await deps.blobs.delete(key);
          result.deleted += 1;
        } catch (error) {
          result.failed += 1;
          failures.add(errorSummary(error));
        }
      }
    };
    for await (const { key, modifiedAt } of deps.blobs.list(references.prefix)) {
      result.listed += 1;
      if (modifiedAt.getTime() > cutoff) continue;
      batch.push(key);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  }

  result.abandoned = (await deps.blobs.removeAbandonedWrites?.(new Date(cutoff))) ?? 0;

  const fields = { ...result, grace_seconds: Math.round(graceMs / 1000), ...(failures.size ? { errors: [...failures] } : {}) };
  if (result.deleted > 0 || result.failed > 0 || result.abandoned > 0) deps.log.info(fields, 'orphan blob sweep');
  else deps.log.debug(fields, 'orphan blob sweep');
  return result;
}

/** For the counts line: an error code (EACCES, …), never the message, which names the file and so the session. */
function errorSummary(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}

export interface OrphanBlobSweeper {
  /** Stops the timer and waits for a pass in progress, so the database is not closed under it. */
  stop(): Promise<void>;
}

/** Runs sweepOrphanBlobs every intervalMs (the first pass one interval after start); a pass never overlaps the last. */
export function startOrphanBlobSweeper(deps: SweepDeps, options: SweepOptions & { intervalMs: number }): OrphanBlobSweeper {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweepOrphanBlobs(deps, options)
      .then(
        () => undefined,
        // Not { err }: an fs error's message and path name the file, whose key holds a session id; redactIds shortens it.
        (error: unknown) => deps.log.warn({ error: redactIds(error instanceof Error ? error.message : String(error)) }, 'orphan blob sweep failed'),
      )
      .finally(() => { running = undefined; });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
