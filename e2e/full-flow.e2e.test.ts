// The applicant's whole journey in Debian Chromium (issue 4, item 9): from the /demo integrator page through the
// launcher's modal iframe, every screen of the `full` level with a fake camera showing a synthetic ID card, the
// liveness step continued on a "phone" (a second browser whose camera shows a face) while the desktop follows over
// the cable, uploads, the phone and email codes read from the outbox, to `completed_screen` and the demo's result.
// Then a session with `web_sdk_return_url`, opened top-level, that ends on the integrator's return page.
// axe-core audits every screen on the way.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { A11yAudit, launchBrowser, newContext } from './browser.ts';
import { makeCameraFeeds, type CameraFeeds } from './fixtures/make-camera-feed.ts';
import { payslipPng, utilityBillPdf } from './fixtures/make-documents.ts';
import { createLevel, createSession, eventTypesOf, explainFailure, outboxCode, serveSite, sessionOf, TEST_KEYS, waitForScreen, type LocalSite } from './harness.ts';

interface Posted {
  origin: string;
  data: { type?: string; status?: string; sessionId?: string; width?: number; height?: number };
}

/** Records every `message` event the page receives (installed before any page script runs; CSP does not apply). */
async function recordMessages(page: Page): Promise<() => Promise<Posted[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: unknown[] };
    w.__posted = [];
    window.addEventListener('message', (event) => w.__posted.push({ origin: event.origin, data: event.data }));
  });
  return () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
}

