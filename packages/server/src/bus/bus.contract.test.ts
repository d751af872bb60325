// One contract, every adapter: what the cable relies on from a Bus.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { Bus, SessionChange } from './bus.ts';
import { createMemoryBus } from './memory-bus.ts';
import { createPgBus, PG_NOTIFY_MAX_PAYLOAD_BYTES } from './pg-bus.ts';
import { makeTestPreflight } from './make-test-preflight.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
// A random channel per run: parallel runs against the same database must not see each other's changes.
const CHANNEL = `tessera_test_${randomBytes(6).toString('hex')}`;
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

const pgReachable = await (async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
})();

const adapters: Array<{ name: string; skip: string | false; make(): Promise<Bus> }> = [
  { name: 'memory', skip: false, make: async () => createMemoryBus() },
  {
    name: 'pg',
    skip: pgReachable ? false : `no PostgreSQL at ${PG_URL}`,
    make: () => createPgBus({ connectionString: PG_URL, channel: CHANNEL }),
  },
];

for (const adapter of adapters) {
  describe(`bus contract: ${adapter.name}`, { skip: adapter.skip }, () => {
    const buses: Bus[] = [];
    const make = async (): Promise<Bus> => {
      const bus = await adapter.make();
      buses.push(bus);
      return bus;
    };
    after(() => Promise.all(buses.map((b) => b.close())));

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
      const bus = adapter.name === 'memory'
        ? createMemoryBus({ onError: (e) => errors.push(e) })
        : await createPgBus({ connectionString: PG_URL, channel: CHANNEL, onError: (e) => errors.push(e) });
      buses.push(bus);
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
  it('delivers a publish on one instance to a subscriber on another', async () => {
    const a = await createPgBus({ connectionString: PG_URL, channel: CHANNEL });
    const b = await createPgBus({ connectionString: PG_URL, channel: CHANNEL });
    try {
      const id = newSessionId();
      const onA = recorder();
      const onB = recorder();
      a.subscribe(id, onA.handler);
      b.subscribe(id, onB.handler);
      await a.publish(change(id, 1));
      assert.equal((await onB.waitFor(1))[0]?.sequence, 1);
      assert.equal((await onA.waitFor(1))[0]?.sequence, 1); // own subscribers get it via the round trip
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

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
