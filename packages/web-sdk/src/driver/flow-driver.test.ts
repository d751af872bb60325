// The flow driver on a fake clock, a fake cable and a fake fetch: sequence dropping, the §1 fallback timers for every
// screen, socket vs REST, reconnect back-off, the session going away, `complete` with the return URL, errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Preflight, ScreenShow } from '@tessera/protocol';
import { createFakeCable, type FakeSocket } from './fake-cable.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeFetch, type FakeResponse } from './fake-fetch.ts';
import { createFlowDriver } from './flow-driver.ts';
import { FlowError } from './flow-error.ts';
import { verificationStatusOf } from './return-url.ts';
import type { DriverEvents, FallbackTimers, FlowDriver } from './types.ts';

const ID = 'cTMKciZaG4iv7FfRZk1nxRW1';
const BASE = `/v1/sessions/${ID}`;
const blob = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])]);

function preflight(sequence: number, show: ScreenShow, extra: Record<string, unknown> = {}, sessionId = ID): Preflight {
  return {
    extra_data: extra, session: sessionId, session_id: sessionId, entity_id_state: 'none_received', entity_id_document_type: 'unknown', requirement: null,
    screen: { show, parameters: { camera: 'back', camera_quality: 'high', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null } },
    proof_of_address: null, proof_of_funds: null, sequence,
  };
}

const view = (returnUrl: string | null) => ({
  session_id: ID, status: 'created', websocket_url: `ws://kyc.example/cable?session_id=${ID}`, url: `http://kyc.example/verify/${ID}`,
  web_sdk_return_url: returnUrl, i18n: 'en', branding: { name: null, logo_url: null, primary_color: null }, expires_at: '2030-01-01T00:00:00Z',
  consent: { given: null, at: null }, steps: [],
});

const errorAnswer = (status: number, type: string, extra: Partial<FakeResponse> = {}): FakeResponse => ({
  status, body: { error: { type, message: type, request_id: 'req_1', ...(type === 'validation_error' ? { details: { attempts_left: 2 } } : {}) } }, ...extra,
});

interface HarnessOptions {
  first?: ScreenShow;
  returnUrl?: string | null;
  /** 'accept': sockets open and subscribe; 'never': sockets never open; 'refuse': every socket closes at once. */
  socket?: 'accept' | 'never' | 'refuse';
  pings?: boolean;
  timers?: Partial<FallbackTimers>;
}

function harness(options: HarnessOptions = {}) {
  const clock = createFakeClock();
  const f = createFakeFetch();
  const cable = createFakeCable(clock);
  let current = preflight(1, options.first ?? 'consent_screen');
  const server = {
    get preflight() {
      return current;
    },
    /** The session moves on: a new sequence (pushed on the last socket if it is subscribed and `push`). */
    change(show: ScreenShow, extra: Record<string, unknown> = {}, push = true): Preflight {
      current = preflight(current.sequence + 1, show, extra);
      if (push && subscribed(cable.sockets.at(-1))) cable.last.push(current);
      return current;
    },
  };
  const subscribed = (s: FakeSocket | undefined) => s !== undefined && s.readyState === 1 && !s.closedByClient;
  f.routes[`GET ${BASE}`] = () => ({ status: 200, body: view(options.returnUrl ?? null) });
  f.routes[`GET ${BASE}/preflight`] = () => ({ status: 200, body: current });
  f.routes[`PATCH ${BASE}/consent`] = () => ({ status: 200, body: { session_id: ID, consent: { given: true, at: 'now', version: 'v1' } } });
  f.routes[`POST ${BASE}/media`] = () => ({ status: 202, body: { media_id: 'media_1', app_screen: 'scan_id_document_front_screen', status: 'processing' } });
  f.routes[`POST ${BASE}/liveness/start`] = () => ({ status: 200, body: { liveness_id: 'liv_1', challenge: { kind: 'head_turn', sequence: ['left', 'right'], nonce: 'n', frame_count: 8 }, expires_at: 'x', server_time: 'y' } });
  for (const path of ['liveness/complete', 'address_verification', 'funds_verification']) f.routes[`POST ${BASE}/${path}`] = () => ({ status: 202, body: { status: 'processing' } });
  for (const kind of ['phone', 'email']) {
    f.routes[`POST ${BASE}/${kind}_verification`] = () => ({ status: 200, body: { status: 'code_sent', destination: '•••', expires_at: 'x', resend_available_at: 'y' } });
    f.routes[`PATCH ${BASE}/${kind}_verification`] = () => ({ status: 200, body: { status: 'verified' } });
  }

  const mode = options.socket ?? 'accept';
  const factory: typeof cable.factory = (url, protocols) => {
    const socket = cable.factory(url, protocols) as FakeSocket;
    // The server side answers on the next turn, as a real socket would; a subscribe gets the current preflight.
    if (mode === 'accept') {
      queueMicrotask(() => {
        socket.accept();
        socket.push(current);
      });
    } else if (mode === 'refuse') queueMicrotask(() => socket.serverClose());
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      send(data);
      if (data.includes('"action\\":\\"preflight\\"')) queueMicrotask(() => socket.push(current));
    };
    return socket;
  };
  if (options.pings !== false) cable.startPings(3000);

  const driver = createFlowDriver({
    sessionId: ID, apiBaseUrl: 'https://kyc.example', fetch: f.fetch, webSocket: factory, clock,
    reconnect: { random: () => 0.5 }, ...(options.timers ? { timers: options.timers } : {}),
  });
  const log = { screens: [] as number[], shows: [] as ScreenShow[], errors: [] as DriverEvents['error'][], completes: [] as DriverEvents['complete'][], connection: [] as string[] };
  driver.on('screen', (p) => (log.screens.push(p.sequence), log.shows.push(p.screen.show)));
  driver.on('error', (e) => log.errors.push(e));
  driver.on('complete', (c) => log.completes.push(c));
  driver.on('connection', (c) => log.connection.push(c));
  const restPreflights = () => f.count('GET', `${BASE}/preflight`);
  const socketPreflights = () => cable.sockets.reduce((n, s) => n + s.preflightRequests(), 0);
  return { clock, f, cable, server, driver, log, restPreflights, socketPreflights };
}

