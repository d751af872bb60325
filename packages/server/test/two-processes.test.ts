// Two `tessera start` processes on one database, with the PostgreSQL bus and again with the Redis bus: a socket on one
// process sees every change made through the other, once each and in `sequence` order, and a capture stored through
// one is readable through both.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import sharp from 'sharp';
import { REDIS_URL, redisAnswers } from '../src/bus/bus-test-backends.ts';
import { createTestDatabase, type TestDatabase } from '../src/storage/test-databases.ts';
import { api, CableProbe, createSession, frontUpload, getPreflight, noiseJpeg, waitUntil } from './client.ts';
import { KEYS, killAll, mkTempDir, spawnServer, type ServerProcess } from './spawn-server.ts';

const redisReachable = await redisAnswers(REDIS_URL);

const buses = [
  { name: 'postgres', skip: false as const, env: { TESSERA_BUS: 'postgres' }, redisChannel: null },
  (() => {
    // A random channel per run: Redis is shared by every run on the machine, unlike a test database.
    const channel = `tessera:test:${randomBytes(6).toString('hex')}`;
    return {
      name: 'redis',
      skip: redisReachable ? (false as const) : `no Redis at ${REDIS_URL}`,
      env: { TESSERA_BUS: 'redis', TESSERA_REDIS_URL: REDIS_URL, TESSERA_REDIS_CHANNEL: channel },
      redisChannel: channel,
    };
  })(),
];

