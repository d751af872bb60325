// The flow driver's §1 fallback on fakes: after each action it asks for the preflight at the screen's interval
// (on the socket when subscribed, else over REST), polls REST while the socket is down, and honours Retry-After.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScreenShow } from '@tessera/protocol';
import { BASE, blob, driverHarness, errorAnswer } from './driver-harness.ts';
import type { FlowDriver } from './types.ts';

/** Each screen, the action that arms its fallback (none: rendering the waiting screen arms it) and the §1 interval. */
const FALLBACKS: Array<{ screen: ScreenShow; action: ((d: FlowDriver) => Promise<unknown>) | null; ms: number; label: string }> = [
  { label: 'consent', screen: 'consent_screen', action: (d) => d.giveConsent(true), ms: 10_000 },
  { label: 'document front', screen: 'scan_id_document_front_screen', action: (d) => d.uploadDocument('front', blob(), 'passport'), ms: 90_000 },
  { label: 'document back', screen: 'scan_id_document_back_screen', action: (d) => d.uploadDocument('back', blob()), ms: 90_000 },
  { label: 'liveness', screen: 'liveness_screen', action: (d) => d.completeLiveness('liv_1', [blob(), blob()]), ms: 10_000 },
  { label: 'address', screen: 'proof_of_address_screen', action: (d) => d.uploadAddress(blob(), { latitude: 1, longitude: 2 }), ms: 10_000 },
  { label: 'funds', screen: 'proof_of_funds_screen', action: (d) => d.uploadFunds(blob(), 'payslip'), ms: 10_000 },
  { label: 'phone send', screen: 'phone_verification_start_screen', action: (d) => d.sendPhoneCode('+447700900123'), ms: 10_000 },
  { label: 'phone check', screen: 'phone_verification_start_screen', action: (d) => d.checkPhoneCode('123456'), ms: 10_000 },
  { label: 'email send', screen: 'email_verification_start_screen', action: (d) => d.sendEmailCode('ada@example.com'), ms: 30_000 },
  { label: 'email check', screen: 'email_verification_start_screen', action: (d) => d.checkEmailCode('123456'), ms: 30_000 },
  { label: 'waiting', screen: 'waiting_for_previous_call_to_complete', action: null, ms: 10_000 },
];

