// The flow driver's failures on fakes: reconnect back-off, the session going away (disconnect without reconnect,
// 410 at start or on an action), network errors, and how action errors map to FlowError and `retryable`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, blob, driverHarness, errorAnswer, ID, rejection } from './driver-harness.ts';

describe('flow driver: errors and reconnect', () => {
  it('a dropped socket reconnects after the back-off and its subscribe brings the screen missed meanwhile', async () => {
    const h = driverHarness();
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.uploadDocument('front', blob());
    h.cable.last.serverClose();
    assert.equal(h.driver.connection, 'disconnected');
    h.server.change('waiting_for_previous_call_to_complete', {}, false); // pushed while down: lost
    await h.clock.advance(499);
    assert.equal(h.cable.sockets.length, 1);
    await h.clock.advance(1);
    assert.equal(h.cable.sockets.length, 2);
    assert.equal(h.driver.connection, 'connected');
    assert.equal(h.driver.current?.screen.show, 'waiting_for_previous_call_to_complete');
    assert.deepEqual(h.log.connection, ['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
    assert.equal(h.restPreflights(), 1, 'only the first screen came over REST');
  });

  it('reconnects with back-off 0.5, 1, 2, 4, 8, 15, 15 s while the socket is refused', async () => {
    const h = driverHarness({ socket: 'refuse', pings: false });
    await h.driver.start();
    await h.clock.advance(80_000);
    const opened = h.cable.sockets.map((s) => s.openedAt);
    assert.deepEqual(opened.slice(0, 9), [0, 500, 1500, 3500, 7500, 15_500, 30_500, 45_500, 60_500]);
    assert.equal(h.driver.connection, 'disconnected');
  });

  it('disconnect reconnect:false: reports session_gone, renders cancel_screen from REST, completes once, never reconnects', async () => {
    const h = driverHarness({ returnUrl: 'https://shop.example/back' });
    await h.driver.start();
    await h.clock.advance(0);
    h.server.change('cancel_screen', { result: 'canceled' }, false);
    h.cable.last.frame({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
    await h.clock.advance(0);
    assert.deepEqual(h.log.errors.map((e) => [e.type, e.retryable]), [['session_gone', false]]);
    assert.deepEqual(h.log.shows, ['consent_screen', 'cancel_screen']);
    assert.equal(h.log.completes.length, 1);
    assert.equal(h.log.completes[0]!.returnUrl, `https://shop.example/back?session_id=${ID}&status=cancel`);
    const sockets = h.cable.sockets.length;
    await h.clock.advance(600_000);
    assert.equal(h.cable.sockets.length, sockets);
  });

  it('start on a gone session: error session_gone, cancel_screen via REST preflight, complete, and start rejects', async () => {
    const h = driverHarness({ first: 'cancel_screen' });
    h.f.routes[`GET ${BASE}`] = () => errorAnswer(410, 'session_gone');
    const error = await rejection(h.driver.start());
    assert.deepEqual([error.type, error.status, error.retryable], ['session_gone', 410, false]);
    assert.deepEqual(h.log.errors.map((e) => e.type), ['session_gone']);
    assert.deepEqual(h.log.shows, ['cancel_screen']);
    assert.equal(h.log.completes.length, 1);
    assert.equal(h.log.completes[0]!.returnUrl, null, 'a gone session does not show its return URL');
    assert.equal(h.cable.sockets.length, 0);
  });

  it('start fails on a network error and may be called again', async () => {
    const h = driverHarness({ pings: false });
    let down = true;
    const show = h.f.routes[`GET ${BASE}`]!;
    h.f.routes[`GET ${BASE}`] = (r) => {
      if (down) throw new TypeError('Failed to fetch');
      return show(r);
    };
    const error = await rejection(h.driver.start());
    assert.deepEqual([error.type, error.retryable], ['network_error', true]);
    down = false;
    assert.equal((await h.driver.start()).session_id, ID);
    assert.equal(h.driver.session?.session_id, ID);
  });

  it('action errors are mapped with retryable, and only successful actions arm the fallback', async () => {
    const h = driverHarness({ first: 'phone_verification_start_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    h.f.routes[`PATCH ${BASE}/phone_verification`] = () => errorAnswer(422, 'validation_error');
    const wrongCode = await rejection(h.driver.checkPhoneCode('000000'));
    assert.deepEqual([wrongCode.type, wrongCode.retryable, wrongCode.details], ['validation_error', false, { attempts_left: 2 }]);
    h.f.routes[`POST ${BASE}/phone_verification`] = () => errorAnswer(429, 'rate_limited', { headers: { 'retry-after': '30' } });
    const limited = await rejection(h.driver.sendPhoneCode('+447700900123'));
    assert.deepEqual([limited.retryable, limited.retryAfterMs], [true, 30_000]);
    h.f.routes[`POST ${BASE}/phone_verification`] = () => errorAnswer(500, 'internal_error');
    assert.equal((await rejection(h.driver.sendPhoneCode('+447700900123'))).retryable, true);
    await h.clock.advance(60_000);
    assert.equal(h.socketPreflights(), 0, 'failed actions arm nothing');
    assert.deepEqual(h.log.errors, [], 'action failures reject the call; they are not also emitted');
  });

  it('409 on the waiting screen is retryable and refreshes; 409 on a capture screen is not', async () => {
    const h = driverHarness({ first: 'waiting_for_previous_call_to_complete' });
    await h.driver.start();
    await h.clock.advance(0);
    h.f.routes[`POST ${BASE}/media`] = () => errorAnswer(409, 'step_not_expected');
    const onWaiting = await rejection(h.driver.uploadDocument('front', blob()));
    assert.deepEqual([onWaiting.type, onWaiting.retryable], ['step_not_expected', true]);
    assert.equal(h.socketPreflights(), 1, 'out of step with the server: asks for the current screen');

    h.server.change('scan_id_document_front_screen');
    const onCapture = await rejection(h.driver.uploadDocument('back', blob()));
    assert.equal(onCapture.retryable, false);
    const network = driverHarness({ first: 'liveness_screen' });
    await network.driver.start();
    network.f.routes[`POST ${BASE}/liveness/complete`] = () => {
      throw new TypeError('Failed to fetch');
    };
    const offline = await rejection(network.driver.completeLiveness('liv_1', [blob()]));
    assert.deepEqual([offline.type, offline.retryable], ['network_error', true]);
  });

  it('410 on an action: error event, cancel_screen, complete', async () => {
    const h = driverHarness({ first: 'liveness_screen', pings: false });
    await h.driver.start();
    await h.clock.advance(0);
    h.f.routes[`POST ${BASE}/liveness/start`] = () => errorAnswer(410, 'session_gone');
    h.server.change('cancel_screen', { result: 'expired' }, false);
    h.cable.last.closedByClient = true; // the server's push is lost: REST must bring the cancel screen
    h.cable.last.readyState = 3;
    const gone = await rejection(h.driver.startLiveness());
    assert.equal(gone.type, 'session_gone');
    await h.clock.advance(0);
    assert.deepEqual(h.log.errors.map((e) => e.type), ['session_gone']);
    assert.equal(h.log.completes[0]?.screen, 'cancel_screen');
    assert.equal(h.log.completes[0]?.returnUrl, null);
  });
});