describe('full verification in the browser', () => {
  let t: TestServer;
  let dir: string;
  let feeds: CameraFeeds;
  let desk: Browser; // the desktop: its camera sees the ID card
  let phone: Browser; // the phone of the hand-off: its camera sees a face
  let site: LocalSite;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-e2e-'));
    feeds = await makeCameraFeeds(dir);
    [t, desk, phone, site] = await Promise.all([
      startTestServer({ TESSERA_DEMO: 'true' }),
      launchBrowser({ feed: feeds.idCard }),
      launchBrowser({ feed: feeds.face }),
      serveSite({ '/done': '<!doctype html><html lang="en"><title>Back at Acme</title><h1 id="back">Welcome back</h1></html>' }),
    ]);
  });

  after(async () => {
    await Promise.allSettled([desk?.close(), phone?.close(), site?.close()]);
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('demo → consent, ID card front and back, liveness on a phone, address, funds, phone and email codes → completed', async (test) => {
    const audit = new A11yAudit();
    const deskContext = await newContext(desk);
    const page = await deskContext.newPage();
    const messages = await recordMessages(page);
    let mobile: Page | undefined;
    await explainFailure('full-flow', () => [page, mobile], async () => {
      // The integrator page: the form is prefilled; use our own applicant and the `full` level.
      await page.goto(`${t.url}/demo`);
      await page.fill('#demo-name', 'Alex Example');
      await page.fill('#demo-email', 'alex@example.com');
      await page.fill('#demo-phone', '+44 7400 123456');
      await page.selectOption('#demo-level', 'full');
      await audit.check(page, 'demo form');
      await page.click('[data-testid="demo-start"]');

      // The launcher's modal: an iframe allowed to use the camera.
      const iframe = await page.waitForSelector('[role="dialog"] iframe');
      assert.equal(await iframe.getAttribute('allow'), 'camera; microphone');
      const frame = (await iframe.contentFrame()) as Frame;
      assert.ok(frame, 'the hosted page is framed');

      await waitForScreen(frame, 'consent_screen');
      const sessionId = /\/verify\/([0-9A-Za-z]{24})/.exec(frame.url())?.[1];
      assert.ok(sessionId, `session id in ${frame.url()}`);
      await audit.check(frame, 'consent_screen');
      await frame.click('[data-testid="consent-accept"]');

      // Front of the ID card: choose the type, the camera (ID card feed) auto-captures the steady, sharp card.
      await waitForScreen(frame, 'scan_id_document_front_screen');
      await frame.waitForSelector('[data-testid="doc-type-id_card"]');
      await audit.check(frame, 'scan_id_document_front_screen: document type');
      await frame.check('[data-testid="doc-type-id_card"]');
      await frame.click('[data-testid="doc-type-continue"]');
      await frame.waitForSelector('[data-testid="camera-video"]');
      await audit.check(frame, 'scan_id_document_front_screen: camera');
      await frame.waitForSelector('[data-testid="review-use"]');
      assert.equal(await frame.$eval('[data-testid="review-image"]', (img) => (img as HTMLImageElement).naturalWidth > 0), true, 'the captured photo is shown');
      await audit.check(frame, 'scan_id_document_front_screen: review');
      await frame.click('[data-testid="review-use"]');

      // Back: auto-capture again, then send.
      await waitForScreen(frame, 'scan_id_document_back_screen');
      await frame.waitForSelector('[data-testid="camera-video"]');
      await audit.check(frame, 'scan_id_document_back_screen: camera');
      await frame.waitForSelector('[data-testid="review-use"]');
      await frame.click('[data-testid="review-use"]');

      // Liveness: this desktop's camera sees a card, not a face, so the applicant continues on a phone (issue item 6).
      await waitForScreen(frame, 'liveness_screen');
      await frame.waitForSelector('[data-testid="liveness-start"]');
      await audit.check(frame, 'liveness_screen: intro');
      await frame.click('[data-testid="handoff-footer"]');
      await waitForScreen(frame, 'handoff');
      await frame.waitForSelector('[data-testid="handoff-qr"]');
      const link = await frame.inputValue('[data-testid="handoff-link"]');
      assert.equal(link, `${t.url}/verify/${sessionId}`, 'the copyable link is the session url');
      await audit.check(frame, 'handoff');

      const phoneContext = await newContext(phone);
      mobile = await phoneContext.newPage();
      await mobile.goto(link);
      await waitForScreen(mobile, 'liveness_screen');
      await audit.check(mobile, 'liveness_screen (phone): intro');
      await mobile.click('[data-testid="liveness-start"]');
      await mobile.waitForSelector('[data-testid="liveness-prompt"][data-move="center"]');
      await audit.check(mobile, 'liveness_screen (phone): capturing');
      // The phone sends its frames; the server moves on to proof of address, and the desktop follows over the cable.
      await waitForScreen(mobile, 'proof_of_address_screen');
      await frame.waitForFunction(() => /address/i.test(document.querySelector('[data-testid="handoff-current"]')?.textContent ?? ''));
      await phoneContext.close();

      // Back on the desktop for the rest.
      await frame.click('[data-testid="handoff-back"]');
      await waitForScreen(frame, 'proof_of_address_screen');
      await audit.check(frame, 'proof_of_address_screen');
      await frame.setInputFiles('[data-testid="proof-file-input"]', { name: 'utility-bill.pdf', mimeType: 'application/pdf', buffer: utilityBillPdf() });
      await frame.waitForSelector('[data-testid="review-file"]');
      await audit.check(frame, 'proof_of_address_screen: selected');
      await frame.click('[data-testid="proof-submit"]');

      await waitForScreen(frame, 'proof_of_funds_screen');
      await audit.check(frame, 'proof_of_funds_screen');
      await frame.selectOption('[data-testid="funds-type"]', 'payslip');
      await frame.setInputFiles('[data-testid="proof-file-input"]', { name: 'payslip.png', mimeType: 'image/png', buffer: await payslipPng() });
      await frame.waitForSelector('[data-testid="review-image"]');
      await frame.click('[data-testid="proof-submit"]');

      // Phone: country and number, then the code from the outbox (a sandbox session: the sandbox private key reads it).
      await waitForScreen(frame, 'phone_verification_start_screen');
      await frame.waitForSelector('[data-testid="phone-number"]');
      await audit.check(frame, 'phone_verification_start_screen: number');
      await frame.selectOption('[data-testid="phone-country"]', 'GB');
      await frame.fill('[data-testid="phone-number"]', '7400 123456');
      await frame.click('[data-testid="phone-send"]');
      await frame.waitForSelector('[data-testid="otp-code"]');
      await audit.check(frame, 'phone_verification_start_screen: code');
      await frame.fill('[data-testid="otp-code"]', await outboxCode(t, sessionId, 'sms', TEST_KEYS.sandboxPrivate));
      await frame.click('[data-testid="otp-verify"]');

      await waitForScreen(frame, 'email_verification_start_screen');
      await frame.waitForSelector('[data-testid="email-address"]');
      await audit.check(frame, 'email_verification_start_screen: address');
      await frame.fill('[data-testid="email-address"]', 'alex@example.com');
      await frame.click('[data-testid="email-send"]');
      await frame.waitForSelector('[data-testid="otp-code"]');
      await audit.check(frame, 'email_verification_start_screen: code');
      await frame.fill('[data-testid="otp-code"]', await outboxCode(t, sessionId, 'email', TEST_KEYS.sandboxPrivate));
      await frame.click('[data-testid="otp-verify"]');

      await waitForScreen(frame, 'completed_screen');
      await audit.check(frame, 'completed_screen');

      // The integrator page got §7 `start` and `complete` from the hosted page's origin and shows the result.
      await page.waitForSelector('[data-testid="demo-outcome"][data-status="complete"]');
      await audit.check(page, 'demo result');
      const posted = (await messages()).filter((m) => m.data?.type === 'bynn-verification');
      const statuses = posted.map((m) => m.data.status);
      assert.deepEqual(statuses, ['start', 'complete'], JSON.stringify(posted));
      for (const m of posted) {
        assert.equal(m.origin, t.url);
        assert.equal(m.data.sessionId, sessionId);
      }
      const log = await page.textContent('[data-testid="demo-log"]');
      assert.match(log ?? '', new RegExp(`complete · session ${sessionId}`));

      // The server's record: submitted, with Bynn's event names for each step.
      const session = await sessionOf(t, sessionId, TEST_KEYS.sandboxPrivate);
      assert.equal(session.status, 'submitted');
      const events = await eventTypesOf(t, sessionId, TEST_KEYS.sandboxPrivate);
      for (const name of ['session.created', 'session.consent.accept', 'session.id_document_front.received', 'session.id_document_back.received', 'session.liveness.started', 'session.poa.received', 'proof_of_funds.received', 'session.completed']) {
        assert.ok(events.includes(name), `${name} in ${events.join(', ')}`);
      }
      test.diagnostic(`events: ${events.join(', ')}`);
    });
    test.diagnostic(`axe-core audited ${audit.checked.length} screens: ${audit.checked.join(' | ')}`);
    await deskContext.close();
    audit.assertClean();
  });

  it('with web_sdk_return_url, the top-level hosted page ends on the integrator’s return page', async () => {
    const audit = new A11yAudit();
    const level = await createLevel(t, { name: 'e2e_address_only', steps: [{ type: 'proof_of_address' }] });
    const returnUrl = `${site.url}/done`;
    const { session_id: sessionId, url } = await createSession(t, { kyc_level: level, web_sdk_return_url: returnUrl });
    const context = await newContext(desk);
    const page = await context.newPage();
    // The hosted page leaves for the return URL 2.5 s after completion; on a busy machine axe can take longer than
    // that, so the navigation is held (the old document stays) until the audit of the final screen is done.
    let audited!: () => void;
    const auditDone = new Promise<void>((resolve) => (audited = resolve));
    await page.route((u) => u.href.startsWith(returnUrl), async (route) => {
      await auditDone;
      await route.continue();
    });
    await page.goto(url);
    await waitForScreen(page, 'consent_screen');
    await page.click('[data-testid="consent-accept"]');
    await waitForScreen(page, 'proof_of_address_screen');
    await page.setInputFiles('[data-testid="proof-file-input"]', { name: 'bill.pdf', mimeType: 'application/pdf', buffer: utilityBillPdf() });
    await page.click('[data-testid="proof-submit"]');
    await waitForScreen(page, 'completed_screen');
    // The final screen says where it is going, with a link that works even if navigation were blocked.
    const link = await page.waitForSelector('[data-testid="return-link"]');
    assert.equal(await link.getAttribute('href'), `${returnUrl}?session_id=${sessionId}&status=complete`);
    await audit.check(page, 'completed_screen: redirecting');
    audited();
    await page.waitForURL(`${returnUrl}?session_id=${sessionId}&status=complete`);
    await page.waitForSelector('#back');
    assert.ok(site.requests.includes(`/done?session_id=${sessionId}&status=complete`), site.requests.join(', '));
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.private)).status, 'submitted');
    await context.close();
    audit.assertClean();
  });
});