describe('flow driver: fallback timers', () => {
  for (const row of FALLBACKS) {
    it(`fallback while connected, ${row.label}: socket preflight exactly every ${row.ms / 1000} s until the screen changes`, async () => {
      const h = driverHarness();
      await h.driver.start();
      await h.clock.advance(0);
      assert.equal(h.driver.connection, 'connected');
      h.server.change(row.screen);
      assert.equal(h.driver.current?.screen.show, row.screen);
      if (row.action) await row.action(h.driver);
      const rest = h.restPreflights();
      await h.clock.advance(row.ms - 1);
      assert.equal(h.socketPreflights(), 0, 'not before the interval');
      await h.clock.advance(1);
      assert.equal(h.socketPreflights(), 1, 'at the interval');
      await h.clock.advance(row.ms - 1);
      assert.equal(h.socketPreflights(), 1);
      await h.clock.advance(1);
      assert.equal(h.socketPreflights(), 2, 'and again one interval later (the answer was the same screen)');
      assert.equal(h.restPreflights(), rest, 'connected: REST is not used');
      h.server.change(row.screen === 'liveness_screen' ? 'proof_of_address_screen' : 'liveness_screen');
      await h.clock.advance(row.ms * 3);
      assert.equal(h.socketPreflights(), 2, 'the screen changed: no more fallback');
      assert.deepEqual(h.log.errors, []);
    });
  }

  for (const row of [...FALLBACKS, { label: 'nfc', screen: 'nfc_capture_screen' as const, action: null, ms: 10_000 }]) {
    it(`socket down, ${row.label}: REST preflight every ${row.ms / 1000} s`, async () => {
      const h = driverHarness({ socket: 'never', first: row.screen });
      await h.driver.start();
      if (row.action) await row.action(h.driver);
      const rest = h.restPreflights();
      assert.equal(rest, 1);
      await h.clock.advance(row.ms - 1);
      assert.equal(h.restPreflights(), rest);
      await h.clock.advance(1);
      assert.equal(h.restPreflights(), rest + 1);
      await h.clock.advance(row.ms);
      assert.equal(h.restPreflights(), rest + 2, 'a flapping reconnect does not postpone the poll');
      assert.equal(h.socketPreflights(), 0);
      assert.ok(h.cable.sockets.length > 1, 'meanwhile the cable keeps trying');
    });
  }

  it('socket down without an action: polls at the current screen interval, following screen changes', async () => {
    const h = driverHarness({ socket: 'never', first: 'consent_screen' });
    await h.driver.start();
    await h.clock.advance(10_000);
    assert.equal(h.restPreflights(), 2);
    h.server.change('scan_id_document_front_screen', {}, false);
    await h.clock.advance(10_000); // this poll finds the document screen
    assert.equal(h.driver.current?.screen.show, 'scan_id_document_front_screen');
    const at = h.restPreflights();
    await h.clock.advance(89_999);
    assert.equal(h.restPreflights(), at);
    await h.clock.advance(1);
    assert.equal(h.restPreflights(), at + 1);
  });

  it('a newer screen pushed while the action is still in flight answers the fallback: nothing is armed', async () => {
    const h = driverHarness();
    await h.driver.start();
    await h.clock.advance(0);
    const consent = h.f.routes[`PATCH ${BASE}/consent`]!;
    h.f.routes[`PATCH ${BASE}/consent`] = (r) => {
      h.server.change('scan_id_document_front_screen'); // the push overtakes the HTTP answer
      return consent(r);
    };
    await h.driver.giveConsent(true);
    assert.equal(h.driver.current?.screen.show, 'scan_id_document_front_screen');
    await h.clock.advance(100_000);
    assert.equal(h.socketPreflights() + h.restPreflights(), 1, 'only the start-up REST preflight');
  });

  it('a newer preflight of the same screen during the action is no answer: the fallback still fires (silent socket)', async () => {
    // Found by the browser tests: a late answer to an earlier fallback (here the code_sent state) lands while the
    // code check is in flight; the check's own push is lost. Armed anyway, the driver asks again and finishes.
    const h = driverHarness({ first: 'email_verification_start_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    const check = h.f.routes[`PATCH ${BASE}/email_verification`]!;
    h.f.routes[`PATCH ${BASE}/email_verification`] = (r) => {
      h.server.change('email_verification_start_screen', { code_sent: true }); // stale: from before the check
      h.server.change('completed_screen', { result: 'completed' }, false); // the check's push, lost
      return check(r);
    };
    await h.driver.checkEmailCode('123456');
    assert.equal(h.driver.current?.screen.show, 'email_verification_start_screen');
    await h.clock.advance(30_000);
    assert.equal(h.socketPreflights(), 1);
    assert.equal(h.driver.current?.screen.show, 'completed_screen');
    assert.equal(h.log.completes.length, 1);
  });

  it('a same-screen preflight after the action restarts the countdown but keeps the fallback until the screen changes', async () => {
    const h = driverHarness({ first: 'phone_verification_start_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.sendPhoneCode('+447700900123');
    await h.clock.advance(4_000);
    h.server.change('phone_verification_start_screen', { code_sent: true }); // the answer: same screen, code sent
    await h.clock.advance(9_999);
    assert.equal(h.socketPreflights(), 0, 'a message arrived: the countdown started again');
    await h.clock.advance(1);
    assert.equal(h.socketPreflights(), 1, 'still armed on the same screen');
    h.server.change('email_verification_start_screen');
    await h.clock.advance(100_000);
    assert.equal(h.socketPreflights(), 1, 'another screen: disarmed');
  });

  it('uses REST for the fallback when disconnected at the moment it fires, and the socket when connected', async () => {
    const h = driverHarness({ socket: 'refuse', first: 'liveness_screen' });
    await h.driver.start();
    await h.driver.completeLiveness('liv_1', [blob()]);
    const rest = h.restPreflights();
    await h.clock.advance(10_000);
    assert.equal(h.restPreflights(), rest + 1);
    assert.equal(h.socketPreflights(), 0);

    const connected = driverHarness({ first: 'liveness_screen' });
    await connected.driver.start();
    await connected.clock.advance(0);
    await connected.driver.completeLiveness('liv_1', [blob()]);
    const restConnected = connected.restPreflights();
    await connected.clock.advance(10_000);
    assert.equal(connected.socketPreflights(), 1);
    assert.equal(connected.restPreflights(), restConnected);
  });

  it('a 429 on a REST poll waits for Retry-After before the next one, and reports the error', async () => {
    const h = driverHarness({ socket: 'never', first: 'consent_screen' });
    await h.driver.start();
    h.f.routes[`GET ${BASE}/preflight`] = () => errorAnswer(429, 'rate_limited', { headers: { 'retry-after': '25' } });
    await h.clock.advance(10_000);
    assert.equal(h.restPreflights(), 2);
    assert.deepEqual(h.log.errors.map((e) => [e.type, e.retryable]), [['rate_limited', true]]);
    await h.clock.advance(24_999);
    assert.equal(h.restPreflights(), 2);
    await h.clock.advance(1);
    assert.equal(h.restPreflights(), 3);
  });

  it('timers are options: shortened intervals apply per screen family', async () => {
    const h = driverHarness({ timers: { documentMs: 1500 }, first: 'scan_id_document_front_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.uploadDocument('front', blob(), 'passport');
    await h.clock.advance(1499);
    assert.equal(h.socketPreflights(), 0);
    await h.clock.advance(1);
    assert.equal(h.socketPreflights(), 1);
  });
});
