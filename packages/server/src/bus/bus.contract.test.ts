// One contract, every adapter: what the cable relies on from a Bus.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Bus, BusErrorHandler, SessionChange } from './bus.ts';
import { createMemoryBus } from './memory-bus.ts';
import { createPgBus, PG_NOTIFY_MAX_PAYLOAD_BYTES } from './pg-bus.ts';
import { createRedisBus } from './redis-bus.ts';
import { makeTestPreflight } from './make-test-preflight.ts';
import { PG_URL, pgAnswers, REDIS_URL, redisAnswers } from './bus-test-backends.ts';
import { startTcpProxy } from './test-tcp-proxy.ts';

// A random channel per run: parallel runs against the same database (or Redis) must not see each other's changes.
const CHANNEL = `tessera_test_${randomBytes(6).toString('hex')}`;
const REDIS_CHANNEL = `tessera:test:${randomBytes(6).toString('hex')}`;
const TIMEOUT_MS = 5000;

const change = (sessionId: string, sequence: number): SessionChange => ({
  session_id: sessionId,
  sequence,
  preflight: makeTestPreflight(sessionId, sequence),
});
const newSessionId = (): string => randomBytes(12).toString('hex').slice(0, 24);

/** Records the changes a handler receives and lets a test await the n-th one. */
function recorder() {
  const seen: SessionChange[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const handler = (c: SessionChange): void => {
    seen.push(c);
    for (const w of waiters.filter((x) => seen.length >= x.n)) w.resolve();
  };
  const waitFor = (n: number): Promise<SessionChange[]> =>
    new Promise((resolve, reject) => {
      if (seen.length >= n) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`got ${seen.length} of ${n} changes`)), TIMEOUT_MS);
      waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(seen)) });
    });
  return { seen, handler, waitFor };
}

const pgReachable = await pgAnswers();
const redisReachable = await redisAnswers();
const noRedis = redisReachable ? false : `no Redis at ${REDIS_URL}`;

const adapters: Array<{ name: string; skip: string | false; networked: boolean; make(onError?: BusErrorHandler): Promise<Bus> }> = [
  { name: 'memory', skip: false, networked: false, make: async (onError) => createMemoryBus({ onError }) },
  {
    name: 'pg',
    skip: pgReachable ? false : `no PostgreSQL at ${PG_URL}`,
    networked: true,
    make: (onError) => createPgBus({ connectionString: PG_URL, channel: CHANNEL, onError }),
  },
  {
    name: 'redis',
    skip: noRedis,
    networked: true,
    make: (onError) => createRedisBus({ url: REDIS_URL, channel: REDIS_CHANNEL, onError }),
  },
];

for (const adapter of adapters) {
  describe(`bus contract: ${adapter.name}`, { skip: adapter.skip }, () => {
    const buses: Bus[] = [];
    const make = async (onError?: BusErrorHandler): Promise<Bus> => {
      const bus = await adapter.make(onError);
      buses.push(bus);
      return bus;
    };
    after(() => Promise.all(buses.map((b) => b.close())));

    // Networked adapters only: each process holds its own instance on the shared backend.
    if (adapter.networked) {
      it('delivers a publish on one instance to a subscriber on another', async () => {
        const [a, b] = [await make(), await make()];
        const id = newSessionId();
        const onA = recorder();
        const onB = recorder();
        a.subscribe(id, onA.handler);
        b.subscribe(id, onB.handler);
        await a.publish(change(id, 1));
        assert.equal((await onB.waitFor(1))[0]?.sequence, 1);
        assert.equal((await onA.waitFor(1))[0]?.sequence, 1); // own subscribers get it via the round trip
      });
    }

    it('delivers a published change to a subscriber', async () => {
      const bus = await make();
      const id = newSessionId();
      const r = recorder();
      bus.subscribe(id, r.handler);
      await bus.publish(change(id, 1));
      const [got] = await r.waitFor(1);
      assert.deepEqual(got, change(id, 1));
    });

    it("fires only that session's handlers", async () => {
      const bus = await make();
      const [a, b] = [newSessionId(), newSessionId()];
      const ra = recorder();
      const rb = recorder();
      bus.subscribe(a, ra.handler);
      bus.subscribe(b, rb.handler);
      await bus.publish(change(a, 1));
      await bus.publish(change(b, 1));
      // Delivery is ordered, so once b has its change, a's change has been dispatched too.
      await rb.waitFor(1);
      await ra.waitFor(1);
      assert.deepEqual(rb.seen.map((c) => c.session_id), [b]);
      assert.deepEqual(ra.seen.map((c) => c.session_id), [a]);
    });

    it('stops delivery after unsubscribe, and a throwing handler does not stop the others', async () => {
      const errors: unknown[] = [];
      const bus = await make((e) => errors.push(e));
      const id = newSessionId();
      const gone = recorder();
      const stays = recorder();
      bus.subscribe(id, () => {
        throw new Error('handler bug');
      });
      const unsubscribe = bus.subscribe(id, gone.handler);
      bus.subscribe(id, stays.handler);
      unsubscribe();
      unsubscribe(); // idempotent
      await bus.publish(change(id, 1));
      await stays.waitFor(1);
      assert.equal(gone.seen.length, 0);
      assert.equal(errors.length, 1);
    });

    it('delivers in publish-call order even when a handler publishes while being called', async () => {
      const bus = await make();
      const id = newSessionId();
      const calls: number[] = [];
      const publish = (sequence: number): Promise<void> => (calls.push(sequence), bus.publish(change(id, sequence)));
      bus.subscribe(id, (c) => {
        if (c.sequence === 1) void publish(3);
      });
      const r = recorder();
      bus.subscribe(id, r.handler);
      await publish(1);
      await publish(2);
      assert.deepEqual((await r.waitFor(3)).map((c) => c.sequence), calls);
    });

    it('preserves publish order for 200 rapid publishes', async () => {
      const bus = await make();
      const id = newSessionId();
      const r = recorder();
      bus.subscribe(id, r.handler);
      await Promise.all(Array.from({ length: 200 }, (_, i) => bus.publish(change(id, i + 1))));
      const seen = await r.waitFor(200);
      assert.deepEqual(seen.map((c) => c.sequence), Array.from({ length: 200 }, (_, i) => i + 1));
    });
  });
}

