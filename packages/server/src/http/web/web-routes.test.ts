// The browser-facing routes: the hosted page at the session `url` (§7) with its strict CSP, the /sdk bundles
// (caching, ETag, lazy chunks, the weight budget) and the /demo page of embedded mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { api, startTestServer, TEST_KEYS, type TestServer } from '../../testing/start-test-server.ts';

const HOSTED_BUDGET_GZIP = 120 * 1024;

async function createSession(t: TestServer, key: string = TEST_KEYS.public): Promise<{ session_id: string; url: string }> {
  const res = await api(t.url, 'POST', '/v1/sessions', { key, body: { kyc_level: 'basic' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const scriptSources = (html: string) => [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1] ?? null);
const stylesheets = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
const preloads = (html: string) => [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]!);
const gz = async (t: TestServer, path: string) => gzipSync(Buffer.from(await (await fetch(t.url + path)).arrayBuffer()), { level: 9 }).length;

describe('web routes (no demo: a DATABASE_URL is set)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('serves the hosted page at the session url, with a strict CSP and no inline code', async () => {
    const { session_id, url } = await createSession(t);
    assert.equal(new URL(url).pathname, `/verify/${session_id}`);
    const res = await fetch(`${t.url}/verify/${session_id}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      'frame-ancestors *',
    ]) {
      assert.ok(csp.split('; ').includes(directive), `CSP has ${directive}: ${csp}`);
    }
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/(?!127\.0\.0\.1)/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(self\)/);
    assert.equal(res.headers.get('x-frame-options'), null, 'embeddable by integrators');

    const html = await res.text();
    const scripts = scriptSources(html);
    assert.ok(scripts.length >= 1 && scripts.every((src) => src !== null && src.startsWith('/sdk/')), 'only our own external scripts');
    assert.doesNotMatch(html, /\sstyle=|<style|\son[a-z]+=/i, 'no inline style or handler');
    assert.doesNotMatch(html, /https?:\/\//, 'no third-party (or any absolute) URL');
    assert.match(html, /Loading your verification/, 'something to read before the script runs');
    assert.match(html, /<noscript>/);
    assert.doesNotMatch(html, /data-test-hooks/, 'the browser-test hook is off outside demo mode');
  });

  it('answers 404 with a page for a malformed or unknown id', async () => {
    for (const path of ['/verify/not-an-id', '/verify/AAAAAAAAAAAAAAAAAAAAAAAA', '/verify/%3Cscript%3E']) {
      const res = await fetch(t.url + path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok(res.headers.get('content-security-policy'));
      const html = await res.text();
      assert.match(html, /couldn’t find this verification/);
      assert.doesNotMatch(html, /<script/);
    }
  });

  it('still serves the page for a canceled session: the page explains the link has ended', async () => {
    const { session_id } = await createSession(t);
    assert.equal((await api(t.url, 'PATCH', `/v1/sessions/${session_id}/consent?gives_consent=false`)).status, 200);
    assert.equal((await fetch(`${t.url}/verify/${session_id}`)).status, 200);
  });

  it('serves the bundles: JavaScript and CSS, ETag and 304, long cache for versioned and hashed files', async () => {
    const { session_id } = await createSession(t);
    const html = await (await fetch(`${t.url}/verify/${session_id}`)).text();
    const [js] = scriptSources(html);
    const [css] = stylesheets(html);
    assert.match(js!, /^\/sdk\/hosted\.js\?v=[\w-]+$/);
    assert.match(css!, /^\/sdk\/hosted\.css\?v=[\w-]+$/);

    const script = await fetch(t.url + js);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(script.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
    const etag = script.headers.get('etag');
    assert.match(etag ?? '', /^"[\w-]+"$/);
    const body = await script.text();
    assert.ok(body.length > 1000 && !body.includes('sourceMappingURL'));
    assert.match(body, /import/, 'an ES module with chunks');

    const unversioned = await fetch(`${t.url}/sdk/hosted.js`, { headers: { 'if-none-match': etag! } });
    assert.equal(unversioned.status, 304);
    assert.match(unversioned.headers.get('cache-control') ?? '', /must-revalidate/);

    const style = await fetch(t.url + css);
    assert.equal(style.status, 200);
    assert.match(style.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await style.text(), /\.tsr-app/);

    for (const chunk of preloads(html)) {
      const res = await fetch(t.url + chunk);
      assert.equal(res.status, 200, chunk);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/);
    }
    assert.equal((await fetch(`${t.url}/sdk/launcher.js`)).status, 200);
    assert.equal((await fetch(`${t.url}/sdk/launcher.js`)).headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${t.url}/sdk/nope.js`)).status, 404);
    assert.equal((await fetch(`${t.url}/sdk/..%2Fpackage.json`)).status, 404);
  });

  it('keeps the hosted page within its weight budget and the camera code out of it', async () => {
    const { session_id } = await createSession(t);
    const html = await (await fetch(`${t.url}/verify/${session_id}`)).text();
    const initial = [...scriptSources(html), ...stylesheets(html), ...preloads(html)].filter((p): p is string => p !== null);
    let total = 0;
    let text = '';
    for (const path of initial) {
      total += await gz(t, path);
      text += await (await fetch(t.url + path)).text();
    }
    assert.ok(total <= HOSTED_BUDGET_GZIP, `initial JS+CSS ${total} B gzip > ${HOSTED_BUDGET_GZIP}`);
    assert.doesNotMatch(text, /getUserMedia/, 'camera code loads only with the camera screens');
    assert.doesNotMatch(text, /Verificación de identidad/, 'other languages load on demand');
  });

  it('has no /demo outside embedded mode', async () => {
    assert.equal((await fetch(`${t.url}/demo`)).status, 404);
  });
});

describe('demo page (TESSERA_DEMO=true)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ TESSERA_DEMO: 'true' });
  });
  after(() => t.close());

  it('serves an integrator page with a working sandbox public key and the levels, no inline script', async () => {
    const res = await fetch(`${t.url}/demo`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await res.text();
    assert.ok(scriptSources(html).every((src) => src?.startsWith('/sdk/demo.js')));
    assert.doesNotMatch(html, /\sstyle=|<style|\son[a-z]+=/i);
    for (const level of ['full', 'basic', 'contact']) assert.match(html, new RegExp(`<option value="${level}"`));
    for (const field of ['name', 'email', 'phone', 'level']) assert.match(html, new RegExp(`name="${field}"`));

    const key = /data-public-key="([^"]+)"/.exec(html)?.[1];
    assert.match(key ?? '', /^public_sandbox_[0-9A-Za-z]{16,}$/);
    const again = /data-public-key="([^"]+)"/.exec(await (await fetch(`${t.url}/demo`)).text())?.[1];
    assert.equal(again, key, 'one key per server process');
    const created = await createSession(t, key!);
    assert.ok(created.session_id);
    const session = await api(t.url, 'GET', `/v1/sessions/${created.session_id}`, { key: TEST_KEYS.sandboxPrivate });
    assert.equal(session.status, 200, 'the demo creates sandbox sessions');
  });

  it('marks the hosted page for the browser tests’ timer hook (demo mode only)', async () => {
    const { url } = await createSession(t);
    assert.match(await (await fetch(url)).text(), /<div id="tessera-root" data-test-hooks>/);
  });
});
