// The driver against a real Tessera server (HTTP, cable, jobs, PostgreSQL): a `basic` session driven from consent to
// completed_screen over Node's fetch and a `ws` socket, then again with a socket that never opens, on the REST
// fallback alone with shortened timers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScreenShow } from '@tessera/protocol';
import sharp from 'sharp';
import WebSocket from 'ws';
import { startTestServer, TEST_KEYS, type TestServer } from '../../../server/src/testing/start-test-server.ts';
import { createSession } from '../launcher/create-session.ts';
import { createFlowDriver } from './flow-driver.ts';
import type { DriverEvents, FlowDriver, FlowDriverOptions, WebSocketFactory, WebSocketLike } from './types.ts';

/** `ws` as a WebSocketLike: text frames arrive as strings, as in a browser. */
const wsFactory: WebSocketFactory = (url, protocols) => {
  const ws = new WebSocket(url, protocols);
  const like: WebSocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
  };
  ws.onopen = (event) => like.onopen?.(event);
  ws.onmessage = (event) => like.onmessage?.({ data: typeof event.data === 'string' ? event.data : String(event.data) });
  ws.onclose = (event) => like.onclose?.({ code: event.code, reason: event.reason });
  ws.onerror = (event) => like.onerror?.(event);
  return like;
};

/** A socket that never opens, never closes and never speaks: the worst case for the fallback. */
const silentFactory = (opened: string[]): WebSocketFactory => (url) => {
  opened.push(url);
  return { readyState: 0, send() {}, close() {}, onopen: null, onclose: null, onerror: null, onmessage: null };
};

const jpeg = (width: number, height: number, shade: number): Promise<Blob> =>
  sharp({ create: { width, height, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } }).jpeg().toBuffer().then((b) => new Blob([b]));

/** Counts REST preflights, so a test can tell which path carried the screens. */
function countingFetch() {
  const counts = { preflight: 0 };
  const wrapped: typeof fetch = (input, init) => {
    if (String(input).endsWith('/preflight')) counts.preflight += 1;
    return fetch(input, init);
  };
  return { fetch: wrapped, counts };
}

/** Runs the basic flow the way a UI would: act on each screen as it is shown. */
async function driveBasic(driver: FlowDriver): Promise<{ shows: ScreenShow[]; sequences: number[]; complete: DriverEvents['complete'] }> {
  const shows: ScreenShow[] = [];
  const sequences: number[] = [];
  const errors: DriverEvents['error'][] = [];
  driver.on('error', (e) => errors.push(e));
  const complete = new Promise<DriverEvents['complete']>((resolve) => driver.on('complete', resolve));
  const acted = new Set<ScreenShow>();
  const failures: unknown[] = [];
  driver.on('screen', (preflight) => {
    shows.push(preflight.screen.show);
    sequences.push(preflight.sequence);
    const show = preflight.screen.show;
    if (acted.has(show)) return;
    acted.add(show);
    const step = async () => {
      if (show === 'consent_screen') await driver.giveConsent(true);
      if (show === 'scan_id_document_front_screen') await driver.uploadDocument('front', await jpeg(640, 400, 120), 'passport');
      if (show === 'liveness_screen') {
        const { liveness_id, challenge } = await driver.startLiveness();
        const frames = await Promise.all(Array.from({ length: challenge.frame_count }, (_, i) => jpeg(64, 64, 20 * i)));
        await driver.completeLiveness(liveness_id, frames);
      }
    };
    step().catch((error) => failures.push(error));
  });
  await driver.start();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete; screens ${shows.join(' → ')}; errors ${JSON.stringify(errors)}; failures ${failures}`)), 30_000);
  });
  const done = await Promise.race([complete, timeout]).finally(() => clearTimeout(timer));
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  return { shows, sequences, complete: done };
}

describe('flow driver against a real server', () => {
  let t: TestServer;
  before(async () => (t = await startTestServer()));
  after(() => t.close());

  const newSession = async (returnUrl?: string) =>
    (await createSession({ apiBaseUrl: t.url, publicKey: TEST_KEYS.public, kycLevel: 'basic', ...(returnUrl ? { applicant: { web_sdk_return_url: returnUrl } } : {}) })).session_id;

  it('drives a basic session over the cable: consent → passport → liveness (8 frames) → completed_screen', async () => {
    const sessionId = await newSession('https://shop.example/back');
    const counted = countingFetch();
    const connection: string[] = [];
    const driver = createFlowDriver({ sessionId, apiBaseUrl: t.url, fetch: counted.fetch, webSocket: wsFactory });
    driver.on('connection', (state) => connection.push(state));
    try {
      const { shows, sequences, complete } = await driveBasic(driver);
      // Waiting screens come and go with the checks' timing; the steps around them do not.
      assert.deepEqual(shows.filter((s) => s !== 'waiting_for_previous_call_to_complete'),
        ['consent_screen', 'scan_id_document_front_screen', 'liveness_screen', 'completed_screen']);
      assert.ok(shows.includes('waiting_for_previous_call_to_complete'), 'the cable pushes every change, the check in progress too');
      for (let i = 1; i < sequences.length; i += 1) assert.ok(sequences[i]! > sequences[i - 1]!, `sequences ${sequences.join(',')}`);
      assert.equal(complete.screen, 'completed_screen');
      assert.equal(complete.returnUrl, `https://shop.example/back?session_id=${sessionId}&status=complete`);
      assert.deepEqual(connection.slice(0, 2), ['connecting', 'connected']);
      assert.equal(counted.counts.preflight, 1, 'after the first screen, everything came over the socket');
    } finally {
      driver.stop();
    }
    const view = await (await fetch(`${t.url}/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${TEST_KEYS.private}` } })).json() as { status: string };
    assert.equal(view.status, 'submitted');
  });

  it('finishes on the REST fallback alone when the socket never opens (timers shortened)', async () => {
    const sessionId = await newSession();
    const counted = countingFetch();
    const opened: string[] = [];
    const fast = 150;
    const options: FlowDriverOptions = {
      sessionId, apiBaseUrl: t.url, fetch: counted.fetch, webSocket: silentFactory(opened),
      timers: { consentMs: fast, documentMs: fast, livenessMs: fast, addressMs: fast, fundsMs: fast, phoneMs: fast, emailMs: fast, nfcMs: fast, waitingMs: fast },
    };
    const driver = createFlowDriver(options);
    try {
      const { shows, complete } = await driveBasic(driver);
      assert.deepEqual(shows.filter((s) => s !== 'waiting_for_previous_call_to_complete'),
        ['consent_screen', 'scan_id_document_front_screen', 'liveness_screen', 'completed_screen']);
      assert.equal(complete.returnUrl, null);
      assert.equal(driver.connection, 'disconnected');
      assert.ok(counted.counts.preflight >= 4, `REST carried the flow (${counted.counts.preflight} preflights)`);
      assert.equal(opened.length, 1, 'the socket was tried (and would be retried after 9 s of silence)');
      assert.match(opened[0]!, new RegExp(`/cable\\?session_id=${sessionId}$`));
    } finally {
      driver.stop();
    }
  });
});
