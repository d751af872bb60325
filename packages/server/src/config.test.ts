// readConfig: the bus choice (TESSERA_BUS and the Redis settings it needs).
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
