// The hosted page inside an integrator's iframe (protocol §7), the way the public Bynn Web SDK launcher frames it:
// a page on another local origin frames the session `url` with allow="camera; microphone" and records `message`
// events. The hosted page must say `start` within 10 s, report its size (`resize`), say `cancel` on a declined
// consent, and post only to its parent's exact origin: never '*', which would hand the session id to any page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { A11yAudit, launchBrowser, newContext } from './browser.ts';
import { createSession, serveSite, waitForScreen, type LocalSite } from './harness.ts';

interface Received {
  origin: string;
  at: number;
  data: { type?: string; status?: string; sessionId?: string; width?: number; height?: number };
}

/** Records the page's `message` events with their time since navigation start. */
const RECORDER = `<script>window.__received = []; window.addEventListener('message', (e) => window.__received.push({ origin: e.origin, at: performance.now(), data: e.data }));</script>`;

describe('hosted page in an integrator’s iframe', () => {
  let t: TestServer;
  let browser: Browser;
  let integrator: LocalSite;
  let bystander: LocalSite;

  before(async () => {
    [t, browser, integrator, bystander] = await Promise.all([
      startTestServer(),
      launchBrowser(),
      serveSite({
        // The integrator: the hosted flow in a frame, and a widget of another origin on the same page.
        '/checkout': (req) => {
          const query = new URL(req.url ?? '/', 'http://x').searchParams;
          const src = query.get('src') ?? '';
          const other = query.get('other') ?? '';
          return `<!doctype html><html lang="en"><head><title>Checkout</title>${RECORDER}</head><body>
            <h1>Checkout</h1>
            <iframe id="flow" title="Identity verification" allow="camera; microphone" width="600" height="700" src="${src.replace(/"/g, '&quot;')}"></iframe>
            <iframe id="widget" title="Chat" width="200" height="100" src="${other.replace(/"/g, '&quot;')}"></iframe>
            </body></html>`;
        },
      }),
      serveSite({ '/widget': `<!doctype html><html lang="en"><head><title>Widget</title>${RECORDER}</head><body>chat</body></html>` }),
    ]);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.allSettled([integrator?.close(), bystander?.close()]);
    await t?.close();
  });

  it('posts start within 10 s, resize, and cancel — to the parent’s exact origin only', async () => {
    const audit = new A11yAudit();
    const { session_id: sessionId, url } = await createSession(t, { kyc_level: 'basic' });
    const context = await newContext(browser);
    // Inside the hosted page, watch the target origin of every postMessage to the parent. `window.parent` is
    // [Replaceable], so an init script (which CSP does not govern) can put a recording wrapper in its place.
    await context.addInitScript(() => {
      if (!location.pathname.startsWith('/verify/') || window.self === window.top) return;
      const real = window.parent;
      const targets: string[] = [];
      (window as unknown as { __targets: string[] }).__targets = targets;
      const wrapper = {
        postMessage(message: unknown, targetOrigin: string) {
          targets.push(String(targetOrigin));
          real.postMessage(message, targetOrigin);
        },
      };
      Object.defineProperty(window, 'parent', { value: wrapper, configurable: true });
    });
    const page = await context.newPage();
    await page.goto(`${integrator.url}/checkout?src=${encodeURIComponent(url)}&other=${encodeURIComponent(`${bystander.url}/widget`)}`);

    const flow = (await (await page.waitForSelector('#flow')).contentFrame()) as Frame;
    const widget = (await (await page.waitForSelector('#widget')).contentFrame()) as Frame;
    await waitForScreen(flow, 'consent_screen');
    await audit.check(flow, 'consent_screen (framed)');
    const received = () => page.evaluate(() => (window as unknown as { __received: Received[] }).__received);
    await page.waitForFunction(() => (window as unknown as { __received: Received[] }).__received.some((m) => m.data?.status === 'start'), null, { timeout: 10_000 });

    const start = (await received()).find((m) => m.data.status === 'start')!;
    assert.ok(start.at < 10_000, `start ${Math.round(start.at)} ms after the integrator page began loading`);
    assert.deepEqual(start.data, { type: 'bynn-verification', status: 'start', sessionId });

    // The confirmation replaces the consent text: the content height changes, and the frame is told.
    const resizesBefore = (await received()).filter((m) => m.data.type === 'resize');
    assert.ok(resizesBefore.length >= 1, 'a first resize arrives with the first screen');
    await flow.click('[data-testid="consent-decline"]');
    await flow.waitForSelector('[data-testid="consent-confirm"]');
    await page.waitForFunction((n) => (window as unknown as { __received: Received[] }).__received.filter((m) => m.data?.type === 'resize').length > n, resizesBefore.length);
    await flow.click('[data-testid="consent-decline-confirm"]');
    await waitForScreen(flow, 'cancel_screen');
    await audit.check(flow, 'cancel_screen (framed)');
    await page.waitForFunction(() => (window as unknown as { __received: Received[] }).__received.some((m) => m.data?.status === 'cancel'));

    const all = await received();
    const statuses = all.filter((m) => m.data.type === 'bynn-verification').map((m) => m.data.status);
    assert.deepEqual(statuses, ['start', 'cancel']);
    const resizes = all.filter((m) => m.data.type === 'resize');
    for (const r of resizes) {
      assert.ok(Number.isInteger(r.data.width) && r.data.width! > 0 && Number.isInteger(r.data.height) && r.data.height! > 0, JSON.stringify(r.data));
    }
    assert.ok(new Set(resizes.map((r) => r.data.height)).size >= 2, 'resize follows the content height');
    for (const m of all) assert.equal(m.origin, t.url, `every message comes from the hosted page’s origin: ${JSON.stringify(m)}`);

    // Addressed to the integrator's exact origin, every time; the other origin's frame on the page got nothing.
    const targets = await flow.evaluate(() => (window as unknown as { __targets: string[] }).__targets);
    assert.ok(targets.length === all.length && targets.length >= 4, `every message was seen leaving: ${targets.length} vs ${all.length}`);
    assert.deepEqual([...new Set(targets)], [integrator.url], 'target origin = the parent’s origin, never *');
    assert.deepEqual(await widget.evaluate(() => (window as unknown as { __received: unknown[] }).__received), []);
    await context.close();
    audit.assertClean();
  });
});
