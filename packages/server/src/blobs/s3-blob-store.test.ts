// The S3 adapter against s3rver (a real S3 REST API on a temp directory): the shared contract, then what only S3
// has: what lands in the bucket, prefixes shared with other data, paged listings, Content-MD5, and an S3 that is down.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, request, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CopyObjectCommand, CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '../storage/free-port.ts';
import { startTestS3, TEST_S3_CREDENTIALS, type TestS3 } from '../testing/start-test-s3.ts';
import { blobStoreContract, listAll } from './blob-store.contract.test.ts';
import { isBlobIntegrityError } from './blob-integrity-error.ts';
import { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';
import { S3BlobStoreError } from './s3-error.ts';

let s3: TestS3;
before(async () => { s3 = await startTestS3(); });
after(async () => s3.stop());

const encryptionKey = randomBytes(32);
const stores: S3BlobStore[] = [];
after(() => stores.forEach((store) => store.close()));
const storeOn = (endpoint: string, options: Partial<S3BlobStoreOptions> = {}): S3BlobStore => {
  const store = createS3BlobStore({ bucket: s3.bucket, key: encryptionKey, endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_S3_CREDENTIALS, ...options });
  stores.push(store);
  return store;
};
const makeStore = (options: Partial<S3BlobStoreOptions> = {}): S3BlobStore => storeOn(s3.endpoint, options);
const rawClient = (): S3Client => new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
const unique = (): string => randomBytes(6).toString('hex');
/** Shaped like a real blob key: the session id in it must never reach an error message. */
const sessionKey = (): { key: string; sessionId: string } => {
  const sessionId = `sess${randomBytes(10).toString('hex')}`;
  return { key: `sessions/${sessionId}/media_${unique()}`, sessionId };
};

blobStoreContract('s3 (s3rver), under a prefix', async () => {
  const store = makeStore({ prefix: `tessera/contract-${unique()}` });
  return { store, dispose: async () => store.close() };
});

blobStoreContract('s3 (s3rver), no prefix, a bucket of its own', async () => {
  const bucket = `bare-${unique()}`;
  const client = rawClient();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  const store = makeStore({ bucket });
  return { store, dispose: async () => store.close() };
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('s3 blob store: what lands in the bucket', () => {
  test('the object is the sealed envelope: TSB1, plaintext length + 32, and no plaintext in any of s3rver\'s files', async () => {
    const prefix = `at-rest-${unique()}`;
    const store = makeStore({ prefix });
    const marker = Buffer.from('PASSPORT-NUMBER-X1234567 '.repeat(200));
    await store.put('s1/media_a', marker);
    const onDisk = await readFile(join(s3.dir, s3.bucket, prefix, 's1', 'media_a._S3rver_object'));
    assert.equal(onDisk.subarray(0, 4).toString('latin1'), 'TSB1');
    assert.equal(onDisk.length, marker.length + 32);
    for (const file of await filesUnder(s3.dir)) assert.equal((await readFile(file)).includes(Buffer.from('PASSPORT')), false, file);
    assert.ok((await store.get('s1/media_a')).equals(marker));
  });

  test('tampered, truncated, foreign or moved objects → BlobIntegrityError; another encryption key cannot read', async () => {
    const prefix = `tamper-${unique()}`;
    const store = makeStore({ prefix });
    const client = rawClient();
    const put = (key: string, Body: Buffer) => client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${key}`, Body }));
    await store.put('victim', Buffer.from('victim capture'));
    const fetched = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/victim` }));
    const original = Buffer.from(await fetched.Body!.transformToByteArray()); // non-null: a GET of an object has a body
    for (const bytes of [Buffer.concat([original.subarray(0, 40), Buffer.from([original[40]! ^ 1]), original.subarray(41)]), original.subarray(0, 10), original.subarray(0, original.length - 1), Buffer.from('\xff\xd8\xff plain jpeg')]) {
      await put('tampered', bytes);
      await assert.rejects(store.get('tampered'), isBlobIntegrityError);
    }
    await client.send(new CopyObjectCommand({ Bucket: s3.bucket, CopySource: `${s3.bucket}/${prefix}/victim`, Key: `${prefix}/attacker` }));
    await assert.rejects(store.get('attacker'), isBlobIntegrityError);
    await assert.rejects(makeStore({ prefix, key: randomBytes(32) }).get('victim'), /wrong encryption key/);
    client.destroy();
  });

  test('rejects an encryption key that is not 32 bytes and a prefix that is not made of key segments', () => {
    assert.throws(() => makeStore({ key: randomBytes(16) }), /32 bytes/);
    for (const prefix of ['/lead', 'trail/', 'a//b', '../up', 'sp ace', 'x'.repeat(257)]) {
      assert.throws(() => makeStore({ prefix }), /S3 prefix must be/, prefix.slice(0, 20));
    }
  });
});

