// The orphan sweep against a real database and the fs blob store: only old blobs no media row holds are deleted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { insertOrganization } from '../accounts/accounts-store.ts';
import type { Logger } from '../deps.ts';
import { newRecordId, newSessionId } from '../ids.ts';
import { insertMedia } from '../media/media-store.ts';
import { insertSession } from '../sessions/sessions-store.ts';
import type { Db } from '../storage/db.ts';
import { storageTargets, type TestDatabase } from '../storage/test-databases.ts';
import { newSessionRecord } from '../testing/session-fixtures.ts';
import type { BlobStore } from './blob-store.ts';
import { listAll } from './blob-store.contract.test.ts';
import { createFsBlobStore } from './fs-blob-store.ts';
import { startOrphanBlobSweeper, sweepOrphanBlobs } from './sweep-orphan-blobs.ts';

const HOUR = 60 * 60 * 1000;
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (obj: object, msg?: string): void => { lines.push(JSON.stringify({ ...obj, msg })); };
  return { lines, info: record, warn: record, error: record, debug: record };
}

/** Counts the queries that reach the database. */
function countingDb(db: Db): Db & { queries: number } {
  const counted = {
    queries: 0,
    query: ((sql: string, params?: readonly unknown[]) => { counted.queries += 1; return db.query(sql, params); }) as Db['query'],
    transaction: db.transaction.bind(db),
  };
  return counted;
}

