// The Db contract, run against every storage target: what the rest of the server may rely on.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { createPgDb } from './pg-db.ts';
import { storageTargets, type TestDatabase } from './test-databases.ts';

// Every migration file, so these tests follow the schema as it grows.
const VERSIONS = readdirSync(fileURLToPath(new URL('../../migrations/', import.meta.url)))
  .filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();

const INITIAL_TABLES = [
  'api_keys', 'idempotency_keys', 'kyc_levels', 'liveness_challenges', 'media', 'organizations', 'schema_migrations',
  'session_events', 'sessions',
];

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

// Reads the counter kept in an organization's name under a row lock, records what it saw, and writes it + 1.
async function incrementLocked(tx: Db, seen: string[]): Promise<void> {
  const { rows } = await tx.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1 FOR UPDATE', ['org_lock']);
  const current = rows[0]?.name ?? 'missing';
  seen.push(current);
  await tx.query('UPDATE organizations SET name = $2 WHERE id = $1', ['org_lock', String(Number(current) + 1)]);
}

for (const target of storageTargets) {
  describe(target.name, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.create();
    });
    after(async () => {
      await database?.drop();
    });

    it('runs a query with parameters', async () => {
      const result = await database.db.query<{ sum: number; text: string; big: number; exact: string }>(
        'SELECT $1::int + $2::int AS sum, $3::text AS text, count(*) AS big, 0.1::numeric AS exact FROM (VALUES (1), (2)) v',
        [2, 3, 'grüße'],
      );
      // count(*) is int8: a number, not pg's default string; numeric stays an exact string.
      assert.deepEqual(result.rows, [{ sum: 5, text: 'grüße', big: 2, exact: '0.1' }]);
      assert.equal(result.rowCount, 1);
    });

    it('prepares a parameterised statement once per connection and keeps it usable after a failed run', async () => {
      const sql = 'SELECT $1::int * 2 AS doubled';
      await database.db.transaction(async (tx) => {
        for (const n of [1, 2, 3]) assert.deepEqual((await tx.query(sql, [n])).rows, [{ doubled: n * 2 }]);
        const { rows } = await tx.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE statement = $1', [sql]);
        assert.equal(rows.length, 1, 'one prepared statement for the text, however often it ran');
      });
      // A run that fails (bad parameter) neither poisons the prepared statement nor the pool.
      await assert.rejects(database.db.query(sql, ['not a number']), /invalid input syntax/);
      assert.deepEqual((await database.db.query(sql, [21])).rows, [{ doubled: 42 }]);
      // Text without parameters may hold several statements (migrations): sent as a simple query, last result back.
      assert.deepEqual((await database.db.query('SELECT 1 AS a; SELECT 2 AS b')).rows, [{ b: 2 }]);
    });

    it('prepares nothing with prepare: false (for poolers that do not track prepared statements)', async () => {
      const unprepared = createPgDb(database.url, { max: 1, prepare: false });
      try {
        const sql = 'SELECT $1::int + 1 AS next';
        await unprepared.transaction(async (tx) => {
          for (const n of [1, 2]) assert.deepEqual((await tx.query(sql, [n])).rows, [{ next: n + 1 }]);
          const { rows } = await tx.query('SELECT count(*) AS n FROM pg_prepared_statements');
          assert.deepEqual(rows, [{ n: 0 }]);
        });
      } finally {
        await unprepared.close();
      }
    });

    it('commits a transaction', async () => {
      const value = await database.db.transaction(async (tx) => {
        await tx.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', ['org_commit', 'Committed']);
        return 'done';
      });
      assert.equal(value, 'done');
      const { rows } = await database.db.query('SELECT name FROM organizations WHERE id = $1', ['org_commit']);
      assert.deepEqual(rows, [{ name: 'Committed' }]);
    });

    it('rolls back everything when the callback throws', async () => {
      await assert.rejects(
        database.db.transaction(async (tx) => {
          await tx.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', ['org_rollback', 'Rolled back']);
          throw new Error('boom');
        }),
        /boom/,
      );
      const { rowCount } = await database.db.query('SELECT 1 FROM organizations WHERE id = $1', ['org_rollback']);
      assert.equal(rowCount, 0);
    });

    it('reuses the transaction for nested calls, and refuses a tx used after its end', async () => {
      let leaked: Db | undefined;
      await assert.rejects(
        database.db.transaction(async (tx) => {
          leaked = tx;
          const outer = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          const inner = await tx.transaction(async (nested) => {
            await nested.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', ['org_nested', 'Nested']);
            return nested.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          });
          assert.equal(inner.rows[0]?.pid, outer.rows[0]?.pid); // same connection, same transaction
          throw new Error('outer fails after the nested call succeeded');
        }),
        /outer fails/,
      );
      const { rowCount } = await database.db.query('SELECT 1 FROM organizations WHERE id = $1', ['org_nested']);
      assert.equal(rowCount, 0, 'the nested insert is rolled back with the outer transaction');
      await assert.rejects(leaked!.query('SELECT 1'), /transaction already finished/);
    });

    it('serialises two transactions on one row with SELECT … FOR UPDATE', async () => {
      await database.db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', ['org_lock', '0']);
      const seenA: string[] = [];
      const seenB: string[] = [];
      let aHasLock!: () => void;
      const aLocked = new Promise<void>((resolve) => (aHasLock = resolve));
      let letACommit!: () => void;
      const aMayCommit = new Promise<void>((resolve) => (letACommit = resolve));
      const first = database.db.transaction(async (tx) => {
        await incrementLocked(tx, seenA);
        aHasLock();
        await aMayCommit; // hold the row lock until B is provably waiting for it
      });
      await Promise.race([aLocked, first]); // first only settles early if it failed
      let pidB = 0;
      const second = database.db.transaction(async (tx) => {
        pidB = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await incrementLocked(tx, seenB);
      });
      try {
        await waitFor(async () => {
          if (pidB === 0) return false;
          const { rows } = await database.db.query<{ wait: string | null }>(
            'SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
            [pidB],
          );
          return rows[0]?.wait === 'Lock';
        }, 'the second transaction to block on the row lock');
      } finally {
        letACommit(); // also on failure: an open transaction would keep drop() waiting for its connection
      }
      await Promise.all([first, second]);
      assert.deepEqual([seenA, seenB], [['0'], ['1']], 'B read the row only after A committed');
      const { rows } = await database.db.query('SELECT name FROM organizations WHERE id = $1', ['org_lock']);
      assert.deepEqual(rows, [{ name: '2' }], 'no lost update');
    });

    it('has the schema tables', async () => {
      const { rows } = await database.db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      const names = rows.map((row) => row.name);
      for (const table of INITIAL_TABLES) assert.ok(names.includes(table), `${table} exists`);
    });

    it('migrates idempotently', async () => {
      assert.deepEqual(await migrate(database.db), { applied: [] });
      assert.deepEqual(await migrate(database.db), { applied: [] });
      const { rows } = await database.db.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows, VERSIONS.map((version) => ({ version })));
    });

    it('applies each migration once when two processes migrate a fresh database together', async () => {
      const fresh = await target.create({ migrate: false });
      const otherProcess = createPgDb(fresh.url, { max: 2 }); // its own pool, as a second server would have
      try {
        const [a, b] = await Promise.all([migrate(fresh.db), migrate(otherProcess)]);
        assert.deepEqual([...a.applied, ...b.applied].sort(), VERSIONS);
        const { rows } = await fresh.db.query('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(rows, VERSIONS.map((version) => ({ version })));
      } finally {
        await otherProcess.close();
        await fresh.drop();
      }
    });
  });
}
