// Versioned SQL migrations: packages/server/migrations/NNN_name.sql, applied in order, each once, each atomically.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const FILE_NAME = /^(\d+)_[a-z0-9_]+\.sql$/;

// Any fixed int8 works; it only has to be the same in every Tessera process and unlikely elsewhere.
const LOCK_KEY = 7_381_652_910_447;

interface Migration {
  version: string; // the file name without .sql, e.g. 001_initial
  path: string;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const numbers = new Set<string>();
  return names.map((name) => {
    const match = FILE_NAME.exec(name);
    // A .sql file that does not follow the pattern would otherwise be skipped silently, and its change never applied.
    if (match === null) throw new Error(`migration file ${name} is not named NNN_name.sql (lowercase, digits, _)`);
    const number = String(Number(match[1]));
    if (numbers.has(number)) throw new Error(`two migration files share the number ${match[1]}`);
    numbers.add(number);
    return { version: name.slice(0, -'.sql'.length), path: join(dir, name) };
  });
}

// Every step runs under the same transaction-scoped advisory lock, so concurrent migrate() calls (two processes
// starting together) take turns: a caller that waited re-reads the table and sees what the other one applied.
// A transaction lock rather than a session lock because the Db port does not pin a connection outside a transaction.
async function lock(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
}

async function appliedVersions(tx: Db): Promise<Set<string>> {
  const result = await tx.query<{ version: string }>('SELECT version FROM schema_migrations');
  return new Set(result.rows.map((row) => row.version));
}

/**
 * Applies the migrations in dir not yet recorded in schema_migrations, in file-name order, each file in its own
 * transaction (a failing file leaves nothing of itself behind, and earlier files stay applied). Idempotent.
 * Files must not use statements that refuse to run in a transaction (CREATE INDEX CONCURRENTLY, VACUUM).
 */
export async function migrate(db: Db, dir: string = DEFAULT_DIR): Promise<{ applied: string[] }> {
  const migrations = await listMigrations(dir);
  const pending = await db.transaction(async (tx) => {
    await lock(tx);
    // Under the lock: CREATE TABLE IF NOT EXISTS itself races when two sessions run it at once.
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = await appliedVersions(tx);
    return migrations.filter((migration) => !done.has(migration.version));
  });

  const applied: string[] = [];
  for (const migration of pending) {
    const sql = await readFile(migration.path, 'utf8');
    const didApply = await db.transaction(async (tx) => {
      await lock(tx);
      if ((await appliedVersions(tx)).has(migration.version)) return false; // another process was faster
      try {
        await tx.query(sql);
      } catch (error) {
        throw new Error(`migration ${migration.version} failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return { applied };
}
