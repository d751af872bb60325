// The HTML the server sends: the hosted page shell, the demo integrator page and a small not-found page. No inline
// script or style anywhere (the CSP forbids both); everything dynamic is an escaped attribute or text.

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageAssets {
  css: string;
  js: string;
  /** Chunks the entry imports at once: preloaded so they download in parallel with it. */
  preload: string[];
}

const head = (title: string, assets: PageAssets) => `<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assets.css)}">
<script type="module" src="${escapeHtml(assets.js)}"></script>
${assets.preload.map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">`).join('\n')}`;

/**
 * The hosted flow page. Before the script runs it already shows the page frame and a loading line, and
 * <noscript> says what is missing: never a blank page.
 */
export function hostedPage(assets: PageAssets, options: { testHooks?: boolean } = {}): string {
  // data-test-hooks (demo mode only) lets the browser tests shorten the fallback timers: see web-sdk hosted/test-hooks.ts.
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
${head('Identity verification', assets)}
</head>
<body>
<div id="tessera-root"${options.testHooks ? ' data-test-hooks' : ''}>
<div class="tsr-app"><div class="tsr-card"><main class="tsr-main"><div class="tsr-spinner-wrap"><div class="tsr-spinner" aria-hidden="true"></div><p class="tsr-spinner-label">Loading your verification…</p></div></main></div></div>
</div>
<noscript><p>This verification needs JavaScript. Please enable it in your browser settings and reload the page.</p></noscript>
</body>
</html>
`;
}

export interface DemoPageInput {
  assets: PageAssets;
  publicKey: string;
  levels: string[];
}

const LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['es', 'Español'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['sv', 'Svenska'],
  ['pt', 'Português'],
];

/** The demo integrator page: the public key travels in a data attribute, read by demo.js. */
export function demoPage(input: DemoPageInput): string {
  const levels = input.levels.length > 0 ? input.levels : ['basic'];
  const preferred = levels.includes('full') ? 'full' : levels[0]!;
  const option = (value: string, label: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
${head('Tessera demo · Acme Bank', input.assets)}
</head>
<body>
<div id="tessera-demo" class="demo" data-public-key="${escapeHtml(input.publicKey)}">
<header class="demo-top"><div class="demo-top-inner"><span class="demo-logo">Acme Bank</span><span class="demo-badge">Sandbox demo</span></div></header>
<div class="demo-main">
<main class="demo-card">
<h1>Open your account</h1>
<p class="demo-lead">Before we can open your account, we need to verify your identity. It takes a few minutes.</p>
<form id="demo-form" class="demo-form" novalidate>
<div class="demo-field"><label for="demo-name">Full name</label><input id="demo-name" name="name" autocomplete="name" value="Alex Example"></div>
<div class="demo-row">
<div class="demo-field"><label for="demo-email">Email</label><input id="demo-email" name="email" type="email" autocomplete="email" value="alex@example.com"></div>
<div class="demo-field"><label for="demo-phone">Phone</label><input id="demo-phone" name="phone" type="tel" autocomplete="tel" aria-describedby="demo-phone-hint" value="+46701234567"><span id="demo-phone-hint" class="demo-hint">International format, e.g. +46 70 123 45 67</span></div>
</div>
<div class="demo-row">
<div class="demo-field"><label for="demo-level">Verification level</label><select id="demo-level" name="level">${levels.map((l) => option(l, l, l === preferred)).join('')}</select></div>
<div class="demo-field"><label for="demo-language">Language</label><select id="demo-language" name="language">${LANGUAGES.map(([code, name]) => option(code, name, code === 'en')).join('')}</select></div>
</div>
<button class="demo-button" type="submit" data-testid="demo-start">Verify my identity</button>
</form>
<section id="demo-result" class="demo-result" aria-labelledby="demo-result-title" hidden>
<h2 id="demo-result-title">Result</h2>
<p id="demo-outcome" class="demo-outcome" role="status" data-testid="demo-outcome"></p>
<ol id="demo-log" class="demo-log" data-testid="demo-log"></ol>
</section>
</main>
<aside class="demo-card demo-side">
<h2>What this page shows</h2>
<ol>
<li>It creates a <strong>sandbox</strong> session in the browser with a public key (<code>POST /v1/sessions</code>).</li>
<li>The launcher opens the hosted flow in a dialog (on phones it redirects instead).</li>
<li>The flow's messages become callbacks: the result appears here.</li>
</ol>
<p>Phone and email codes of the embedded mode are in the outbox: <code>GET /v1/outbox</code> with a private key.</p>
</aside>
</div>
</div>
</body>
</html>
`;
}

/** For an id that is malformed or unknown: the same look as the hosted page, no script needed. */
export function notFoundPage(css: string | null): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>Verification not found</title>${css ? `\n<link rel="stylesheet" href="${escapeHtml(css)}">` : ''}</head>
<body>
<div class="tsr-app"><div class="tsr-card"><main class="tsr-main">
<section class="tsr-screen tsr-tone-neutral" data-screen="problem" data-problem="not_found" aria-labelledby="nf-title">
<h1 id="nf-title" class="tsr-title tsr-center">We couldn’t find this verification</h1>
<div class="tsr-body"><p class="tsr-text tsr-center">Please check that you opened the complete link, or ask for a new one.</p></div>
</section>
</main></div></div>
</body>
</html>
`;
}