describe('bus: pg only', { skip: pgReachable ? false : `no PostgreSQL at ${PG_URL}` }, () => {
  it('rejects a change too big for NOTIFY with a clear error', async () => {
    const bus = await createPgBus({ connectionString: PG_URL, channel: CHANNEL });
    try {
      const big = change(newSessionId(), 1);
      big.preflight.extra_data = { filler: 'x'.repeat(PG_NOTIFY_MAX_PAYLOAD_BYTES) };
      await assert.rejects(bus.publish(big), /at most 7999 bytes/);
    } finally {
      await bus.close();
    }
  });

  it('reconnects the listener after its backend is terminated', async () => {
    const channel = `${CHANNEL}_r`; // its own channel, so the listener's backend is the only one LISTENing on it
    let listening = 0;
    let onListening = (): void => {};
    const errors: string[] = [];
    const bus = await createPgBus({
      connectionString: PG_URL,
      channel,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      onListening: () => ((listening += 1), onListening()),
      onError: (_e, ctx) => errors.push(ctx.where),
    });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const relistened = new Promise<void>((resolve) => (onListening = resolve));
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()',
        [`LISTEN "${channel}"`],
      );
      assert.equal(rowCount, 1);
      await relistened;
      assert.equal(listening, 2);
      assert.ok(errors.includes('listener'));
      const id = newSessionId();
      const r = recorder();
      bus.subscribe(id, r.handler);
      await bus.publish(change(id, 1));
      await r.waitFor(1);
    } finally {
      await admin.end();
      await bus.close();
    }
  });

  it('fails fast when the database is unreachable at start', async () => {
    await assert.rejects(createPgBus({ connectionString: 'postgres://postgres@127.0.0.1:1/none', channel: CHANNEL }));
  });
});

