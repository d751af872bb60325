// The session storage contract, run on the machine's PostgreSQL and on the embedded one: what use-cases rely on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertOrganization } from '../accounts/accounts-store.ts';
import { newSessionId } from '../ids.ts';
import { storageTargets, type TestDatabase } from '../storage/test-databases.ts';
import { newSessionRecord, PASSPORT_LEVEL } from '../testing/session-fixtures.ts';
import { claimIdempotencyKey, storeIdempotentResponse } from './idempotency-store.ts';
import { appendEvents, insertSession, listEvents, listSessions, loadSession, lockExpiredSessionIds, saveSession } from './sessions-store.ts';

const newRecord = (uniqueId: string, expiresAt?: string) =>
  newSessionRecord('org_contract', { uniqueId, ...(expiresAt ? { expiresAt } : {}) });

for (const target of storageTargets) {
  describe(`session storage on ${target.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.create();
      await insertOrganization(database.db, 'org_contract', 'Contract');
    });
    after(() => database?.drop());

    it('stores and loads a session exactly', async () => {
      const record = newRecord('u-1');
      const stored = await insertSession(database.db, record);
      const loaded = await loadSession(database.db, record.id);
      assert.deepEqual(loaded, stored);
      assert.deepEqual(loaded?.state, record.state);
      assert.equal(await loadSession(database.db, newSessionId()), null);
    });

    it('saves state, applicant and level and bumps updated_at', async () => {
      const stored = await insertSession(database.db, newRecord('u-2'));
      const state = { ...stored.state, status: 'started' as const, sequence: 1 };
      const updatedAt = await saveSession(database.db, { ...stored, state, level: { ...PASSPORT_LEVEL, web_sdk_return_url: 'https://example.com/back' } });
      const loaded = await loadSession(database.db, stored.id);
      assert.equal(loaded?.state.status, 'started');
      assert.equal(loaded?.level.web_sdk_return_url, 'https://example.com/back');
      assert.ok(updatedAt.getTime() >= stored.updated_at.getTime());
    });

    it('serialises two writers on one session with FOR UPDATE', async () => {
      const stored = await insertSession(database.db, newRecord('u-3'));
      const bump = () => database.db.transaction(async (tx) => {
        const current = (await loadSession(tx, stored.id, { forUpdate: true }))!;
        await saveSession(tx, { ...current, state: { ...current.state, sequence: current.state.sequence + 1 } });
      });
      await Promise.all(Array.from({ length: 10 }, bump));
      assert.equal((await loadSession(database.db, stored.id))?.state.sequence, 10, 'no lost update');
    });

    it('lists newest first with filters and a cursor that never skips a row', async () => {
      const ids = [];
      for (let i = 0; i < 5; i += 1) ids.push((await insertSession(database.db, newRecord('page'))).id);
      const seen: string[] = [];
      let after: { created_at: string; id: string } | undefined;
      for (;;) {
        const page = await listSessions(database.db, 'org_contract', 'sandbox', { unique_id: 'page', limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.map((r) => r.id));
        const last = page.at(-1);
        if (page.length < 2 || !last) break;
        after = { created_at: last.created_at.toISOString(), id: last.id };
      }
      assert.deepEqual([...seen].sort(), [...ids].sort());
      assert.equal((await listSessions(database.db, 'org_contract', 'live', { unique_id: 'page', limit: 10 })).length, 0, 'modes never mix');
    });

    it('appends events in order and finds expired sessions once', async () => {
      const stored = await insertSession(database.db, newRecord('u-4', '2000-01-01T00:00:00.000Z'));
      const recorded = await appendEvents(database.db, stored.id, 0, ['session.created', 'session.updated'], { a: 1 });
      assert.deepEqual((await listEvents(database.db, stored.id)).map((e) => [e.id, e.event_type]), recorded.map((e) => [e.id, e.event_type]));
      const [a, b] = await Promise.all([
        database.db.transaction(async (tx) => { const ids = await lockExpiredSessionIds(tx, new Date(), 100); await new Promise((r) => setTimeout(r, 50)); return ids; }),
        database.db.transaction(async (tx) => { await new Promise((r) => setTimeout(r, 10)); return lockExpiredSessionIds(tx, new Date(), 100); }),
      ]);
      assert.equal([...a, ...b].filter((id) => id === stored.id).length, 1, 'SKIP LOCKED hands a session to one sweeper');
    });

    it('lets exactly one of many concurrent calls claim an idempotency key', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => database.db.transaction(async (tx) => {
        const earlier = await claimIdempotencyKey(tx, 'org_contract', 'sandbox', 'key-1', 'hash');
        if (!earlier) await storeIdempotentResponse(tx, 'org_contract', 'sandbox', 'key-1', 201, { ok: true });
        return earlier;
      })));
      assert.equal(results.filter((r) => r === null).length, 1);
      for (const r of results.filter((x) => x !== null)) assert.deepEqual(r, { request_hash: 'hash', response_status: 201, response_body: { ok: true } });
    });
  });
}
