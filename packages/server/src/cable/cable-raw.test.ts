// The cable frame by frame, with a bare `ws` client: protocol §6 exactly as a non-ActionCable client sees it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newSessionId } from '../ids.ts';
import { cableHandleProtocols } from './cable-handle-protocols.ts';
import { RawCableClient } from './raw-cable-client.ts';
import { startTestCable, type TestCable } from './start-test-cable.ts';

const IDENTIFIER = '{"channel":"BynnKycChannel"}';
const subscribe = (identifier = IDENTIFIER) => ({ command: 'subscribe', identifier });
const performPreflight = { command: 'message', identifier: IDENTIFIER, data: '{"action":"preflight"}' };

describe('cable over a bare websocket', () => {
  let t: TestCable;
  const clients: RawCableClient[] = [];
  before(async () => (t = await startTestCable({ pingIntervalMs: 100 })));
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  /** A client past its welcome (and, unless told otherwise, subscribed with the first preflight read). */
  async function connect(sessionId: string, opts: { subscribed?: boolean } = {}): Promise<RawCableClient> {
    const client = new RawCableClient(t.url(sessionId));
    clients.push(client);
    assert.deepEqual(await client.next(), { type: 'welcome' });
    if (opts.subscribed === false) return client;
    client.send(subscribe());
    assert.deepEqual(await client.next(), { identifier: IDENTIFIER, type: 'confirm_subscription' });
    await client.next();
    return client;
  }
  const sequenceOf = (frame: Record<string, unknown>): unknown => (frame.message as { sequence?: unknown }).sequence;

  it('chooses the ActionCable sub-protocol', () => {
    assert.equal(cableHandleProtocols(new Set(['actioncable-v1-json', 'actioncable-unsupported'])), 'actioncable-v1-json');
    assert.equal(cableHandleProtocols(new Set(['actioncable-v1-ext-json'])), 'actioncable-v1-ext-json');
    assert.equal(cableHandleProtocols(new Set(['actioncable-v1-ext-json', 'actioncable-v1-json'])), 'actioncable-v1-json');
    assert.equal(cableHandleProtocols(new Set(['graphql-ws'])), false);
  });

  it('welcomes, pings with unix seconds, and echoes the identifier exactly', async () => {
    const id = newSessionId();
    const preflight = t.set(id, 1);
    const client = await connect(id, { subscribed: false });
    assert.equal(client.socket.protocol, 'actioncable-v1-json');
    const ping = await client.next('ping');
    assert.equal(typeof ping.message, 'number');
    assert.ok(Math.abs((ping.message as number) - Date.now() / 1000) < 5);
    const oddlySpelled = '{ "channel" : "BynnKycChannel" }';
    client.send(subscribe(oddlySpelled));
    assert.deepEqual(await client.next(), { identifier: oddlySpelled, type: 'confirm_subscription' });
    assert.deepEqual(await client.next(), { identifier: oddlySpelled, message: preflight });
    assert.equal(t.cable.connectionCount() >= 1, true);
  });

  it('rejects other channels and unparsable identifiers', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const client = await connect(id, { subscribed: false });
    for (const identifier of ['{"channel":"OtherChannel"}', 'not json', '"BynnKycChannel"']) {
      client.send(subscribe(identifier));
      assert.deepEqual(await client.next(), { identifier, type: 'reject_subscription' });
    }
  });

  it('answers the bare `preflight` frame and the preflight action, ignoring the bare one before subscribing', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const client = await connect(id, { subscribed: false });
    client.send('preflight'); // nowhere to push it yet: ignored
    client.send(subscribe());
    assert.equal((await client.next()).type, 'confirm_subscription');
    assert.equal(sequenceOf(await client.next()), 1);
    t.set(id, 2); // changed without a bus message: the request is how the client catches up
    client.send('preflight');
    assert.deepEqual(await client.next(), { identifier: IDENTIFIER, message: t.store.get(id) });
    client.send(performPreflight);
    assert.equal(sequenceOf(await client.next()), 2); // asked for: sent again although not newer
  });

  it('ignores malformed frames without closing this socket or any other', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const client = await connect(id);
    const bystander = await connect(id);
    for (const junk of ['{', '[]', 'null', '{"command":"explode","identifier":"x"}', '{"command":"subscribe"}',
      JSON.stringify({ command: 'message', identifier: IDENTIFIER, data: 'not json' }),
      JSON.stringify({ command: 'message', identifier: IDENTIFIER, data: '{"action":"drop_tables"}' }),
      JSON.stringify({ command: 'message', identifier: '{"channel":"Other"}', data: '{"action":"preflight"}' }),
      JSON.stringify({ command: 'subscribe', identifier: IDENTIFIER, pad: 'x'.repeat(17 * 1024) })]) client.send(junk);
    client.socket.send(Buffer.from([0, 1, 2]), { binary: true });
    client.send('preflight'); // the next frame is its answer: nothing above produced one
    assert.equal(sequenceOf(await client.next()), 1);
    await t.change(id, 2);
    assert.equal(sequenceOf(await client.next()), 2);
    assert.equal(sequenceOf(await bystander.next()), 2);
  });

  it('pushes each change once, in order, never an older sequence; drops a stale load overtaken by a push', async () => {
    const id = newSessionId();
    t.set(id, 5);
    const client = await connect(id);
    const hold = t.holdLoads();
    client.send('preflight'); // its load reads sequence 5 now and answers later
    await hold.entered;
    await t.change(id, 6);
    await t.change(id, 6); // duplicate delivery of a change
    await t.change(id, 4); // older than what was sent
    await t.change(id, 7, 'cancel_screen'); // final screen: still pushed
    hold.release();
    client.send('preflight'); // its answer is the next frame if the stale 5 was dropped
    const seen = [await client.next(), await client.next(), await client.next()].map(sequenceOf);
    assert.deepEqual(seen, [6, 7, 7]);
  });

  it('holds a change landing during the subscribe lookup until after the confirm, and sends only the newest', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const client = await connect(id, { subscribed: false });
    const hold = t.holdLoads();
    client.send(subscribe());
    await hold.entered; // the lookup read sequence 1
    await t.change(id, 2);
    hold.release();
    assert.equal((await client.next()).type, 'confirm_subscription');
    assert.equal(sequenceOf(await client.next()), 2);
  });

  it('stops pushes after unsubscribe and sends the current preflight on subscribing again', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const client = await connect(id);
    client.send({ command: 'unsubscribe', identifier: IDENTIFIER });
    client.send('preflight'); // ignored: no subscription
    // ActionCable does not acknowledge unsubscribe; a rejected subscribe behind it proves it was processed.
    client.send(subscribe('{"channel":"OtherChannel"}'));
    assert.equal((await client.next()).type, 'reject_subscription');
    await t.change(id, 2);
    client.send(subscribe());
    assert.equal((await client.next()).type, 'confirm_subscription'); // so nothing was pushed in between
    assert.equal(sequenceOf(await client.next()), 2);
  });

  it('handles frames sent before the welcome', async () => {
    const id = newSessionId();
    t.set(id, 3);
    const hold = t.holdLoads();
    const client = new RawCableClient(t.url(id));
    clients.push(client);
    await client.opened();
    await hold.entered; // the session lookup is under way: no welcome yet
    client.send(subscribe());
    client.send(subscribe('{"channel":"OtherChannel"}'));
    await new Promise((resolve) => setImmediate(resolve));
    hold.release();
    assert.deepEqual(await client.next(), { type: 'welcome' });
    // Both early frames are handled; the reject needs no lookup so it comes first, and confirm + preflight stay adjacent.
    assert.equal((await client.next()).type, 'reject_subscription');
    assert.equal((await client.next()).type, 'confirm_subscription');
    assert.equal(sequenceOf(await client.next()), 3);
  });

  it('disconnects an unknown, malformed or gone session without a welcome', async () => {
    const goneLater = newSessionId();
    t.set(goneLater, 1);
    const later = await connect(goneLater);
    for (const url of [t.url(newSessionId()), t.url('short'), t.baseUrl]) {
      const client = new RawCableClient(url);
      assert.deepEqual(await client.next(), { type: 'disconnect', reason: 'unauthorized', reconnect: false });
      await client.closed;
    }
    t.store.set(goneLater, 'gone');
    later.send(performPreflight);
    assert.deepEqual(await later.next(), { type: 'disconnect', reason: 'unauthorized', reconnect: false });
    await later.closed;
  });

  // Last on purpose: it leaves the server draining.
  it('drains every socket with a reconnectable disconnect, releasing its bus subscription', async () => {
    const id = newSessionId();
    t.set(id, 1);
    const a = await connect(id);
    const b = await connect(id, { subscribed: false });
    assert.ok(t.activeSubscriptions() >= 1);
    await t.cable.closeAll();
    for (const client of [a, b]) {
      assert.deepEqual(await client.next(), { type: 'disconnect', reason: 'server_restart', reconnect: true });
      await client.closed;
    }
    assert.equal(t.cable.connectionCount(), 0);
    assert.equal(t.activeSubscriptions(), 0);
    const late = new RawCableClient(t.url(id)); // arriving while draining: told to come back later
    assert.deepEqual(await late.next(), { type: 'disconnect', reason: 'server_restart', reconnect: true });
  });
});
