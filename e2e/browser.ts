// Browser helpers for the end-to-end tests: Debian Chromium driven by playwright-core with a fake camera fed from an
// MJPEG file, and an axe-core runner that collects serious/critical accessibility violations per screen.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';

/** Flags from ../shared/notes/dependencies.md: no sandbox (CI runs as root), nothing fetched from outside. */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const FAKE_MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

export interface LaunchOptions {
  /** Absolute path of an MJPEG file: the one camera this browser has. Without it, Chromium's built-in pattern. */
  feed?: string;
  /** Accept camera prompts without asking (default true). False: the browser behaves like an applicant who says no. */
  fakeUi?: boolean;
}

/** One browser per camera feed: Chromium reads `--use-file-for-fake-video-capture` once per launch (≈ 0.7 s). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const args = [...BASE_ARGS, ...((options.fakeUi ?? true) ? FAKE_MEDIA_ARGS : ['--use-fake-device-for-media-stream'])];
  if (options.feed) args.push(`--use-file-for-fake-video-capture=${options.feed}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

export interface ContextOptions {
  /** Grant the camera to every origin (default true). */
  camera?: boolean;
}

/** A fresh context (no cookies, no storage) with the camera granted; viewport large enough for the modal launcher. */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  if (options.camera ?? true) await context.grantPermissions(['camera']);
  context.setDefaultTimeout(20_000);
  return context;
}

// ---- accessibility ------------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

export interface A11yFinding {
  screen: string;
  violations: AxeViolation[];
}

/**
 * Runs axe-core on the screens a test passes through. The hosted page's CSP (script-src 'self') blocks injected
 * <script> tags, so axe is evaluated through the DevTools protocol (`frame.evaluate`), which CSP does not govern.
 * Each check is recorded; `assertClean()` fails the test once, at the end, with every serious or critical
 * violation listed by screen — so one finding does not hide the others.
 */
export class A11yAudit {
  readonly checked: string[] = [];
  readonly findings: A11yFinding[] = [];

  /** Audits the document of `target` (a page or an iframe's frame), labelled `screen` in the report. */
  async check(target: Page | Frame, screen: string): Promise<void> {
    const frame = 'mainFrame' in target ? target.mainFrame() : target;
    const loaded = await frame.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
    if (!loaded) await frame.evaluate(AXE_SOURCE);
    const violations = await frame.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      // The page's own document only: a framed hosted page is audited in its own frame.
      const result = await axe.run(document, { iframes: false, resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary ?? '' })) }));
    });
    this.checked.push(screen);
    if (violations.length > 0) this.findings.push({ screen, violations });
  }

  report(): string {
    return this.findings
      .map(({ screen, violations }) =>
        [`screen ${screen}:`, ...violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${JSON.stringify(n.target)} ${n.html}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`).join('\n')}`)].join('\n'),
      )
      .join('\n');
  }

  assertClean(): void {
    if (this.findings.length > 0) {
      throw new Error(`axe-core found serious/critical violations on ${this.findings.length} of ${this.checked.length} screens:\n${this.report()}`);
    }
  }
}
