// Declining consent (protocol §4.4): the page asks once more, then the session is canceled for good — the hosted
// page shows cancel_screen, the API says `canceled`, and when framed by the launcher the parent gets §7 `cancel`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { A11yAudit, launchBrowser, newContext } from './browser.ts';
import { api, createSession, sessionOf, TEST_KEYS, waitForScreen } from './harness.ts';

describe('consent declined', () => {
  let t: TestServer;
  let browser: Browser;

  before(async () => {
    [t, browser] = await Promise.all([startTestServer({ TESSERA_DEMO: 'true' }), launchBrowser()]);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await t?.close();
  });

  it('top level: decline asks again, "back" keeps the session, confirming cancels it', async () => {
    const audit = new A11yAudit();
    const { session_id: sessionId, url } = await createSession(t, { kyc_level: 'basic' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await waitForScreen(page, 'consent_screen');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus starts on the screen heading');

    await page.click('[data-testid="consent-decline"]');
    await page.waitForSelector('[data-testid="consent-confirm"][role="alertdialog"]');
    await audit.check(page, 'consent_screen: confirm decline');
    await page.click('[data-testid="consent-decline-back"]');
    await page.waitForSelector('[data-testid="consent-accept"]');
    assert.equal(await page.$('[data-testid="consent-confirm"]'), null);
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.private)).status, 'created', 'going back changes nothing');

    await page.click('[data-testid="consent-decline"]');
    await page.click('[data-testid="consent-decline-confirm"]');
    await waitForScreen(page, 'cancel_screen');
    await audit.check(page, 'cancel_screen');
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.private)).status, 'canceled');
    assert.equal((await api(t.url, 'GET', `/v1/sessions/${sessionId}`)).status, 410, 'the applicant view is gone');

    // Coming back to the link later: a clear "this link has ended", never a blank page.
    await page.reload();
    const gone = await page.waitForSelector('[data-screen="problem"][data-problem="gone"]');
    assert.match((await gone.textContent()) ?? '', /\w{3,}/);
    await audit.check(page, 'problem: gone (after reload)');
    await context.close();
    audit.assertClean();
  });

  it('framed by the launcher: the parent gets §7 `cancel` and the demo closes the dialog', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __posted: unknown[] };
      w.__posted = [];
      window.addEventListener('message', (event) => w.__posted.push({ origin: event.origin, data: event.data }));
    });
    await page.goto(`${t.url}/demo`);
    await page.selectOption('#demo-level', 'basic');
    await page.click('[data-testid="demo-start"]');
    const frame = await (await page.waitForSelector('[role="dialog"] iframe')).contentFrame();
    assert.ok(frame);
    await waitForScreen(frame, 'consent_screen');
    const sessionId = /\/verify\/([0-9A-Za-z]{24})/.exec(frame.url())![1]!;
    await frame.click('[data-testid="consent-decline"]');
    await frame.click('[data-testid="consent-decline-confirm"]');

    await page.waitForSelector('[data-testid="demo-outcome"][data-status="cancel"]');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    const posted = (await page.evaluate(() => (window as unknown as { __posted: { origin: string; data: { type?: string; status?: string; sessionId?: string } }[] }).__posted))
      .filter((m) => m.data?.type === 'bynn-verification');
    assert.deepEqual(posted.map((m) => m.data.status), ['start', 'cancel']);
    assert.ok(posted.every((m) => m.origin === t.url && m.data.sessionId === sessionId), JSON.stringify(posted));
    assert.equal((await sessionOf(t, sessionId, TEST_KEYS.sandboxPrivate)).status, 'canceled');
    await context.close();
  });
});
