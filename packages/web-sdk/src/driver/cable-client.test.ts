// The ActionCable client on a fake clock and fake sockets: handshake, pushes, the preflight action, the ping
// watchdog, reconnect back-off, and the two kinds of `disconnect`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Preflight } from '@tessera/protocol';
import { backoffDelay, createCableClient } from './cable-client.ts';
import { createFakeCable, IDENTIFIER } from './fake-cable.ts';
import { createFakeClock } from './fake-clock.ts';
import type { ConnectionState } from './types.ts';

const preflight = (sequence: number): Preflight => ({
  extra_data: {}, session: 's', session_id: 's', entity_id_state: 'none_received', entity_id_document_type: 'unknown', requirement: null,
  screen: { show: 'consent_screen', parameters: { camera: 'back', camera_quality: 'high', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null } },
  proof_of_address: null, proof_of_funds: null, sequence,
});

function setup(options: { random?: () => number } = {}) {
  const clock = createFakeClock();
  const cable = createFakeCable(clock);
  const log = { preflights: [] as number[], states: [] as ConnectionState[], gone: [] as string[], rejected: 0 };
  const client = createCableClient({
    url: 'ws://kyc.example/cable?session_id=s',
    webSocket: cable.factory,
    clock,
    random: options.random ?? (() => 0.5),
    onPreflight: (p) => log.preflights.push(p.sequence),
    onState: (s) => log.states.push(s),
    onGone: (reason) => log.gone.push(reason),
    onRejected: () => (log.rejected += 1),
  });
  return { clock, cable, client, log };
}

describe('cable client', () => {
  it('subscribes after the welcome, reports connected on confirm, and hands over preflight pushes', () => {
    const { cable, client, log } = setup();
    client.connect();
    const socket = cable.last;
    assert.equal(socket.url, 'ws://kyc.example/cable?session_id=s');
    assert.deepEqual(socket.protocols, ['actioncable-v1-json']);
    assert.equal(client.requestPreflight(), false, 'not subscribed yet');
    socket.open();
    assert.deepEqual(socket.sent, []);
    socket.frame({ type: 'welcome' });
    assert.deepEqual(socket.commands(), [{ command: 'subscribe', identifier: IDENTIFIER }]);
    assert.equal(client.state, 'connecting');
    socket.frame({ identifier: IDENTIFIER, type: 'confirm_subscription' });
    assert.deepEqual(log.states, ['connecting', 'connected']);

    socket.push(preflight(3));
    socket.frame({ identifier: '{"channel":"Other"}', message: preflight(4) }); // not ours
    socket.frame({ identifier: IDENTIFIER, message: { sequence: 'x' } }); // not a preflight
    socket.frame('{broken');
    socket.onmessage?.({ data: new Uint8Array([1, 2]) }); // binary: not the protocol
    socket.frame({ type: 'ping', message: 1 });
    assert.deepEqual(log.preflights, [3]);

    assert.equal(client.requestPreflight(), true);
    assert.deepEqual(socket.commands().at(-1), { command: 'message', identifier: IDENTIFIER, data: '{"action":"preflight"}' });
  });

  it('reconnects with exponential back-off capped at 15 s, and resets it after a confirmed subscription', async () => {
    const { clock, cable, client, log } = setup();
    client.connect();
    const gaps: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const socket = cable.last;
      socket.serverClose(); // refused at once every time
      const before = cable.sockets.length;
      const closedAt = clock.now();
      while (cable.sockets.length === before) await clock.advance(50);
      gaps.push(cable.last.openedAt - closedAt);
    }
    // random() = 0.5 is the middle of the ±20 % jitter: the plain schedule, 50 ms steps of the loop aside.
    assert.deepEqual(gaps, [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    assert.equal(log.states.filter((s) => s === 'disconnected').length, 8);

    cable.last.accept();
    cable.last.serverClose();
    const closedAt = clock.now();
    const before = cable.sockets.length;
    while (cable.sockets.length === before) await clock.advance(50);
    assert.equal(cable.last.openedAt - closedAt, 500, 'back to the initial delay');
  });

  it('jitters within ±20 % and never beyond the cap', () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const base = Math.min(15_000, 500 * 2 ** attempt);
      assert.equal(backoffDelay(attempt, 500, 15_000, () => 0), Math.round(base * 0.8));
      assert.ok(backoffDelay(attempt, 500, 15_000, () => 0.999_999) <= Math.min(15_000, Math.round(base * 1.2)));
    }
  });

  it('a silent socket (3 missed pings) and a socket that never opens are both dropped and replaced', async () => {
    const { clock, cable, client } = setup();
    cable.startPings(3000);
    client.connect();
    cable.last.accept();
    await clock.advance(60_000);
    assert.equal(cable.sockets.length, 1, 'pings every 3 s keep it');

    const first = cable.last;
    first.readyState = 2; // the server stops pinging (a half-open TCP connection); the last ping was at 60 s
    await clock.advance(8999);
    assert.equal(first.closedByClient, false);
    await clock.advance(1);
    assert.equal(first.closedByClient, true, 'stale 9 s after the last frame');
    await clock.advance(499);
    assert.equal(cable.sockets.length, 1);
    await clock.advance(1);
    assert.equal(cable.sockets.length, 2, 'replaced after the first back-off step');
    const neverOpens = cable.last;
    await clock.advance(8999);
    assert.equal(neverOpens.closedByClient, false);
    await clock.advance(1);
    assert.equal(neverOpens.closedByClient, true, 'no frame at all within 9 s of creating it');
    await clock.advance(1000);
    assert.equal(cable.sockets.length, 3);
  });

  it('disconnect with reconnect:false reports the session gone and never reconnects; reconnect:true reconnects', async () => {
    const { clock, cable, client, log } = setup();
    client.connect();
    cable.last.accept();
    cable.last.frame({ type: 'disconnect', reason: 'server_restart', reconnect: true });
    assert.equal(cable.last.closedByClient, true);
    await clock.advance(500);
    assert.equal(cable.sockets.length, 2);
    cable.last.accept();
    cable.last.frame({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
    assert.deepEqual(log.gone, ['unauthorized']);
    cable.sockets[1]!.serverClose(); // the close that follows must not revive it
    await clock.advance(120_000);
    assert.equal(cable.sockets.length, 2);
    assert.equal(client.state, 'disconnected');
    assert.equal(client.requestPreflight(), false);
  });

  it('reject_subscription is reported once and not retried; close() stops everything', async () => {
    const { clock, cable, client, log } = setup();
    client.connect();
    cable.last.open();
    cable.last.frame({ type: 'welcome' });
    cable.last.frame({ identifier: IDENTIFIER, type: 'reject_subscription' });
    assert.equal(log.rejected, 1);
    await clock.advance(60_000);
    assert.equal(cable.sockets.length, 1);

    const other = setup();
    other.client.connect();
    other.cable.last.accept();
    other.client.close();
    assert.equal(other.cable.last.closedByClient, true);
    other.cable.last.serverClose();
    await other.clock.advance(60_000);
    assert.equal(other.cable.sockets.length, 1);
    assert.deepEqual(other.clock.pending(), []);
    assert.equal(other.log.states.at(-1), 'disconnected');
  });
});
