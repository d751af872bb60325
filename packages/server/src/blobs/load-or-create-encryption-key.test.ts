import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ENCRYPTION_KEY_FILE, loadOrCreateEncryptionKey } from './load-or-create-encryption-key.ts';

describe('loadOrCreateEncryptionKey', () => {
  let root: string;
  before(async () => { root = await mkdtemp(join(tmpdir(), 'tessera-key-')); });
  after(async () => rm(root, { recursive: true, force: true }));

  test('creates <dataDir>/encryption.key (0600) on first use, then reuses it', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const first = await loadOrCreateEncryptionKey({ dataDir });
    assert.equal(first.length, 32);
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await readFile(path, 'utf8')).trim(), first.toString('base64'));
    assert.ok((await loadOrCreateEncryptionKey({ dataDir })).equals(first));
    assert.deepEqual(await readdir(dataDir), [ENCRYPTION_KEY_FILE]); // no temp file left
  });

  test('concurrent first starts agree on one key', async () => {
    const dataDir = join(root, 'race');
    const keys = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateEncryptionKey({ dataDir })));
    for (const key of keys) assert.ok(key.equals(keys[0] as Buffer));
  });

  test('a configured key wins and writes no file: hex, base64, base64url, surrounding whitespace', async () => {
    const dataDir = join(root, 'configured');
    const raw = randomBytes(32);
    for (const text of [raw.toString('hex'), raw.toString('hex').toUpperCase(), raw.toString('base64'), raw.toString('base64url'), ` ${raw.toString('base64')}\n`]) {
      assert.ok((await loadOrCreateEncryptionKey({ dataDir, configured: text })).equals(raw), text);
    }
    await assert.rejects(stat(dataDir));
  });

  test('a configured key that differs from an existing generated key file is refused; the same key is fine', async () => {
    const dataDir = join(root, 'switch');
    const generated = await loadOrCreateEncryptionKey({ dataDir });
    assert.ok((await loadOrCreateEncryptionKey({ dataDir, configured: generated.toString('hex') })).equals(generated));
    await assert.rejects(loadOrCreateEncryptionKey({ dataDir, configured: randomBytes(32).toString('base64') }), /differs from .*encryption\.key/);
  });

  test('a malformed configured key is a clear config error that does not echo the value', async () => {
    const raw = randomBytes(32);
    const bad = [
      '', 'secret', raw.toString('hex').slice(1), randomBytes(16).toString('base64'), randomBytes(48).toString('base64'),
      `${raw.toString('base64').slice(0, 42)}B=`, // non-canonical: stray low bits in the last character
    ];
    for (const configured of bad) {
      const error = await loadOrCreateEncryptionKey({ dataDir: root, configured }).catch((e: unknown) => e);
      assert.ok(error instanceof Error, JSON.stringify(configured));
      assert.match(error.message, /must be 32 bytes, written as base64 \(44 characters\) or hex \(64 characters\)/);
      if (configured.length > 0) assert.equal(error.message.includes(configured), false);
    }
  });

  test('a damaged key file is an error, never silently replaced', async () => {
    const dataDir = join(root, 'damaged');
    await loadOrCreateEncryptionKey({ dataDir });
    await writeFile(join(dataDir, ENCRYPTION_KEY_FILE), 'not a key\n');
    await assert.rejects(loadOrCreateEncryptionKey({ dataDir }), /encryption\.key: the key must be 32 bytes/);
    assert.equal(await readFile(join(dataDir, ENCRYPTION_KEY_FILE), 'utf8'), 'not a key\n');
  });
});
