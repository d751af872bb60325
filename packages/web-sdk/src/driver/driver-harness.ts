// Test-only: the flow driver wired to a fake clock, a fake cable and a fake fetch that answer like a Tessera server
// holding one session, with what the tests read back (screens, errors, completes, preflight counts). Shared by the
// flow-driver*.test.ts files that run on fakes; not exported from the driver's index.
import assert from 'node:assert/strict';
import type { Preflight, ScreenShow } from '@tessera/protocol';
import { createFakeCable, type FakeSocket } from './fake-cable.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeFetch, type FakeResponse } from './fake-fetch.ts';
import { createFlowDriver } from './flow-driver.ts';
import { FlowError } from './flow-error.ts';
import type { DriverEvents, FallbackTimers } from './types.ts';

export const ID = 'cTMKciZaG4iv7FfRZk1nxRW1';
export const BASE = `/v1/sessions/${ID}`;
export const blob = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])]);

export function preflight(sequence: number, show: ScreenShow, extra: Record<string, unknown> = {}, sessionId = ID): Preflight {
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

export const errorAnswer = (status: number, type: string, extra: Partial<FakeResponse> = {}): FakeResponse => ({
  status, body: { error: { type, message: type, request_id: 'req_1', ...(type === 'validation_error' ? { details: { attempts_left: 2 } } : {}) } }, ...extra,
});

export interface HarnessOptions {
  first?: ScreenShow;
  returnUrl?: string | null;
  /** 'accept': sockets open and subscribe; 'never': sockets never open; 'refuse': every socket closes at once. */
  socket?: 'accept' | 'never' | 'refuse';
  pings?: boolean;
  timers?: Partial<FallbackTimers>;
}

export function driverHarness(options: HarnessOptions = {}) {
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

/** Awaits `promise`, which must reject with a FlowError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<FlowError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FlowError);
    return error;
  }
  assert.fail('expected a rejection');
}
