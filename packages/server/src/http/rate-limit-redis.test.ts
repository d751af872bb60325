// Rate limits shared in Redis (TESSERA_BUS=redis): two processes count one bucket together, the counters' names carry
// no key, and a Redis outage lets requests through instead of failing them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, redisAnswers } from '../bus/bus-test-backends.ts';
import { startTcpProxy, type TcpProxy } from '../bus/test-tcp-proxy.ts';
import { assertError, assertStatus, sessionApi } from '../testing/http-test-kit.ts';
import { startTestServer, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';

const LIMIT = 5;
const redisReachable = await redisAnswers();

describe('rate limits shared in Redis', { skip: redisReachable ? false : `no Redis at ${REDIS_URL}` }, () => {
  // A channel of its own: the limits' namespace follows it, so other test files' counters are never seen here.
  const channel = `tessera:test:${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let a: TestServer;
  let b: TestServer;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });

  before(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const env = {
      TESSERA_BUS: 'redis', TESSERA_REDIS_URL: `redis://127.0.0.1:${proxy.port}`, TESSERA_REDIS_CHANNEL: channel,
      TESSERA_RATE_LIMIT_PER_KEY: String(LIMIT),
    };
    [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
    await admin.connect();
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await proxy?.close();
    const keys = await admin.keys(`${channel}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('counts one bucket across two processes, under names that hold no key', async () => {
    const [onA, onB] = [sessionApi(a), sessionApi(b)];
    for (let i = 0; i < LIMIT; i += 1) {
      assertStatus(await (i % 2 === 0 ? onA : onB).call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }), 200);
    }
    // Each process alone has seen fewer than LIMIT calls; together they have used the bucket up.
    assertError(await onA.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }), 429, 'rate_limited');
    assertError(await onB.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }), 429, 'rate_limited');
    assertStatus(await onB.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.sandboxPrivate }), 200);

    const names = await admin.keys(`${channel}:rate:*`);
    assert.equal(names.length, 2, names.join(', '));
    for (const name of names) {
      assert.match(name, /^tessera:test:[0-9a-f]{12}:rate:key:[A-Za-z0-9_-]{22}$/);
      assert.ok(!name.includes(TEST_KEYS.private) && !name.includes(TEST_KEYS.sandboxPrivate));
    }
  });

  it('lets requests through while Redis is unreachable, and counts again once it is back', async () => {
    const onA = sessionApi(a);
    await proxy.cut();
    try {
      // The private key's bucket is used up, but its counter cannot be read: served rather than failed.
      for (let i = 0; i < 3; i += 1) assertStatus(await onA.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private }), 200);
    } finally {
      await proxy.restore();
    }
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await onA.call('GET', '/v1/sessions?limit=1', { key: TEST_KEYS.private });
      if (res.status === 429) break;
      assertStatus(res, 200); // still reconnecting
      assert.ok(Date.now() < deadline, 'the limiter did not count again after Redis came back');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