describe('bus: redis only', { skip: noRedis }, () => {
  const admin = redisReachable ? new Redis(REDIS_URL) : null;
  after(() => admin?.quit());
  /** Subscribers of `channel` as Redis counts them: proof that a (re)subscription is in place, or gone. */
  const subscribers = async (channel: string): Promise<number> => Number((await admin!.pubsub('NUMSUB', channel))[1]);
  const until = async (what: string, check: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + TIMEOUT_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('reports malformed messages without their contents and keeps delivering', async () => {
    const channel = `${REDIS_CHANNEL}:m`;
    const errors: Array<{ message: string; where: string }> = [];
    const bus = await createRedisBus({
      url: REDIS_URL,
      channel,
      onError: (e, ctx) => errors.push({ message: String(e), where: ctx.where }),
    });
    try {
      const id = newSessionId();
      const r = recorder();
      bus.subscribe(id, r.handler);
      const malformed = [
        'not json',
        'null',
        '[1,2]',
        JSON.stringify({ session_id: id, sequence: 1 }), // no preflight
        JSON.stringify({ session_id: id, sequence: '1', preflight: {} }),
        JSON.stringify({ session_id: id, sequence: 1.5, preflight: {} }),
      ];
      for (const payload of malformed) await admin!.publish(channel, payload);
      await admin!.publish(channel, JSON.stringify(change(id, 7)));
      // One connection, one order: once the valid change is here, every malformed one before it was handled.
      assert.deepEqual((await r.waitFor(1)).map((c) => c.sequence), [7]);
      assert.equal(errors.length, malformed.length, JSON.stringify(errors));
      for (const error of errors) {
        assert.equal(error.where, 'message');
        assert.ok(!error.message.includes(id), `the session id leaked into ${error.message}`);
      }
    } finally {
      await bus.close();
    }
  });

  it('rejects publishes promptly while Redis is unreachable, and delivers again after reconnecting', async () => {
    const channel = `${REDIS_CHANNEL}:r`; // its own channel, so its subscriber count is this bus's alone
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const errors: string[] = [];
    // publishTimeoutMs stays at its 2 s default: each rejection below must come from the connection state, not a timer.
    const bus = await createRedisBus({ url: `redis://127.0.0.1:${proxy.port}`, channel, onError: (_e, ctx) => errors.push(ctx.where) });
    const rejection = async (publishing: Promise<void>): Promise<Error> => {
      const error: unknown = await publishing.then(() => null, (e: unknown) => e);
      assert.ok(error instanceof Error, 'publish resolved while Redis was unreachable');
      assert.doesNotMatch(error.message, /timed out/);
      return error;
    };
    try {
      const id = newSessionId();
      const r = recorder();
      bus.subscribe(id, r.handler);
      assert.equal(await subscribers(channel), 1);

      // In flight when the connection drops: rejected as the connection closes, not resent after a reconnect.
      proxy.stall();
      const inFlight = rejection(bus.publish(change(id, 1)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const cutAt = Date.now();
      await proxy.cut();
      await inFlight;
      assert.ok(Date.now() - cutAt < 500, `the in-flight publish took ${Date.now() - cutAt} ms to reject`);

      // While reconnects are refused: rejected at once rather than queued until the next attempt fails.
      await until('a refused reconnect of the publisher', async () => errors.includes('publisher'));
      const started = Date.now();
      await rejection(bus.publish(change(id, 2)));
      assert.ok(Date.now() - started < 50, `the offline publish took ${Date.now() - started} ms to reject`);
      await until('Redis to drop the old subscription', async () => (await subscribers(channel)) === 0);

      await proxy.restore();
      await until('the subscriber to resubscribe', async () => (await subscribers(channel)) === 1);
      await until('the publisher to reconnect', () => bus.publish(change(id, 3)).then(() => true, () => false));
      // The publishes made while cut are lost, as documented; sockets catch up through the preflight fallback.
      assert.deepEqual((await r.waitFor(1)).map((c) => c.sequence), [3]);
    } finally {
      await bus.close();
      await proxy.close();
    }
  });

  it('keeps the payload out of the errors a publish rejects with', async () => {
    // A user that may do everything but PUBLISH: Redis answers with an error reply, which ioredis decorates with
    // the command's arguments (the whole change). The caller logs the error with all its properties.
    const user = `tessera-test-${randomBytes(6).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await admin!.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-publish');
    const bus = await createRedisBus({ url: `redis://${user}:${password}@127.0.0.1:6379`, channel: REDIS_CHANNEL });
    try {
      const id = newSessionId();
      const error: unknown = await bus.publish(change(id, 1)).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof Error, 'publish resolved without permission');
      assert.match(error.message, /NOPERM/);
      assert.deepEqual(Object.keys(error).filter((k) => k !== 'code'), []);
      assert.ok(!JSON.stringify({ ...error, message: error.message, stack: error.stack }).includes(id));
    } finally {
      await bus.close();
      await admin!.call('ACL', 'DELUSER', user);
    }
  });

  it('rejects a publish that gets no reply within publishTimeoutMs (half-open connection)', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const bus = await createRedisBus({ url: `redis://127.0.0.1:${proxy.port}`, channel: REDIS_CHANNEL, publishTimeoutMs: 200 });
    try {
      proxy.stall();
      const started = Date.now();
      await assert.rejects(bus.publish(change(newSessionId(), 1)), /timed out/);
      const took = Date.now() - started;
      assert.ok(took >= 150 && took < 1500, `rejected after ${took} ms`);
      const closing = Date.now();
      await bus.close(); // QUIT gets no answer either: close() must still return
      assert.ok(Date.now() - closing < 2500, `close took ${Date.now() - closing} ms`);
    } finally {
      await bus.close();
      await proxy.close();
    }
  });

  it('closes both connections', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    try {
      const bus = await createRedisBus({ url: `redis://127.0.0.1:${proxy.port}`, channel: REDIS_CHANNEL });
      assert.equal(proxy.connections(), 2); // one subscriber, one publisher
      await bus.close();
      await until('both connections to close', async () => proxy.connections() === 0);
      await assert.rejects(bus.publish(change(newSessionId(), 1)), /bus is closed/);
    } finally {
      await proxy.close();
    }
  });

  it('fails fast when Redis is unreachable at start, and never echoes the URL', async () => {
    await assert.rejects(createRedisBus({ url: 'redis://127.0.0.1:1' }), /could not connect: connect ECONNREFUSED/);
    await assert.rejects(createRedisBus({ url: 'http://user:s3cret@127.0.0.1:6379' }), (e: Error) => {
      assert.match(e.message, /redis:\/\/ or rediss:\/\//);
      assert.ok(!e.message.includes('s3cret'));
      return true;
    });
    await assert.rejects(createRedisBus({ url: REDIS_URL, channel: 'has space' }), /invalid bus channel name/);
  });
});
