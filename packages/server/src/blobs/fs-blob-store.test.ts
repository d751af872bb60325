import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { blobStoreContract, listAll } from './blob-store.contract.test.ts';
import { isBlobIntegrityError } from './blob-integrity-error.ts';
import { createFsBlobStore } from './fs-blob-store.ts';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'tessera-blobs-'));

blobStoreContract('fs', async () => {
  const dir = await tempDir();
  return { store: createFsBlobStore({ dir, key: randomBytes(32) }), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe('fs blob store: at rest', () => {
  let dir: string;
  const key = randomBytes(32);
  before(async () => { dir = await tempDir(); });
  after(async () => rm(dir, { recursive: true, force: true }));

  test('rejects an encryption key that is not 32 bytes', () => {
    assert.throws(() => createFsBlobStore({ dir, key: randomBytes(16) }), /32 bytes/);
  });

  test('the file on disk is versioned ciphertext, mode 0600, with no plaintext and no temp files left', async () => {
    const store = createFsBlobStore({ dir, key });
    const marker = Buffer.from('PASSPORT-NUMBER-X1234567 '.repeat(200));
    await store.put('s1/media_a', marker);
    const onDisk = await readFile(join(dir, 's1', 'media_a'));
    assert.equal(onDisk.subarray(0, 4).toString('latin1'), 'TSB1');
    assert.equal(onDisk.length, marker.length + 32);
    assert.equal(onDisk.includes(Buffer.from('PASSPORT')), false);
    assert.equal((await stat(join(dir, 's1', 'media_a'))).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(dir, 's1')), ['media_a']);
  });

  test('one flipped byte anywhere (header, tag or body) → BlobIntegrityError, not a crash', async () => {
    const store = createFsBlobStore({ dir, key });
    await store.put('s2/media_b', randomBytes(4096));
    const path = join(dir, 's2', 'media_b');
    const original = await readFile(path);
    for (const offset of [0, 5, 20, 40, original.length - 1]) {
      const tampered = Buffer.from(original);
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
      await writeFile(path, tampered);
      await assert.rejects(store.get('s2/media_b'), isBlobIntegrityError, `offset ${offset}`);
    }
    await writeFile(path, original);
    assert.equal((await store.get('s2/media_b')).length, 4096);
  });

  test('a truncated or foreign file → BlobIntegrityError', async () => {
    const store = createFsBlobStore({ dir, key });
    await store.put('s3/media_c', randomBytes(100));
    const path = join(dir, 's3', 'media_c');
    const original = await readFile(path);
    for (const bytes of [original.subarray(0, 10), original.subarray(0, original.length - 1), Buffer.from('\xff\xd8\xff plain jpeg')]) {
      await writeFile(path, bytes);
      await assert.rejects(store.get('s3/media_c'), isBlobIntegrityError);
    }
  });

  test('a file moved to another key fails: the key is bound as AAD', async () => {
    const store = createFsBlobStore({ dir, key });
    await store.put('s4/victim', Buffer.from('victim capture'));
    await store.put('s4/attacker', Buffer.from('attacker capture'));
    await rename(join(dir, 's4', 'victim'), join(dir, 's4', 'attacker'));
    await assert.rejects(store.get('s4/attacker'), isBlobIntegrityError);
  });

  test('another encryption key cannot read the object', async () => {
    await createFsBlobStore({ dir, key }).put('s5/media_d', Buffer.from('secret'));
    const error = await createFsBlobStore({ dir, key: randomBytes(32) }).get('s5/media_d').catch((e: unknown) => e);
    assert.ok(isBlobIntegrityError(error));
    assert.match(error.message, /wrong encryption key/);
  });

  test('list: modifiedAt is the file mtime; temp files and other names put never makes are not listed', async () => {
    const store = createFsBlobStore({ dir, key });
    await store.put('s6/media_e', Buffer.from('e'));
    const old = new Date('2020-01-02T03:04:05Z');
    await utimes(join(dir, 's6', 'media_e'), old, old);
    await writeFile(join(dir, 's6', '.tmp-0123456789abcdef'), 'a crash left this');
    await writeFile(join(dir, 's6', 'name with spaces'), 'not ours');
    await mkdir(join(dir, 's6', '.hidden-dir'));
    await writeFile(join(dir, 's6', '.hidden-dir', 'x'), 'not ours');
    const found = await listAll(store, 's6');
    assert.deepEqual([...found.keys()], ['s6/media_e']);
    assert.equal(found.get('s6/media_e')?.getTime(), old.getTime());
  });

  test('a traversal key writes nothing outside the directory', async () => {
    const store = createFsBlobStore({ dir: join(dir, 'inner'), key });
    await assert.rejects(store.put('../escaped', Buffer.from('x')), /invalid blob key/);
    assert.equal(existsSync(join(dir, 'escaped')), false);
  });
});

// kill -9 in the middle of a stream of overwrites: every visible object must be complete and authentic.
// (This checks atomic visibility; surviving power loss additionally relies on the fsyncs, which no test here can cut.)
describe('fs blob store: crash safety', () => {
  test('kill -9 during puts never leaves a torn object visible', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const moduleUrl = new URL('./fs-blob-store.ts', import.meta.url).href;
    const script = `
      import { createFsBlobStore } from ${JSON.stringify(moduleUrl)};
      const store = createFsBlobStore({ dir: ${JSON.stringify(dir)}, key: Buffer.from(${JSON.stringify(key.toString('hex'))}, 'hex') });
      for (let i = 0; ; i++) {
        await store.put('k' + (i % 4), Buffer.alloc(4 << 20, i % 251));
        if (i === 3) process.stdout.write('ready\\n');
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = createFsBlobStore({ dir, key });
    const entries = await readdir(dir);
    for (const name of ['k0', 'k1', 'k2', 'k3']) {
      assert.ok(entries.includes(name), `${name} was written before "ready"`);
      const bytes = await store.get(name);
      assert.equal(bytes.length, 4 << 20);
      assert.ok(bytes.every((b) => b === bytes[0]), `${name} is one complete version`);
    }
    assert.ok(entries.every((name) => /^k[0-3]$/.test(name) || name.startsWith('.tmp-')), entries.join(','));
    await rm(dir, { recursive: true, force: true });
  });
});
