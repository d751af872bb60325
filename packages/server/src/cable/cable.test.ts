// The cable driven by the real third-party clients a Bynn integration would use: @rails/actioncable and @anycable/core.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCable } from '@anycable/core';
import { CABLE_CHANNEL, type Preflight } from '@tessera/protocol';
import WebSocket from 'ws';
import type { Subscription } from '@rails/actioncable';
import { newSessionId } from '../ids.ts';
import { startTestCable, type TestCable } from './start-test-cable.ts';

// @rails/actioncable touches a global addEventListener (page visibility) and a global WebSocket; Node 20 has neither.
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};
const rails = await import('@rails/actioncable');
rails.adapters.WebSocket = WebSocket;

// The client re-sends an unanswered subscribe after subscribeRetryInterval; that timer is never cleared, and at its
// default (5 s) it alone would keep this test process alive for seconds after the last test.
const anycableOptions = {
  websocketImplementation: WebSocket,
  protocol: 'actioncable-v1-json',
  protocolOptions: { subscribeRetryInterval: 300 },
} as const;

/** Preflights a client received, with a way to await the n-th. */
function inbox() {
  const seen: number[] = [];
  let wake = (): void => {};
  const receive = (data: unknown): void => {
    seen.push((data as Preflight).sequence);
    wake();
  };
  const upTo = (n: number): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${JSON.stringify(seen)}, wanted ${n}`)), 3000);
      const check = (): void => (seen.length >= n ? (clearTimeout(timer), resolve(seen)) : void (wake = check));
      check();
    });
  return { seen, receive, upTo };
}

describe('cable with real ActionCable clients', () => {
  let t: TestCable;
  before(async () => (t = await startTestCable({ pingIntervalMs: 200 })));
  after(() => t.close());

  it('@rails/actioncable: subscribe, current preflight, ordered pushes, perform, stale dropped', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const consumer = rails.createConsumer(t.url(id));
    const box = inbox();
    try {
      let connected = (): void => {};
      const confirmed = new Promise<void>((resolve) => (connected = resolve));
      const sub = consumer.subscriptions.create({ channel: CABLE_CHANNEL }, { connected, received: box.receive });
      await confirmed;
      assert.deepEqual(await box.upTo(1), [1]);
      await t.change(id, 2);
      await t.change(id, 3);
      await t.change(id, 2); // stale: never delivered
      await t.change(id, 4);
      assert.deepEqual(await box.upTo(4), [1, 2, 3, 4]);
      t.set(id, 5); // no bus message: only the request brings it
      sub.perform('preflight');
      assert.deepEqual(await box.upTo(5), [1, 2, 3, 4, 5]);
    } finally {
      consumer.disconnect();
    }
  });

  it('@rails/actioncable: unknown channel rejected, unknown session disconnected for good', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const consumer = rails.createConsumer(t.url(id));
    const stranger = rails.createConsumer(t.url(newSessionId()));
    let refused: Subscription | undefined;
    try {
      await new Promise<void>((rejected) => consumer.subscriptions.create({ channel: 'OtherChannel' }, { rejected }));
      const details = await new Promise<{ willAttemptReconnect: boolean }>((disconnected) => {
        refused = stranger.subscriptions.create({ channel: CABLE_CHANNEL }, { disconnected });
      });
      assert.equal(details.willAttemptReconnect, false);
    } finally {
      refused?.unsubscribe(); // else the client's SubscriptionGuarantor re-sends its subscribe every 500 ms, forever
      consumer.disconnect();
      stranger.disconnect();
    }
  });

  it('@anycable/core: subscribe, current preflight, ordered pushes, perform, stale dropped', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const cable = createCable(t.url(id), anycableOptions);
    const box = inbox();
    try {
      const channel = cable.subscribeTo(CABLE_CHANNEL);
      channel.on('message', box.receive);
      await channel.ensureSubscribed();
      assert.deepEqual(await box.upTo(1), [1]);
      await t.change(id, 2);
      await t.change(id, 1); // stale
      await t.change(id, 3);
      assert.deepEqual(await box.upTo(3), [1, 2, 3]);
      t.set(id, 4);
      await channel.perform('preflight');
      assert.deepEqual(await box.upTo(4), [1, 2, 3, 4]);
    } finally {
      cable.disconnect();
    }
  });

  it('@anycable/core: unknown channel rejected, unknown session closed as unauthorized', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const cable = createCable(t.url(id), anycableOptions);
    const stranger = createCable(t.url(newSessionId()), anycableOptions);
    try {
      await assert.rejects(cable.subscribeTo('OtherChannel').ensureSubscribed(), { name: 'SubscriptionRejectedError' });
      const closed = new Promise<string | undefined>((resolve) => stranger.on('close', (event) => resolve(event?.reason)));
      void stranger.connect().catch(() => {}); // rejects on the refusal; the close event is what is checked
      assert.equal(await closed, 'unauthorized');
      assert.equal(stranger.state, 'closed');
    } finally {
      cable.disconnect();
      stranger.disconnect();
    }
  });
});