for (const target of storageTargets) {
  describe(`orphan blob sweep on ${target.name}`, () => {
    let database: TestDatabase;
    const dirs: string[] = [];
    let dir: string;
    let blobs: BlobStore;

    before(async () => {
      database = await target.create();
      await insertOrganization(database.db, 'org_sweep', 'Sweep');
    });
    beforeEach(async () => { // the database is shared, the blob directory is each test's own
      dir = await mkdtemp(join(tmpdir(), 'tessera-sweep-'));
      dirs.push(dir);
      blobs = createFsBlobStore({ dir, key: randomBytes(32) });
    });
    after(async () => {
      await database?.drop();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    const newSession = async (): Promise<string> => (await insertSession(database.db, newSessionRecord('org_sweep'))).id;
    /** A blob as receiveCapture writes it, with a media row (`recorded`) or without one (an upload that never committed). */
    const capture = async (sessionId: string, options: { recorded: boolean; ageMs: number; mediaId?: string }): Promise<string> => {
      const mediaId = options.mediaId ?? newRecordId('media');
      const key = `sessions/${sessionId}/${mediaId}`;
      await blobs.put(key, Buffer.from(`capture ${mediaId}`));
      if (options.recorded) {
        await insertMedia(database.db, { id: mediaId, session_id: sessionId, requirement_type: 'identity_document', app_screen: null, content_type: 'image/jpeg', byte_size: 1, sha256: 'x', blob_key: key, metadata: {} });
      }
      await age(key, options.ageMs);
      return key;
    };
    const age = async (key: string, ageMs: number): Promise<void> => {
      const when = new Date(Date.now() - ageMs);
      await utimes(join(dir, ...key.split('/')), when, when);
    };
    const exists = async (key: string): Promise<boolean> => blobs.get(key).then(() => true, () => false);

    it('deletes only the old orphans: a referenced blob, a fresh orphan and blobs outside the swept prefix stay', async () => {
      const session = await newSession();
      const referenced = await capture(session, { recorded: true, ageMs: 3 * HOUR });
      const oldOrphan = await capture(session, { recorded: false, ageMs: 2 * HOUR });
      const freshOrphan = await capture(session, { recorded: false, ageMs: 5 * 60 * 1000 }); // an upload still in flight
      const noSession = await capture(newSessionId(), { recorded: false, ageMs: 2 * HOUR }); // its session never committed either
      // The media id of a real row under another session's prefix: the key is compared whole, not by id.
      const borrowedId = `sessions/${newSessionId()}/${referenced.split('/').at(-1)}`;
      await blobs.put(borrowedId, Buffer.from('x'));
      await age(borrowedId, 2 * HOUR);
      await blobs.put('other/kind/of-blob', Buffer.from('not a capture'));
      await age('other/kind/of-blob', 24 * HOUR);

      const log = recordingLogger();
      const result = await sweepOrphanBlobs({ db: database.db, blobs, log, now: () => new Date() });

      assert.deepEqual(result, { listed: 5, checked: 4, deleted: 3, failed: 0, abandoned: 0 });
      assert.equal(await exists(referenced), true, 'referenced');
      assert.equal(await exists(freshOrphan), true, 'fresh orphan (within the grace period)');
      assert.equal(await exists('other/kind/of-blob'), true, 'outside the swept prefix');
      for (const key of [oldOrphan, noSession, borrowedId]) assert.equal(await exists(key), false, 'old orphan deleted');
      assert.deepEqual([...(await listAll(blobs, `sessions/${session}`)).keys()].sort(), [referenced, freshOrphan].sort());

      // Counts only: no key, session id or media id in what was logged.
      assert.equal(log.lines.length, 1);
      assert.match(log.lines[0]!, /"deleted":3/);
      for (const key of [referenced, oldOrphan, noSession, borrowedId]) {
        for (const part of key.split('/').slice(1)) assert.equal(log.lines[0]!.includes(part), false, 'an id was logged');
      }
      // A second pass finds nothing more to do.
      assert.deepEqual(await sweepOrphanBlobs({ db: database.db, blobs, log, now: () => new Date() }), { listed: 2, checked: 1, deleted: 0, failed: 0, abandoned: 0 });
    });

    it("removes the temp files of writes killed mid-way once they are past the grace period, and nothing else", async () => {
      const session = await newSession();
      const kept = await capture(session, { recorded: true, ageMs: 3 * HOUR });
      const folder = join(dir, 'sessions', session);
      const temp = async (name: string, ageMs: number): Promise<string> => {
        const path = join(folder, name);
        await writeFile(path, 'partial sealed bytes');
        const when = new Date(Date.now() - ageMs);
        await utimes(path, when, when);
        return path;
      };
      const abandoned = await temp(`.tmp-${randomBytes(8).toString('hex')}`, 2 * HOUR);
      const inFlight = await temp(`.tmp-${randomBytes(8).toString('hex')}`, 60 * 1000); // a put still writing
      const foreign = await temp('.tmp-not-ours', 2 * HOUR); // not a name put() makes

      const log = recordingLogger();
      const result = await sweepOrphanBlobs({ db: database.db, blobs, log, now: () => new Date() });
      assert.deepEqual(result, { listed: 1, checked: 1, deleted: 0, failed: 0, abandoned: 1 });
      const present = async (path: string) => stat(path).then(() => true, () => false);
      assert.equal(await present(abandoned), false);
      assert.equal(await present(inFlight), true);
      assert.equal(await present(foreign), true);
      assert.equal(await exists(kept), true);
      assert.match(log.lines[0]!, /"abandoned":1/);
    });

    it('the grace period and the clock are options; lookups are batched', async () => {
      const session = await newSession();
      const kept = await Promise.all([1, 2].map(() => capture(session, { recorded: true, ageMs: 10 * 60 * 1000 })));
      const orphans = await Promise.all([1, 2, 3].map(() => capture(session, { recorded: false, ageMs: 10 * 60 * 1000 })));
      const db = countingDb(database.db);
      const deps = { db, blobs, log: recordingLogger(), now: () => new Date() };

      assert.equal((await sweepOrphanBlobs(deps, { graceMs: 20 * 60 * 1000 })).deleted, 0, 'younger than a 20-minute grace');
      const result = await sweepOrphanBlobs({ ...deps, now: () => new Date(Date.now() + 15 * 60 * 1000) }, { graceMs: 20 * 60 * 1000, batchSize: 2 });
      assert.equal(result.checked, 5);
      assert.equal(result.deleted, 3);
      assert.equal(db.queries, 3, 'one query per batch of 2');
      for (const key of kept) assert.equal(await exists(key), true);
      for (const key of orphans) assert.equal(await exists(key), false);
    });

    it("a deleted session's blobs (media rows gone by ON DELETE CASCADE) are orphans, and are swept", async () => {
      const session = await newSession();
      const key = await capture(session, { recorded: true, ageMs: 2 * HOUR });
      const deps = { db: database.db, blobs, log: recordingLogger(), now: () => new Date() };
      await sweepOrphanBlobs(deps);
      assert.equal(await exists(key), true);
      await database.db.query('DELETE FROM sessions WHERE id = $1', [session]);
      await sweepOrphanBlobs(deps);
      assert.equal(await exists(key), false);
    });

    it('a failed lookup deletes nothing and rejects; the sweeper logs it without ids and runs again', async () => {
      const session = await newSession();
      const orphan = await capture(session, { recorded: false, ageMs: 2 * HOUR });
      const failing: Db = { query: async () => { throw new Error(`lookup failed for sessions/${session}`); }, transaction: database.db.transaction.bind(database.db) };
      const log = recordingLogger();
      await assert.rejects(sweepOrphanBlobs({ db: failing, blobs, log, now: () => new Date() }), /lookup failed/);
      assert.equal(await exists(orphan), true);

      const sweeper = startOrphanBlobSweeper({ db: failing, blobs, log, now: () => new Date() }, { intervalMs: 10 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sweeper.stop();
      assert.ok(log.lines.length >= 2, 'ran on every tick, a failure did not stop it');
      assert.ok(log.lines.every((line) => line.includes('orphan blob sweep failed') && !line.includes(session)), log.lines[0]);

      const working = startOrphanBlobSweeper({ db: database.db, blobs, log: recordingLogger(), now: () => new Date() }, { intervalMs: 10 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await working.stop();
      assert.equal(await exists(orphan), false);
    });
  });
}
