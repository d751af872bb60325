// A whole server with TESSERA_BLOB_STORE=s3 against s3rver: a capture upload lands sealed in the bucket (and not on
// disk), the media download reads it back through S3, and a missing bucket stops the start.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../config.ts';
import { startServer } from '../main.ts';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import { assertStatus, jpeg, sessionApi } from '../testing/http-test-kit.ts';
import { startTestS3, TEST_S3_CREDENTIALS, type TestS3 } from '../testing/start-test-s3.ts';
import { startTestServer, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';

describe('server with TESSERA_BLOB_STORE=s3', () => {
  let s3: TestS3;
  let database: TestDatabase;
  let t: TestServer;
  const s3Env = (): Record<string, string> => ({
    TESSERA_BLOB_STORE: 's3',
    TESSERA_S3_BUCKET: s3.bucket,
    TESSERA_S3_ENDPOINT: s3.endpoint,
    TESSERA_S3_FORCE_PATH_STYLE: 'true',
    TESSERA_S3_PREFIX: 'deployment-a',
    AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });

  before(async () => {
    s3 = await startTestS3();
    database = await createTestDatabase();
    t = await startTestServer(s3Env(), { databaseUrl: database.url });
  });
  after(async () => {
    await t?.close();
    await database?.drop();
    await s3?.stop();
  });

  it('stores an uploaded capture sealed in the bucket, under the prefix, and serves it back through the media download', async () => {
    const s = sessionApi(t);
    const id = await s.create();
    assertStatus(await s.consent(id), 200);
    const accepted = assertStatus(await s.media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'passport' }), 202) as { media_id: string };

    const sealed = await readFile(join(s3.dir, s3.bucket, 'deployment-a', 'sessions', id, `${accepted.media_id}._S3rver_object`));
    assert.equal(sealed.subarray(0, 4).toString('latin1'), 'TSB1');
    assert.equal(existsSync(join(t.dataDir, 'blobs')), false, 'nothing written to the filesystem store');

    const download = await fetch(`${t.url}/v1/sessions/${id}/media/${accepted.media_id}`, { headers: { authorization: `Bearer ${TEST_KEYS.private}` } });
    assert.equal(download.status, 200);
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.equal(bytes.length, sealed.length - 32, 'the download is the stored plaintext');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  });

  it('refuses to start when the bucket does not exist, saying so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-test-'));
    const config = readConfig({
      PORT: '0', HOST: '127.0.0.1', TESSERA_DATA_DIR: dataDir, DATABASE_URL: database.url, TESSERA_BUS: 'memory', LOG_LEVEL: 'silent',
      ...s3Env(), TESSERA_S3_BUCKET: 'missing-bucket',
    });
    try {
      await assert.rejects(startServer(config), /^Error: TESSERA_BLOB_STORE=s3: S3 HeadBucket on bucket "missing-bucket" failed: NotFound \(HTTP 404\); the bucket does not exist$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
