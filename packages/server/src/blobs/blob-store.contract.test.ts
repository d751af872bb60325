// The behaviour every BlobStore adapter must share. This file only defines the suite; each adapter's
// own test file runs it (fs-blob-store.test.ts today, the S3 adapter later) and adds backend-specific checks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobStoreUnderTest {
  store: BlobStore;
  dispose(): Promise<void>;
}

export const BAD_BLOB_KEYS: readonly string[] = [
  '', '/abs', '../escape', 'a/../../escape', 'a/..', '..', '.', 'a/./b', 'a//b', 'a/', '.hidden', 'a/.tmp-x',
  'a b', 'a\\b', 'a\0b', 'ümlaut', 'a?b', 'a\nb', 'x'.repeat(513),
];

const isNotFound = (error: unknown): boolean => isAppError(error) && error.type === 'not_found';

export async function listAll(store: BlobStore, prefix: string): Promise<Map<string, Date>> {
  const found = new Map<string, Date>();
  for await (const { key, modifiedAt } of store.list(prefix)) {
    assert.equal(found.has(key), false, 'each key once');
    found.set(key, modifiedAt);
  }
  return found;
}

export function blobStoreContract(name: string, make: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    // One store per suite (cheap for remote backends); each test works under its own prefix.
    const prefix = (): string => `contract/${randomBytes(6).toString('hex')}`;

    before(async () => {
      subject = await make();
      store = subject.store;
    });
    after(async () => subject.dispose());

    test('round-trips binary data of every byte value', async () => {
      const key = `${prefix()}/media_bin.jpg`;
      const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(1 << 20)]);
      await store.put(key, bytes);
      assert.ok((await store.get(key)).equals(bytes));
    });

    test('round-trips an empty object (allowed: emptiness is a caller rule, not a storage one)', async () => {
      const key = `${prefix()}/empty`;
      await store.put(key, Buffer.alloc(0));
      assert.equal((await store.get(key)).length, 0);
    });

    test('keeps its own copy: mutating the caller buffer after put changes nothing', async () => {
      const key = `${prefix()}/copy`;
      const bytes = Buffer.from('original bytes');
      await store.put(key, bytes);
      bytes.fill(0);
      assert.equal((await store.get(key)).toString(), 'original bytes');
    });

    test('accepts nested keys with dots, dashes and underscores', async () => {
      const key = `${prefix()}/sessions/AbC123_x-y/media_1.v2.png`;
      await store.put(key, Buffer.from('nested'));
      assert.equal((await store.get(key)).toString(), 'nested');
    });

    test('overwrite: the last put wins', async () => {
      const key = `${prefix()}/over`;
      await store.put(key, Buffer.from('first version, longer'));
      await store.put(key, Buffer.from('second'));
      assert.equal((await store.get(key)).toString(), 'second');
    });

    test('keys are independent', async () => {
      const base = prefix();
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.put(`${base}/k${i}`, Buffer.from(`value ${i}`))));
      for (let i = 0; i < 8; i++) assert.equal((await store.get(`${base}/k${i}`)).toString(), `value ${i}`);
    });

    test('a missing key → AppError not_found', async () => {
      await assert.rejects(store.get(`${prefix()}/nothing-here`), isNotFound);
    });

    test('a prefix of stored keys is not an object → not_found', async () => {
      const base = prefix();
      await store.put(`${base}/dir/leaf`, Buffer.from('x'));
      await assert.rejects(store.get(`${base}/dir`), isNotFound);
    });

    test('delete removes the object; deleting again or a missing key is not an error', async () => {
      const key = `${prefix()}/del`;
      await store.put(key, Buffer.from('bye'));
      await store.delete(key);
      await assert.rejects(store.get(key), isNotFound);
      await store.delete(key);
      await store.delete(`${prefix()}/never-existed`);
    });

    test('list(prefix): every key under the prefix, nested ones too, with the time it was written', async () => {
      const base = prefix();
      const keys = [`${base}/a`, `${base}/b.jpg`, `${base}/sessions/s1/media_1`, `${base}/sessions/s2/media_2`];
      const startedAt = Date.now();
      for (const key of keys) await store.put(key, Buffer.from(key));
      await store.put(`${base}-sibling/x`, Buffer.from('a key that merely starts with the same characters'));

      const found = await listAll(store, base);
      assert.deepEqual([...found.keys()].sort(), keys);
      for (const [key, modifiedAt] of found) {
        assert.ok(modifiedAt instanceof Date, key);
        // Filesystem timestamps can be coarser than the clock and a remote clock can differ a little: a minute either way.
        assert.ok(Math.abs(modifiedAt.getTime() - startedAt) < 60_000, `${key} written ${modifiedAt.toISOString()}`);
      }
      assert.deepEqual([...(await listAll(store, `${base}/sessions`)).keys()].sort(), keys.slice(2));
      assert.deepEqual([...(await listAll(store, `${base}/sessions/s1`)).keys()], [`${base}/sessions/s1/media_1`]);
    });

    test('list(""): every key in the store; a deleted key is gone from listings', async () => {
      const base = prefix();
      await store.put(`${base}/keep`, Buffer.from('k'));
      await store.put(`${base}/gone`, Buffer.from('g'));
      await store.delete(`${base}/gone`);
      const all = await listAll(store, '');
      assert.ok(all.has(`${base}/keep`));
      assert.equal(all.has(`${base}/gone`), false);
      assert.deepEqual([...(await listAll(store, base)).keys()], [`${base}/keep`]);
    });

    test('list of a prefix with nothing under it, or of an object key itself, is empty', async () => {
      const base = prefix();
      assert.equal((await listAll(store, `${base}/nothing`)).size, 0);
      await store.put(`${base}/leaf`, Buffer.from('x'));
      assert.equal((await listAll(store, `${base}/leaf`)).size, 0);
    });

    test('list rejects a bad prefix when iterated', async () => {
      for (const key of BAD_BLOB_KEYS.filter((k) => k !== '')) {
        await assert.rejects(listAll(store, key), /invalid blob key/, `list ${JSON.stringify(key.slice(0, 20))}`);
      }
    });

    test('bad keys are rejected by put, get and delete', async () => {
      for (const key of BAD_BLOB_KEYS) {
        const shown = JSON.stringify(key.slice(0, 20));
        await assert.rejects(store.put(key, Buffer.from('x')), /invalid blob key/, `put ${shown}`);
        await assert.rejects(store.get(key), /invalid blob key/, `get ${shown}`);
        await assert.rejects(store.delete(key), /invalid blob key/, `delete ${shown}`);
      }
    });
  });
}
