// readConfig: the bus choice (TESSERA_BUS and the Redis settings it needs), the blob store (TESSERA_BLOB_STORE and S3's) and prepared statements.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConfig } from './config.ts';

describe('config: TESSERA_BUS', () => {
  it('defaults to postgres with DATABASE_URL and to memory without', () => {
    assert.equal(readConfig({ DATABASE_URL: 'postgres://db/x' }).bus, 'postgres');
    assert.equal(readConfig({}).bus, 'memory');
    assert.equal(readConfig({}).redis, null);
  });

  it('accepts redis with TESSERA_REDIS_URL, and TESSERA_REDIS_CHANNEL optionally', () => {
    const config = readConfig({ TESSERA_BUS: 'redis', TESSERA_REDIS_URL: 'redis://:pw@cache:6380/2' });
    assert.equal(config.bus, 'redis');
    assert.deepEqual(config.redis, { url: 'redis://:pw@cache:6380/2', channel: undefined });
    const tls = readConfig({ TESSERA_BUS: 'redis', TESSERA_REDIS_URL: 'rediss://cache', TESSERA_REDIS_CHANNEL: 'a:b' });
    assert.deepEqual(tls.redis, { url: 'rediss://cache', channel: 'a:b' });
  });

  it('ignores the Redis settings unless the bus is redis', () => {
    assert.equal(readConfig({ TESSERA_BUS: 'postgres', TESSERA_REDIS_URL: 'redis://cache' }).redis, null);
  });

  it('refuses redis without TESSERA_REDIS_URL', () => {
    assert.throws(() => readConfig({ TESSERA_BUS: 'redis' }), /TESSERA_BUS=redis needs TESSERA_REDIS_URL/);
    assert.throws(() => readConfig({ TESSERA_BUS: 'redis', TESSERA_REDIS_URL: '' }), /needs TESSERA_REDIS_URL/);
  });

  it('refuses a TESSERA_REDIS_URL that is not redis:// or rediss://, without echoing it', () => {
    for (const url of ['http://user:s3cret@cache:6379', 'cache:6379', 's3cret', 'redis://', 'redis:s3cret']) {
      assert.throws(() => readConfig({ TESSERA_BUS: 'redis', TESSERA_REDIS_URL: url }), (error: Error) => {
        assert.match(error.message, /TESSERA_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/, url);
        assert.ok(!error.message.includes('s3cret'), error.message);
        return true;
      });
    }
  });

  it('refuses an unknown bus', () => {
    assert.throws(() => readConfig({ TESSERA_BUS: 'kafka' }), /TESSERA_BUS must be memory, postgres or redis, got "kafka"/);
  });
});