for (const bus of buses) describe(`two processes, one database, ${bus.name} bus`, { skip: bus.skip }, () => {
  let database: TestDatabase;
  let dataDir: Awaited<ReturnType<typeof mkTempDir>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const probes: CableProbe[] = [];

  const env = { ...bus.env, TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };

  before(async () => {
    [database, dataDir] = await Promise.all([createTestDatabase(), mkTempDir('tessera-two-')]);
    // One after the other: a simultaneous first start is the next test's subject.
    a = await spawnServer({ dataDir: dataDir.path, databaseUrl: database.url, env });
    b = await spawnServer({ dataDir: dataDir.path, databaseUrl: database.url, env });
  });

  after(async () => {
    await Promise.all(probes.map((p) => p.close()));
    await killAll();
    await database?.drop();
    await dataDir?.remove();
  });

  it('pushes every change made on A to sockets on B (and A), in sequence order, once each', async (t) => {
    const counts = await database.db.query<{ organizations: number; keys: number }>(
      'SELECT (SELECT count(*)::int FROM organizations) AS organizations, (SELECT count(*)::int FROM api_keys) AS keys',
    );
    assert.deepEqual(counts.rows[0], { organizations: 1, keys: 4 }, 'the second start made a second account');
    if (bus.redisChannel) {
      // The changes must travel through Redis: both processes hold a subscription on the run's channel.
      const admin = new Redis(REDIS_URL);
      try {
        assert.deepEqual(await admin.pubsub('NUMSUB', bus.redisChannel), [bus.redisChannel, 2]);
      } finally {
        await admin.quit();
      }
    }

    const id = await createSession(a.url, KEYS.sandboxPublic, { consent: false });
    const onB = await CableProbe.subscribe(b.cableUrl(id));
    const onA = await CableProbe.subscribe(a.cableUrl(id));
    probes.push(onB, onA);
    const initial = onB.preflights()[0]!;
    assert.equal(initial.screen.show, 'consent_screen');

    // Everything through A's REST API.
    const started = Date.now();
    assert.equal((await api(a.url, 'PATCH', `/v1/sessions/${id}/consent?gives_consent=true`)).status, 200);
    await onB.waitForScreen('scan_id_document_front_screen');
    const upload = await api(a.url, 'POST', `/v1/sessions/${id}/media`, { body: frontUpload(await noiseJpeg(400, 300)) });
    assert.equal(upload.status, 202, JSON.stringify(upload.body));
    const last = await onB.waitForScreen('liveness_screen', 10_000);
    await onA.waitForScreen('liveness_screen', 5000);
    const pushedAt = Date.now();

    // A duplicate or a late push would arrive right behind the last one; give it a moment to show up.
    const current = await getPreflight(b.url, id);
    assert.equal(current.sequence, last.sequence, 'B pushed an older state than the REST preflight shows');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const screens = onB.preflights().map((p) => [p.sequence, p.screen.show] as const);
    const sequences = screens.map(([sequence]) => sequence);
    assert.deepEqual([...sequences].sort((x, y) => x - y), sequences, `out of order: ${JSON.stringify(screens)}`);
    assert.equal(new Set(sequences).size, sequences.length, `duplicates: ${JSON.stringify(screens)}`);
    assert.deepEqual(
      screens.map(([, show]) => show),
      ['consent_screen', 'scan_id_document_front_screen', 'waiting_for_previous_call_to_complete', 'liveness_screen'],
      JSON.stringify(screens),
    );
    // One push per recorded change: every sequence the session went through after the subscription, no gaps.
    const changes = await database.db.query<{ sequence: number }>(
      'SELECT DISTINCT sequence FROM session_events WHERE session_id = $1 AND sequence > $2 ORDER BY sequence',
      [id, initial.sequence],
    );
    assert.deepEqual(sequences.slice(1), changes.rows.map((r) => r.sequence), 'pushes vs recorded changes');
    assert.deepEqual(onA.preflights().map((p) => p.sequence), sequences, 'the socket on A saw the same pushes');

    // The capture stored through A is readable through B (shared data dir and encryption key).
    for (const server of [a, b]) {
      const response = await fetch(`${server.url}/v1/sessions/${id}/media/${upload.body.media_id}`, {
        headers: { authorization: `Bearer ${KEYS.sandboxPrivate}` },
      });
      assert.equal(response.status, 200);
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 400, 300]);
    }
    t.diagnostic(`consent → liveness push on B in ${pushedAt - started} ms; pushes ${JSON.stringify(screens)}`);
  });

  // Two replicas rolled out at once on a fresh database (a Deployment's first rollout) must both come up. Today one
  // can die with "tessera: deadlock detected": jobs/pg-boss-queue.ts checks `getQueue(name)` and then calls
  // `createQueue(name)`, so both processes insert the same pgboss.queue rows concurrently (PostgreSQL log: "Process A
  // waits for ShareLock on transaction …; Process B waits for ShareRowExclusiveLock on relation …", both in
  // `SELECT pgboss.create_queue($1, $2)`). The losing process exits 1; an orchestrator restart then succeeds.
  // The race window is a few milliseconds, so the test lines both processes up on it: the queues are dropped, and
  // pgboss.queue stays locked until both processes wait on it.
  // Not a bus matter: run once, with the postgres bus.
  if (bus.name === 'postgres') it('two processes started at once on a fresh database both come up', async () => {
    // Reuses the first test's database: stopped, with pg-boss's queues dropped, it is a fresh database for this race.
    await Promise.all([a.stop(), b.stop()]);
    const gate = new pg.Client({ connectionString: database.url });
    gate.on('error', () => {});
    try {
      await database.db.query('DELETE FROM pgboss.job');
      await database.db.query('SELECT pgboss.delete_queue(name) FROM pgboss.queue');
      await gate.connect();
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE pgboss.queue IN ACCESS EXCLUSIVE MODE');
      const starting = [
        spawnServer({ dataDir: dataDir.path, databaseUrl: database.url, env }),
        spawnServer({ dataDir: dataDir.path, databaseUrl: database.url, env }),
      ].map((p) => p.then((server) => ({ server }), (error: unknown) => ({ error: String(error).slice(0, 400) })));
      await waitUntil('both processes to wait on pgboss.queue', async () => {
        const { rows } = await database.db.query<{ n: number }>(
          "SELECT count(DISTINCT client_port)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'tessera'",
        );
        return rows[0]!.n >= 2 ? true : undefined;
      }, 60_000, 50);
      await gate.query('COMMIT');
      const started = await Promise.all(starting);
      for (const result of started) if ('server' in result) await result.server.stop('SIGKILL');
      assert.deepEqual(started.filter((r) => 'error' in r), []);
    } finally {
      await gate.end().catch(() => {});
    }
  });
});
