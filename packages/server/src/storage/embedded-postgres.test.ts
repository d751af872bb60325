import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { createPgDb, type PgDb } from './pg-db.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  // Everything started is stopped in after(), also when an assertion failed halfway.
  const servers: RunningPostgres[] = [];
  const pools: PgDb[] = [];
  const start = async (port?: number): Promise<RunningPostgres> => {
    const server = await startEmbeddedPostgres({ dataDir, ...(port === undefined ? {} : { port }) });
    servers.push(server);
    return server;
  };
  const connect = (url: string, onError?: (error: Error) => void): PgDb => {
    const db = createPgDb(url, { max: 2, ...(onError === undefined ? {} : { onError }) });
    pools.push(db);
    return db;
  };
  const notes = async (db: PgDb): Promise<string[]> =>
    (await db.query<{ body: string }>('SELECT body FROM notes ORDER BY body')).rows.map((row) => row.body);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-test-'));
  });
  after(async () => {
    await Promise.all(pools.map((db) => db.close()));
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps data across a clean stop and start', async () => {
    const first = await start();
    assert.match(first.url, /^postgres:\/\/postgres:[\w-]+@127\.0\.0\.1:\d+\/tessera$/);
    const db = connect(first.url);
    await db.query('CREATE TABLE notes (body text NOT NULL)');
    await db.query('INSERT INTO notes (body) VALUES ($1)', ['written before restart']);
    await db.close();
    await first.stop();

    const port = await freePort();
    const second = await start(port);
    assert.equal(new URL(second.url).port, String(port));
    assert.equal(new URL(second.url).password, new URL(first.url).password, 'the stored password is reused');
    assert.equal((await stat(join(dataDir, 'postgres.password'))).mode & 0o777, 0o600);
    assert.deepEqual(await notes(connect(second.url)), ['written before restart']);
    await second.stop();
  });

  it('starts again after the server was killed with SIGKILL', async () => {
    const running = await start();
    const poolErrors: Error[] = [];
    const db = connect(running.url, (error) => poolErrors.push(error));
    await db.query('INSERT INTO notes (body) VALUES ($1)', ['written before kill']); // leaves an idle pooled client

    const pidFile = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    const pid = Number(pidFile.split('\n')[0]);
    assert.ok(Number.isInteger(pid) && pid > 0, `pid from postmaster.pid: ${pidFile.split('\n')[0]}`);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 'the killed postmaster to be gone');
    // The idle pooled connection broke; the pool reports it through onError instead of crashing the process.
    await waitFor(() => poolErrors.length > 0, 'the pool to report its broken idle client');

    const stalePidFile = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    assert.equal(stalePidFile.split('\n')[0], String(pid), 'postmaster.pid is left behind by kill -9');
    const restarted = await start();
    assert.deepEqual(await notes(connect(restarted.url)), ['written before kill', 'written before restart']);
    await running.stop(); // the killed server's handle must not hang or touch the new server
    assert.deepEqual(await notes(connect(restarted.url)), ['written before kill', 'written before restart']);
  });
});