describe('config: TESSERA_BLOB_STORE', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');
  const s3 = (env: Record<string, string> = {}) => readConfig({ TESSERA_BLOB_STORE: 's3', TESSERA_S3_BUCKET: 'tessera-captures', TESSERA_ENCRYPTION_KEY: KEY, ...env });

  it('defaults to fs, with no S3 settings read', () => {
    assert.equal(readConfig({}).blobStore, 'fs');
    assert.equal(readConfig({ TESSERA_S3_BUCKET: 'b!d', AWS_ACCESS_KEY_ID: 'only one' }).s3, null);
  });

  it('s3 with a bucket: region us-east-1, virtual-host style, no endpoint, prefix or explicit credentials', () => {
    const config = s3();
    assert.equal(config.blobStore, 's3');
    assert.deepEqual(config.s3, { bucket: 'tessera-captures', endpoint: undefined, region: 'us-east-1', forcePathStyle: false, prefix: undefined, credentials: undefined });
  });

  it('reads endpoint, region, path style, prefix (outer slashes dropped) and the AWS keys', () => {
    const config = s3({
      TESSERA_S3_ENDPOINT: 'http://minio:9000', TESSERA_S3_REGION: 'auto', TESSERA_S3_FORCE_PATH_STYLE: 'true', TESSERA_S3_PREFIX: '/prod/tessera/',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token',
    });
    assert.deepEqual(config.s3, {
      bucket: 'tessera-captures', endpoint: 'http://minio:9000', region: 'auto', forcePathStyle: true, prefix: 'prod/tessera',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    });
    assert.equal(s3({ TESSERA_S3_FORCE_PATH_STYLE: 'false', TESSERA_S3_PREFIX: '/' }).s3?.prefix, undefined);
  });

  it('refuses an unknown store and s3 without a bucket', () => {
    assert.throws(() => readConfig({ TESSERA_BLOB_STORE: 'gcs' }), /TESSERA_BLOB_STORE must be fs or s3, got "gcs"/);
    assert.throws(() => readConfig({ TESSERA_BLOB_STORE: 's3' }), /TESSERA_BLOB_STORE=s3 needs TESSERA_S3_BUCKET/);
    assert.throws(() => readConfig({ TESSERA_BLOB_STORE: 's3', TESSERA_S3_BUCKET: '' }), /needs TESSERA_S3_BUCKET/);
  });

  it('refuses s3 without a configured encryption key (a generated one would live on one disk only)', () => {
    assert.throws(() => readConfig({ TESSERA_BLOB_STORE: 's3', TESSERA_S3_BUCKET: 'tessera-captures' }), /TESSERA_BLOB_STORE=s3 needs TESSERA_ENCRYPTION_KEY/);
    assert.throws(() => s3({ TESSERA_ENCRYPTION_KEY: '' }), /needs TESSERA_ENCRYPTION_KEY/);
  });

  it('refuses a bad bucket name, endpoint, region, path style or prefix, naming the variable', () => {
    for (const bucket of ['ab', 'has space', '-lead', 'x'.repeat(64), 's3://bucket']) {
      assert.throws(() => s3({ TESSERA_S3_BUCKET: bucket }), /TESSERA_S3_BUCKET must be a bucket name/, bucket);
    }
    for (const endpoint of ['minio:9000', 'ftp://minio', 'http://']) {
      assert.throws(() => s3({ TESSERA_S3_ENDPOINT: endpoint }), /TESSERA_S3_ENDPOINT must be an http\(s\) URL/, endpoint);
    }
    assert.throws(() => s3({ TESSERA_S3_ENDPOINT: 'minio://user:s3cret@host' }), (error: Error) => !error.message.includes('s3cret'));
    assert.throws(() => s3({ TESSERA_S3_REGION: 'eu west' }), /TESSERA_S3_REGION must be a region name/);
    assert.throws(() => s3({ TESSERA_S3_FORCE_PATH_STYLE: 'yes' }), /TESSERA_S3_FORCE_PATH_STYLE must be true or false, got "yes"/);
    for (const prefix of ['a//b', '../up', '.hidden', 'sp ace', 'x'.repeat(257)]) {
      assert.throws(() => s3({ TESSERA_S3_PREFIX: prefix }), /TESSERA_S3_PREFIX must be/, prefix.slice(0, 20));
    }
  });

  it('refuses one AWS key without the other, without echoing either', () => {
    for (const env of [{ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }, { AWS_SECRET_ACCESS_KEY: 's3cret' }] as Record<string, string>[]) {
      assert.throws(() => s3(env), (error: Error) => {
        assert.match(error.message, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/);
        assert.ok(!error.message.includes('AKIAEXAMPLE') && !error.message.includes('s3cret'), error.message);
        return true;
      });
    }
  });
});

describe('config: TESSERA_DB_PREPARED_STATEMENTS', () => {
  it('prepares statements unless told false', () => {
    assert.equal(readConfig({}).preparedStatements, true);
    assert.equal(readConfig({ TESSERA_DB_PREPARED_STATEMENTS: 'false' }).preparedStatements, false);
  });
});