describe('s3 blob store: listing', () => {
  test('lists only its own prefix: not other prefixes, not the bucket root, not names put never makes', async () => {
    const base = `tenants-${unique()}`;
    const a = makeStore({ prefix: `${base}/a` });
    await a.put('sessions/s1/m1', Buffer.from('mine'));
    await makeStore({ prefix: `${base}/ab` }).put('sessions/s1/m2', Buffer.from('a neighbour whose prefix merely starts the same'));
    await makeStore({ prefix: `${base}/b` }).put('sessions/s1/m3', Buffer.from('another deployment'));
    await makeStore().put(`sessions/${base}/m4`, Buffer.from('no prefix at all'));
    const client = rawClient();
    for (const foreign of ['has space', '.hidden', 'folder/']) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${base}/a/sessions/${foreign}`, Body: 'not ours' }));
    }
    client.destroy();
    assert.deepEqual([...(await listAll(a, '')).keys()], ['sessions/s1/m1']);
    assert.deepEqual([...(await listAll(a, 'sessions')).keys()], ['sessions/s1/m1']);
  });

  test('pages: more objects than one page are all listed, one ListObjectsV2 page at a time', async () => {
    const proxy = await startRecordingProxy(s3.endpoint);
    const prefix = `paged-${unique()}`;
    const store = storeOn(proxy.endpoint, { prefix, listPageSize: 2 });
    const keys = Array.from({ length: 7 }, (_, i) => `sessions/s${i % 3}/media_${i}`);
    await Promise.all(keys.map((key) => store.put(key, Buffer.from(key))));
    const listRequests = () => proxy.requests.filter((r) => r.method === 'GET' && r.url.includes('list-type=2')).length;

    const iterator = store.list('sessions')[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    assert.equal(listRequests(), 1, 'the first key comes from the first page alone');
    await iterator.return?.();

    assert.deepEqual([...(await listAll(store, 'sessions')).keys()].sort(), [...keys].sort());
    assert.equal(listRequests(), 1 + 4, '7 keys in pages of 2');
    await proxy.close();
  });
});

describe('s3 blob store: on the wire', () => {
  test('a PUT carries the Content-MD5 of exactly the bytes sent (S3 refuses a body changed in transit)', async () => {
    // s3rver stores whatever arrives without checking Content-MD5, so the header itself is checked here.
    const proxy = await startRecordingProxy(s3.endpoint);
    await storeOn(proxy.endpoint, { prefix: `md5-${unique()}` }).put('k', randomBytes(5000));
    const [put] = proxy.requests.filter((r) => r.method === 'PUT');
    assert.ok(put);
    assert.equal(put.headers['content-md5'], createHash('md5').update(put.body).digest('base64'));
    assert.equal(put.body.subarray(0, 4).toString('latin1'), 'TSB1');
    await proxy.close();
  });
});

describe('s3 blob store: S3 down or misconfigured', () => {
  const isS3Error = (code: RegExp, leaked: string) => (error: unknown) => {
    assert.ok(error instanceof S3BlobStoreError, String(error));
    assert.match(error.code, code);
    assert.ok(!error.message.includes(leaked), `no session id in "${error.message}"`);
    return true;
  };

  test('nothing listening: put, get, delete and list reject promptly with the network error', async () => {
    const store = storeOn(`http://127.0.0.1:${await freePort()}`);
    const { key, sessionId } = sessionKey();
    const startedAt = Date.now();
    await assert.rejects(store.put(key, Buffer.from('x')), isS3Error(/ECONNREFUSED/, sessionId));
    await assert.rejects(store.get(key), isS3Error(/ECONNREFUSED/, sessionId));
    await assert.rejects(store.delete(key), isS3Error(/ECONNREFUSED/, sessionId));
    await assert.rejects(listAll(store, 'sessions'), isS3Error(/ECONNREFUSED/, sessionId));
    const error = await store.get(key).catch((e: unknown) => e);
    assert.match(String(error), /S3 GetObject failed: ECONNREFUSED after 3 attempts; the S3 endpoint is unreachable/);
    assert.ok(Date.now() - startedAt < 10_000, `took ${Date.now() - startedAt} ms`);
  });

  test('an endpoint that accepts connections and never answers: a timeout, not a hang', async () => {
    const sockets = new Set<Socket>();
    const hung = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const address = hung.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const store = storeOn(`http://127.0.0.1:${port}`, { requestTimeoutMs: 300, maxAttempts: 2 });
    const { key, sessionId } = sessionKey();
    const startedAt = Date.now();
    await assert.rejects(store.put(key, Buffer.from('x')), isS3Error(/ETIMEDOUT|TimeoutError/, sessionId));
    await assert.rejects(store.get(key), isS3Error(/ETIMEDOUT|TimeoutError/, sessionId));
    assert.ok(Date.now() - startedAt < 5_000, `took ${Date.now() - startedAt} ms`);
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => hung.close(resolve));
  });

  test('checkBucket: passes on the bucket; names a missing bucket, bad credentials and an unreachable endpoint', async () => {
    await makeStore().checkBucket();
    await assert.rejects(makeStore({ bucket: 'no-such-bucket' }).checkBucket(), /HeadBucket on bucket "no-such-bucket" failed: .*the bucket does not exist/);
    await assert.rejects(makeStore({ credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' } }).checkBucket(), /access denied: check the credentials/);
    await assert.rejects(storeOn(`http://127.0.0.1:${await freePort()}`, { maxAttempts: 1 }).checkBucket(), /ECONNREFUSED; the S3 endpoint is unreachable/);
  });
});

interface RecordedRequest { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }

/** A pass-through HTTP proxy in front of s3rver that keeps every request it forwards. */
async function startRecordingProxy(target: string): Promise<{ endpoint: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createHttpServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const body = Buffer.concat(chunks);
      const { method = 'GET', url = '/', headers } = incoming;
      requests.push({ method, url, headers, body });
      const { expect: _expect, ...forwarded } = headers; // answered by this server already
      const upstream = request(target + url, { method, headers: forwarded }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.on('error', () => outgoing.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
