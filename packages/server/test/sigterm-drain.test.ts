// SIGTERM drains: sockets are told to reconnect elsewhere, the request in flight finishes with its 202, the process
// exits 0, and nothing listens afterwards. Real child process, real @rails/actioncable client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CABLE_CHANNEL } from '@tessera/protocol';
import type { Consumer } from '@rails/actioncable';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../src/storage/test-databases.ts';
import { api, CableProbe, createSession, frontUpload, noiseJpeg, uploadFrontMultipart } from './client.ts';
import { KEYS, killAll, mkTempDir, spawnServer, type ServerProcess } from './spawn-server.ts';

// @rails/actioncable touches a global addEventListener (page visibility) and a global WebSocket; Node 20 has neither.
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};
const rails = await import('@rails/actioncable');
rails.adapters.WebSocket = WebSocket;

describe('SIGTERM', () => {
  let database: TestDatabase;
  let dataDir: Awaited<ReturnType<typeof mkTempDir>>;
  let server: ServerProcess;
  let bigJpeg: Buffer;
  const consumers: Consumer[] = [];

  before(async () => {
    [database, dataDir, bigJpeg] = await Promise.all([createTestDatabase(), mkTempDir('tessera-sigterm-'), noiseJpeg(3000, 2400)]);
    // info: the "incoming request" log line is the exact signal that the upload is in the server's hands.
    server = await spawnServer({ dataDir: dataDir.path, databaseUrl: database.url, env: { LOG_LEVEL: 'info' } });
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect(); // stops its reconnect monitor
    await killAll();
    await database?.drop();
    await dataDir?.remove();
  });

  it('tells sockets to reconnect, finishes the upload in flight with 202, exits 0 and stops listening', async (t) => {
    assert.ok(bigJpeg.length > 9_500_000, `fixture is ${bigJpeg.length} bytes`);
    const id = await createSession(server.url, KEYS.sandboxPublic); // consent given: the front screen is next

    // The exact frames, on a bare socket.
    const raw = await CableProbe.subscribe(server.cableUrl(id));
    assert.equal(raw.preflights()[0]?.screen.show, 'scan_id_document_front_screen');

    // A stock Bynn-style client on the same session.
    const consumer = rails.createConsumer(server.cableUrl(id));
    consumers.push(consumer);
    let onDisconnect: (details: { willAttemptReconnect: boolean }) => void = () => {};
    const railsDisconnected = new Promise<{ willAttemptReconnect: boolean }>((resolve) => (onDisconnect = resolve));
    await new Promise<void>((connected, rejected) =>
      consumer.subscriptions.create({ channel: CABLE_CHANNEL }, { connected: () => connected(), rejected: () => rejected(new Error('rejected')), disconnected: onDisconnect }),
    );

    // The slow request: a ~10 MB JPEG the server fully decodes and re-encodes (multipart here; JSON is tested below).
    const started = Date.now();
    const upload = uploadFrontMultipart(server.url, id, bigJpeg).catch((error: unknown) => error as Error);
    await server.waitForStdout(/^(?=.*"incoming request")(?=.*\/media").*$/m);
    const signalled = Date.now();
    server.child.kill('SIGTERM');

    const disconnect = await raw.waitFor('a disconnect frame', (f) => f.type === 'disconnect', 5000);
    assert.equal(typeof disconnect.reason, 'string');
    assert.deepEqual(disconnect, { type: 'disconnect', reason: disconnect.reason, reconnect: true });
    assert.equal(await raw.closed, 1012, 'close code: service restart');
    assert.deepEqual(await railsDisconnected, { willAttemptReconnect: true });
    consumer.disconnect();

    const answer = await upload;
    assert.ok(!(answer instanceof Error), `the upload in flight failed: ${String(answer)} ${String((answer as Error).cause ?? '')}`);
    assert.equal(answer.status, 202, `${JSON.stringify(answer.body)}\nserver log:\n${server.stdout().split('\n').filter((l) => /"level":[45]0/.test(l)).join('\n')}`);
    assert.equal(answer.body.status, 'processing');
    const uploadDone = Date.now();

    const exit = await server.exited;
    const exitedAt = Date.now();
    assert.deepEqual(exit, { code: 0, signal: null }, `stderr: ${server.stderr().slice(-2000)}`);
    assert.ok(exitedAt - signalled < 15_000, `exit took ${exitedAt - signalled} ms`);

    // Acknowledged means committed: the capture and its check job are in the database.
    const media = await database.db.query<{ id: string }>('SELECT id FROM media WHERE session_id = $1', [id]);
    assert.deepEqual(media.rows.map((r) => r.id), [answer.body.media_id]);
    // Its check job is either done or still queued for the next process, never stranded mid-run by the shutdown.
    const job = await database.db.query<{ state: string }>("SELECT state FROM pgboss.job WHERE name = 'capture.check' AND singleton_key = $1", [answer.body.media_id]);
    assert.ok(['created', 'completed'].includes(job.rows[0]?.state ?? 'missing'), `check job: ${job.rows[0]?.state ?? 'missing'}`);

    // Nothing listens any more: HTTP and websocket connections are refused.
    await assert.rejects(fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2000) }), (error: Error) => {
      assert.equal((error.cause as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED', String(error.cause));
      return true;
    });
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = new WebSocket(server.cableUrl(id), ['actioncable-v1-json']);
      socket.on('open', () => resolve('open'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    assert.equal(refused, 'ECONNREFUSED');
    t.diagnostic(`upload sent→signal ${signalled - started} ms, signal→202 ${uploadDone - signalled} ms, signal→exit ${exitedAt - signalled} ms`);
  });

  // protocol §4.6 accepts strict base64 JSON up to the decoded limit (15 MB by default). The `strictBase64` zod regex
  // in packages/protocol/src/steps.ts backtracks once per 4 characters: past ~4.5 MB of base64 it overflows V8's regexp
  // stack ("Maximum call stack size exceeded") and the request fails with 500 internal_error; below that it blocks
  // the event loop ~0.16 s per MB (every socket's pings and pushes stall meanwhile).
  it('accepts a ~10 MB capture as strict base64 JSON (202)', async () => {
    const again = await spawnServer({ dataDir: dataDir.path, databaseUrl: database.url });
    const id = await createSession(again.url, KEYS.sandboxPublic);
    const answer = await api(again.url, 'POST', `/v1/sessions/${id}/media`, { body: frontUpload(bigJpeg), timeoutMs: 30_000 });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  });
});
