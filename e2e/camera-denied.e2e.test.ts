// The applicant says no to the camera (a browser without the fake media UI, and a context that never grants the
// permission: getUserMedia answers NotAllowedError). On a level that allows manual upload the page explains what
// happened, offers the upload, and the flow moves on with an uploaded photo; on a level that does not, the way out
// is the QR hand-off to a phone (a QR code and a copyable link to the same session).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { A11yAudit, launchBrowser, newContext } from './browser.ts';
import { idCardFrame } from './fixtures/make-camera-feed.ts';
import { createLevel, createSession, sessionOf, TEST_KEYS, waitForScreen } from './harness.ts';

describe('camera denied', () => {
  let t: TestServer;
  let browser: Browser;
  let cardJpeg: Buffer;

  before(async () => {
    [t, browser, cardJpeg] = await Promise.all([startTestServer(), launchBrowser({ fakeUi: false }), idCardFrame()]);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await t?.close();
  });

  /** Opens a new session of `level` in a context without the camera permission, and accepts the consent. */
  async function openDenied(level: string): Promise<{ page: Page; sessionId: string; url: string; close(): Promise<void> }> {
    const { session_id: sessionId, url } = await createSession(t, { kyc_level: level });
    const context = await newContext(browser, { camera: false });
    const page = await context.newPage();
    await page.goto(url);
    await waitForScreen(page, 'consent_screen');
    await page.click('[data-testid="consent-accept"]');
    await waitForScreen(page, 'scan_id_document_front_screen');
    await page.check('[data-testid="doc-type-id_card"]');
    await page.click('[data-testid="doc-type-continue"]');
    return { page, sessionId, url, close: () => context.close() };
  }

  it('upload allowed: clear instructions, then an uploaded photo moves the flow on', async () => {
    const audit = new A11yAudit();
    const level = await createLevel(t, {
      name: 'e2e_upload_allowed',
      steps: [{ type: 'identity_document', screen: { allow_manual_upload: true } }, { type: 'proof_of_address' }],
    });
    const { page, sessionId, close } = await openDenied(level);

    const problem = await page.waitForSelector('[data-panel="camera-problem"][data-problem="denied"]');
    const text = (await problem.textContent()) ?? '';
    assert.match(text, /camera/i, `the panel says what happened: ${text}`);
    assert.ok(await page.isVisible('[data-testid="camera-retry"]'), 'a way to try the camera again');
    assert.ok(await page.isVisible('[data-testid="camera-upload"]'), 'the upload fallback is offered');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H2', 'focus moves to the explanation');
    await audit.check(page, 'scan_id_document_front_screen: camera denied (upload allowed)');

    // The button opens the native file dialog; the test answers it with the card photo.
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid="camera-upload"]');
    await (await chooser).setFiles({ name: 'id-front.jpg', mimeType: 'image/jpeg', buffer: cardJpeg });
    await page.waitForSelector('[data-testid="review-image"]');
    await audit.check(page, 'scan_id_document_front_screen: review of the upload');
    await page.click('[data-testid="review-use"]');

    await waitForScreen(page, 'scan_id_document_back_screen');
    await page.waitForSelector('[data-panel="camera-problem"][data-problem="denied"]');
    await page.setInputFiles('[data-testid="upload-input"]', { name: 'id-back.jpg', mimeType: 'image/jpeg', buffer: cardJpeg });
    await page.click('[data-testid="review-use"]');

    await waitForScreen(page, 'proof_of_address_screen');
    const session = await sessionOf(t, sessionId, TEST_KEYS.private);
    const check = (session.checks as { requirement_type: string; status: string; media_ids: string[] }[]).find((c) => c.requirement_type === 'identity_document');
    assert.equal(check?.status, 'received', JSON.stringify(session.checks));
    assert.equal(check?.media_ids.length, 2, 'front and back uploads are on record');
    await close();
    audit.assertClean();
  });

  it('upload not allowed: the QR hand-off to a phone, with a copyable link to the same session', async () => {
    const audit = new A11yAudit();
    const level = await createLevel(t, { name: 'e2e_camera_only', steps: [{ type: 'identity_document', screen: { allow_manual_upload: false } }] });
    const { page, url, close } = await openDenied(level);

    await page.waitForSelector('[data-panel="camera-problem"][data-problem="denied"]');
    assert.equal(await page.$('[data-testid="camera-upload"]'), null, 'no upload where the level forbids it');
    assert.equal(await page.$('[data-testid="upload-input"]'), null);
    await audit.check(page, 'scan_id_document_front_screen: camera denied (no upload)');
    await page.click('[data-testid="handoff-open"]');

    await waitForScreen(page, 'handoff');
    const qr = await page.waitForSelector('[data-testid="handoff-qr"]');
    assert.equal(await qr.getAttribute('role'), 'img');
    assert.ok(await qr.getAttribute('aria-label'), 'the QR code is labelled');
    const box = await qr.boundingBox();
    assert.ok(box && box.width >= 120 && box.height >= 120, `a scannable size: ${JSON.stringify(box)}`);
    assert.equal(await page.inputValue('[data-testid="handoff-link"]'), url, 'the link continues the same session');
    await page.click('[data-testid="handoff-copy"]');
    await page.waitForFunction(() => (document.querySelector('.tsr-copied')?.textContent ?? '').length > 0);
    await audit.check(page, 'handoff');

    // And back: the applicant can still return to this device.
    await page.click('[data-testid="handoff-back"]');
    await waitForScreen(page, 'scan_id_document_front_screen');
    await close();
    audit.assertClean();
  });
});