async function rejection(promise: Promise<unknown>): Promise<FlowError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FlowError);
    return error;
  }
  assert.fail('expected a rejection');
}

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

describe('flow driver', () => {
  it('renders only strictly newer sequences: duplicates, older pushes, late REST answers and other sessions are dropped', async () => {
    const h = harness({ pings: false });
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

  for (const row of FALLBACKS) {
    it(`fallback while connected, ${row.label}: socket preflight exactly every ${row.ms / 1000} s until the screen changes`, async () => {
      const h = harness();
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
      const h = harness({ socket: 'never', first: row.screen });
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
    const h = harness({ socket: 'never', first: 'consent_screen' });
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
    const h = harness();
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

  it('a dropped socket reconnects after the back-off and its subscribe brings the screen missed meanwhile', async () => {
    const h = harness();
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

  it('uses REST for the fallback when disconnected at the moment it fires, and the socket when connected', async () => {
    const h = harness({ socket: 'refuse', first: 'liveness_screen' });
    await h.driver.start();
    await h.driver.completeLiveness('liv_1', [blob()]);
    const rest = h.restPreflights();
    await h.clock.advance(10_000);
    assert.equal(h.restPreflights(), rest + 1);
    assert.equal(h.socketPreflights(), 0);

    const connected = harness({ first: 'liveness_screen' });
    await connected.driver.start();
    await connected.clock.advance(0);
    await connected.driver.completeLiveness('liv_1', [blob()]);
    const restConnected = connected.restPreflights();
    await connected.clock.advance(10_000);
    assert.equal(connected.socketPreflights(), 1);
    assert.equal(connected.restPreflights(), restConnected);
  });

  it('reconnects with back-off 0.5, 1, 2, 4, 8, 15, 15 s while the socket is refused', async () => {
    const h = harness({ socket: 'refuse', pings: false });
    await h.driver.start();
    await h.clock.advance(80_000);
    const opened = h.cable.sockets.map((s) => s.openedAt);
    assert.deepEqual(opened.slice(0, 9), [0, 500, 1500, 3500, 7500, 15_500, 30_500, 45_500, 60_500]);
    assert.equal(h.driver.connection, 'disconnected');
  });

  it('disconnect reconnect:false: reports session_gone, renders cancel_screen from REST, completes once, never reconnects', async () => {
    const h = harness({ returnUrl: 'https://shop.example/back' });
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

  it('emits complete exactly once, with the return URL, then goes quiet', async () => {
    const h = harness({ returnUrl: 'https://shop.example/done?ref=9', pings: false });
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

    const h = harness({ first: 'rejected_screen', pings: false });
    await h.driver.start();
    assert.equal(h.log.completes.length, 1);
    assert.equal(h.log.completes[0]!.returnUrl, null);
  });

  it('start on a gone session: error session_gone, cancel_screen via REST preflight, complete, and start rejects', async () => {
    const h = harness({ first: 'cancel_screen' });
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
    const h = harness({ pings: false });
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
    const h = harness({ first: 'phone_verification_start_screen' });
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
    const h = harness({ first: 'waiting_for_previous_call_to_complete' });
    await h.driver.start();
    await h.clock.advance(0);
    h.f.routes[`POST ${BASE}/media`] = () => errorAnswer(409, 'step_not_expected');
    const onWaiting = await rejection(h.driver.uploadDocument('front', blob()));
    assert.deepEqual([onWaiting.type, onWaiting.retryable], ['step_not_expected', true]);
    assert.equal(h.socketPreflights(), 1, 'out of step with the server: asks for the current screen');

    h.server.change('scan_id_document_front_screen');
    const onCapture = await rejection(h.driver.uploadDocument('back', blob()));
    assert.equal(onCapture.retryable, false);
    const network = harness({ first: 'liveness_screen' });
    await network.driver.start();
    network.f.routes[`POST ${BASE}/liveness/complete`] = () => {
      throw new TypeError('Failed to fetch');
    };
    const offline = await rejection(network.driver.completeLiveness('liv_1', [blob()]));
    assert.deepEqual([offline.type, offline.retryable], ['network_error', true]);
  });

  it('410 on an action: error event, cancel_screen, complete', async () => {
    const h = harness({ first: 'liveness_screen', pings: false });
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

  it('a 429 on a REST poll waits for Retry-After before the next one, and reports the error', async () => {
    const h = harness({ socket: 'never', first: 'consent_screen' });
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
    const h = harness({ timers: { documentMs: 1500 }, first: 'scan_id_document_front_screen' });
    await h.driver.start();
    await h.clock.advance(0);
    await h.driver.uploadDocument('front', blob(), 'passport');
    await h.clock.advance(1499);
    assert.equal(h.socketPreflights(), 0);
    await h.clock.advance(1);
    assert.equal(h.socketPreflights(), 1);
  });

  it('stop() clears every timer and closes the socket; nothing is emitted afterwards', async () => {
    const h = harness({ pings: false, first: 'scan_id_document_front_screen' });
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
    const h = harness({ pings: false });
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
