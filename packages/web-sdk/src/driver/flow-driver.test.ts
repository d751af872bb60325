// The flow driver on fakes, the path of a session that goes well: only strictly newer sequences render, `complete`
// fires once with the return URL, stop() silences everything, and a throwing screen handler does not stop it.
// The fallback timers are in flow-driver.fallback.test.ts, failures and reconnects in flow-driver.errors.test.ts;
// the fixtures in driver-harness.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blob, driverHarness, ID, preflight } from './driver-harness.ts';
import { verificationStatusOf } from './return-url.ts';

describe('flow driver', () => {
  it('renders only strictly newer sequences: duplicates, older pushes, late REST answers and other sessions are dropped', async () => {
    const h = driverHarness({ pings: false });
    await h.driver.start();
    await h.clock.advance(0);
    assert.deepEqual(h.log.screens, [1], 'REST and the subscribe push both carried sequence 1: rendered once');
    const socket = h.cable.last;
    socket.push(preflight(0, 'consent_screen'));
    socket.push(preflight(3, 'scan_id_document_front_screen'));
    socket.push(preflight(2, 'consent_screen'));
    socket.push(preflight(3, 'liveness_screen'));
    socket.push(preflight(9, 'liveness_screen', {}, 'AnotherSession00000000000'));
    socket.push(preflight(4, 'liveness_screen'));
    assert.deepEqual(h.log.screens, [1, 3, 4]);
    assert.equal(h.driver.current?.sequence, 4);
    await h.driver.refresh(); // connected: answered on the socket with the server's (older) sequence 1
    await h.clock.advance(0);
    assert.deepEqual(h.log.screens, [1, 3, 4]);
    assert.equal(h.driver.current?.screen.show, 'liveness_screen');
  });

  it('emits complete exactly once, with the return URL, then goes quiet', async () => {
    const h = driverHarness({ returnUrl: 'https://shop.example/done?ref=9', pings: false });
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.giveConsent(true);
    h.server.change('completed_screen', { result: 'completed' });
    h.server.change('successful_screen', { result: 'approved' }); // a later final screen: the flow already ended
    await h.clock.advance(0);
    assert.deepEqual(h.log.shows, ['consent_screen', 'completed_screen']);
    assert.equal(h.log.completes.length, 1);
    const done = h.log.completes[0]!;
    assert.equal(done.screen, 'completed_screen');
    assert.equal(done.preflight.sequence, 2);
    assert.equal(done.returnUrl, `https://shop.example/done?ref=9&session_id=${ID}&status=complete`);
    assert.equal(h.cable.last.closedByClient, true);
    assert.deepEqual(h.clock.pending(), [], 'no timer left: no fallback, no reconnect, no watchdog');
    await h.driver.refresh();
    assert.equal(h.log.completes.length, 1);
  });

  it('maps final screens to §7 statuses; no return URL gives null', async () => {
    const statuses = (['completed_screen', 'successful_screen', 'rejected_screen', 'cancel_screen'] as const).map((s) => verificationStatusOf(preflight(1, s)));
    assert.deepEqual(statuses, ['complete', 'successful', 'rejected', 'cancel']);
    assert.equal(verificationStatusOf(preflight(1, 'cancel_screen', { result: 'expired' })), 'timeout');
    assert.equal(verificationStatusOf(preflight(1, 'liveness_screen')), null);

    const h = driverHarness({ first: 'rejected_screen', pings: false });
    await h.driver.start();
    assert.equal(h.log.completes.length, 1);
    assert.equal(h.log.completes[0]!.returnUrl, null);
  });

  it('stop() clears every timer and closes the socket; nothing is emitted afterwards', async () => {
    const h = driverHarness({ pings: false, first: 'scan_id_document_front_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.uploadDocument('front', blob());
    const socket = h.cable.last;
    h.driver.stop();
    assert.equal(socket.closedByClient, true);
    assert.deepEqual(h.clock.pending(), []);
    const screens = h.log.screens.length;
    socket.push(preflight(99, 'liveness_screen'));
    await h.driver.refresh();
    await h.clock.advance(600_000);
    assert.equal(h.log.screens.length, screens);
    assert.equal(h.cable.sockets.length, 1);
    assert.equal(h.restPreflights(), 1);
  });

  it('a throwing screen handler is reported and does not stop the driver', async () => {
    const h = driverHarness({ pings: false });
    const reported: unknown[] = [];
    const global = globalThis as { reportError?: (error: unknown) => void };
    const before = global.reportError;
    global.reportError = (error) => reported.push(error);
    try {
      h.driver.on('screen', () => {
        throw new Error('integrator bug');
      });
      await h.driver.start();
      await h.clock.advance(0);
      h.server.change('liveness_screen');
      await h.clock.advance(0);
      assert.deepEqual(h.log.shows, ['consent_screen', 'liveness_screen']);
      assert.equal(reported.length, 2);
    } finally {
      global.reportError = before;
    }
  });
});
