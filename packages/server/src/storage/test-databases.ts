// Test-only: a fresh, migrated database per call, on the machine's PostgreSQL or on a throwaway embedded cluster, so
// test files can run in parallel without sharing state. Server code never imports this file.
// Every create() must be paired with drop() (in after()): an embedded cluster left running keeps the test process alive.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';
import { createPgDb, type PgDb } from './pg-db.ts';

export interface TestDatabase {
  url: string;
  db: PgDb;
  /** Closes db and removes the database with everything in it. Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Default true. false leaves the database empty, for tests of migrate itself. */
  migrate?: boolean;
}

export interface StorageTarget {
  name: string;
  create(options?: TestDatabaseOptions): Promise<TestDatabase>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // failures surface through the awaited calls; this keeps a late socket error from crashing
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function open(url: string, options: TestDatabaseOptions, cleanup: () => Promise<void>): Promise<TestDatabase> {
  const db = createPgDb(url, { max: 5, applicationName: 'tessera-test' });
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (error) {
    await db.close();
    await cleanup();
    throw error;
  }
  let dropping: Promise<void> | undefined;
  const drop = async (): Promise<void> => {
    try {
      await db.close();
    } finally {
      await cleanup();
    }
  };
  return { url, db, drop: () => (dropping ??= drop()) };
}

const databaseUrl = (serverUrl: string, name: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

// tessera_t_<random>: only [a-z0-9_], so it needs no quoting. FORCE on drop: a connection a failed test left open must
// not keep the database alive.
async function createDatabaseOn(
  adminUrl: string,
  options: TestDatabaseOptions,
  release: () => Promise<void>,
): Promise<TestDatabase> {
  const name = `tessera_t_${randomBytes(8).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  return open(databaseUrl(adminUrl, name), options, async () => {
    try {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await release();
    }
  });
}

/** A new database on TESSERA_TEST_PG_URL (default: postgres@127.0.0.1:5432). */
export function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TESSERA_TEST_PG_URL ?? DEFAULT_ADMIN_URL;
  return createDatabaseOn(adminUrl, options, async () => {});
}

// One embedded cluster per test process, shared by the databases open on it: another database then costs a
// CREATE DATABASE (~0.1 s) instead of an initdb (1–5 s). Stopped and deleted when the last database is dropped.
let cluster: { adminUrl: Promise<string>; users: number; stop: () => Promise<void> } | undefined;
let clusterStopped: Promise<void> = Promise.resolve();

function startCluster(): NonNullable<typeof cluster> {
  let stop = async (): Promise<void> => {};
  const adminUrl = (async () => {
    await clusterStopped.catch(() => {}); // let a cluster that is shutting down finish; its failure is its dropper's
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-pg-test-'));
    const removeDir = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
    const server = await startEmbeddedPostgres({ dataDir }).catch(async (error: unknown) => {
      await removeDir();
      throw error;
    });
    stop = async () => {
      try {
        await server.stop();
      } finally {
        await removeDir();
      }
    };
    return databaseUrl(server.url, 'postgres');
  })();
  return { adminUrl, users: 0, stop: () => stop() };
}

async function acquireCluster(): Promise<{ adminUrl: string; release: () => Promise<void> }> {
  const current = (cluster ??= startCluster());
  current.users += 1;
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    current.users -= 1;
    if (current.users > 0) return;
    if (cluster === current) cluster = undefined;
    clusterStopped = current.stop();
    await clusterStopped;
  };
  try {
    return { adminUrl: await current.adminUrl, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** A new database on a throwaway embedded PostgreSQL in a temp dir, stopped and deleted after the last drop(). */
export async function withEmbeddedDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { adminUrl, release } = await acquireCluster();
  return createDatabaseOn(adminUrl, options, release);
}

export const storageTargets: readonly StorageTarget[] = [
  { name: 'postgres (127.0.0.1:5432)', create: createTestDatabase },
  { name: 'embedded-postgres', create: withEmbeddedDatabase },
];
