// The silent-socket fallback of protocol §1 in a real browser: the cable is taken away mid-flow and the hosted page
// must still reach `completed_screen`. Playwright's routeWebSocket sits between the page and the server's /cable:
//  - dropped: the socket is closed after the first screen and every reconnect is refused, so the page can only
//    learn the next screen from the REST preflight;
//  - silent: the socket stays up (pings flow, nothing looks wrong) but the server's pushes are lost; only the answer
//    to a `preflight` request the page sends on the socket gets through.
// The fallback timers are shortened to 400 ms through the hosted page's test hook (`?fallback_ms=`, honoured only
// in demo mode: web-sdk hosted/test-hooks.ts); with the protocol's timers a document alone would wait 90 s.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { A11yAudit, launchBrowser, newContext } from './browser.ts';
import { makeCameraFeeds } from './fixtures/make-camera-feed.ts';
import { createLevel, createSession, explainFailure, outboxCode, sessionOf, TEST_KEYS, waitForScreen } from './harness.ts';

const FALLBACK_MS = 400;

/** Drives a session of the test level (ID card, liveness, email) from consent to completed_screen. */
async function runFlow(t: TestServer, page: Page, sessionId: string, afterConsentShown: () => void, audit: A11yAudit): Promise<void> {
  await explainFailure('fallback', () => [page], () => steps(t, page, sessionId, afterConsentShown, audit));
}

async function steps(t: TestServer, page: Page, sessionId: string, afterConsentShown: () => void, audit: A11yAudit): Promise<void> {
  await waitForScreen(page, 'consent_screen');
  afterConsentShown();
  await page.click('[data-testid="consent-accept"]');
  await waitForScreen(page, 'scan_id_document_front_screen');
  await page.check('[data-testid="doc-type-id_card"]');
  await page.click('[data-testid="doc-type-continue"]');
  await page.click('[data-testid="review-use"]'); // auto-capture of the steady card
  await waitForScreen(page, 'scan_id_document_back_screen');
  await page.click('[data-testid="review-use"]');
  await waitForScreen(page, 'liveness_screen');
  await page.click('[data-testid="liveness-start"]');
  await waitForScreen(page, 'email_verification_start_screen');
  await page.fill('[data-testid="email-address"]', 'fallback@example.com');
  await page.click('[data-testid="email-send"]');
  await page.fill('[data-testid="otp-code"]', await outboxCode(t, sessionId, 'email', TEST_KEYS.private));
  await page.click('[data-testid="otp-verify"]');
  await waitForScreen(page, 'completed_screen');
  await audit.check(page, 'completed_screen after the fallback');
}

const isPreflightRequest = (message: string | Buffer): boolean => {
  const text = message.toString();
  if (text === 'preflight') return true;
  try {
    const frame = JSON.parse(text) as { command?: string; data?: string };
    return frame.command === 'message' && typeof frame.data === 'string' && (JSON.parse(frame.data) as { action?: string }).action === 'preflight';
  } catch {
    return false;
  }
};

describe('silent-socket fallback in the browser', () => {
  let t: TestServer;
  let dir: string;
  let browser: Browser;
  let level: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-e2e-'));
    const feeds = await makeCameraFeeds(dir);
    [t, browser] = await Promise.all([startTestServer({ TESSERA_DEMO: 'true' }), launchBrowser({ feed: feeds.idCard })]);
    level = await createLevel(t, { name: 'e2e_fallback', steps: [{ type: 'identity_document' }, { type: 'liveness' }, { type: 'email_verification' }] });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(context: BrowserContext): Promise<{ page: Page; sessionId: string; restPreflights: () => number }> {
    const { session_id: sessionId, url } = await createSession(t, { kyc_level: level });
    const page = await context.newPage();
    let rest = 0;
    page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().endsWith(`/v1/sessions/${sessionId}/preflight`)) rest++;
    });
    await page.goto(`${url}?fallback_ms=${FALLBACK_MS}`);
    return { page, sessionId, restPreflights: () => rest };
  }

  it('a dropped socket: reconnects are refused, and the REST preflight carries the flow to completed_screen', async (test) => {
    const audit = new A11yAudit();
    const context = await newContext(browser);
    let connections = 0;
    let dropped = false;
    let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
    await context.routeWebSocket(/\/cable/, (ws) => {
      connections++;
      if (dropped) return void ws.close({ code: 4000, reason: 'dropped by the test' });
      live = { page: ws, server: ws.connectToServer() };
    });
    const { page, sessionId, restPreflights } = await open(context);
    let restAtDrop = 0;
    await runFlow(t, page, sessionId, () => {
      dropped = true;
      restAtDrop = restPreflights();
      void live?.page.close({ code: 4000, reason: 'dropped by the test' });
      void live?.server.close();
    }, audit);

    assert.ok(live, 'the page had opened the cable before the drop');
    assert.ok(connections >= 2, `the page tried to reconnect (${connections} connections)`);
    const afterDrop = restPreflights() - restAtDrop;
    assert.ok(afterDrop >= 5, `the REST preflight was polled after the drop (${afterDrop} times)`);
    test.diagnostic(`dropped socket: ${connections} connections (${connections - 1} refused reconnects), ${afterDrop} REST preflights after the drop`);
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.private)).status, 'submitted');
    await context.close();
    audit.assertClean();
  });

  it('a silent socket: pushes are lost, and the preflight the page asks for on the socket carries the flow', async (test) => {
    const audit = new A11yAudit();
    const context = await newContext(browser);
    let silent = false;
    let asked = 0;
    let lost = 0;
    await context.routeWebSocket(/\/cable/, (ws) => {
      const server = ws.connectToServer();
      let answers = 0;
      ws.onMessage((message) => {
        if (silent && isPreflightRequest(message)) {
          asked++;
          answers++;
        }
        server.send(message);
      });
      server.onMessage((message) => {
        const frame = JSON.parse(message.toString()) as { message?: unknown };
        const push = typeof frame.message === 'object' && frame.message !== null;
        if (silent && push) {
          if (answers === 0) return void lost++;
          answers--;
        }
        ws.send(message);
      });
    });
    const { page, sessionId } = await open(context);
    // Once silent, REST preflights fail too: only the socket request can carry the flow.
    let restRefused = 0;
    await page.route(`**/v1/sessions/${sessionId}/preflight`, (route) => (silent ? (restRefused++, route.abort('connectionrefused')) : route.continue()));
    await runFlow(t, page, sessionId, () => {
      silent = true;
    }, audit);

    assert.ok(lost >= 3, `pushes were lost (${lost})`);
    assert.ok(asked >= 3, `the page asked for the preflight on the socket (${asked} times)`);
    test.diagnostic(`silent socket: ${lost} pushes lost, ${asked} preflights asked on the socket, ${restRefused} REST preflights refused`);
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.private)).status, 'submitted');
    await context.close();
    audit.assertClean();
  });
});
