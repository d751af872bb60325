// The UI shell over a FlowDriver: header (brand, language, progress), one screen per `screen.show`, the
// connection banner, the live region, the phone hand-off, and page-level problems. It never decides the order
// of screens: it renders what the driver emits (protocol §1). Which module renders which screen is in
// load-screen.ts; the connection banner in connection-banner.ts.
import type { Preflight, ScreenShow, SessionApplicantView } from '@tessera/protocol';
import { isFinalScreen } from '../driver/fallback-interval.ts';
import type { DriverError, FlowDriver } from '../driver/types.ts';
import { accessiblePrimary, usableLogo } from './brand.ts';
import { spinner } from './components.ts';
import { createConnectionBanner } from './connection-banner.ts';
import { h, replaceKids } from './dom.ts';
import { isFatal } from './errors.ts';
import { createTranslator, directionOf, type Dictionary, LANGUAGE_NAMES, loadDictionary, resolveLanguage, SUPPORTED_LANGUAGES, type Language, type Translator } from './i18n/i18n.ts';
import { en } from './i18n/en.ts';
import { icon } from './icons.ts';
import { loadScreen } from './load-screen.ts';
import type { ScreenContext, ScreenView } from './screen-context.ts';
import { showRedirect } from './screens/final-screen.ts';
import { problemScreen, type Problem } from './screens/problem-screen.ts';

export interface FlowUiOptions {
  /** Offer "continue on your phone" (QR + link). Default: on devices that aren't touch-first. */
  handoff?: boolean;
  /** Upload limit told to the applicant, in MB (default 15, the server's default). */
  maxUploadMb?: number;
  /** Force a language instead of the session's `i18n`. */
  language?: string;
}

export interface FlowUi {
  readonly element: HTMLElement;
  /** A page-level problem instead of the current screen (offline before load, session gone, …). */
  showProblem(problem: Problem, retry?: () => void): void;
  /** On the final screen: "taking you back" and a link to `url` (the navigation itself is the host's job). */
  showRedirect(url: string): void;
  destroy(): void;
}

export function detectMobile(): boolean {
  if (typeof navigator === 'undefined') return false;
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent)) return true;
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches && !matchMedia('(any-pointer: fine)').matches;
}

export function mountFlowUi(host: HTMLElement, driver: FlowDriver, options: FlowUiOptions = {}): FlowUi {
  let t: Translator = createTranslator('en', en);
  let session: SessionApplicantView | null = driver.session;
  let ready = false;
  let latest: Preflight | null = driver.current;
  let current: { show: ScreenShow; view: ScreenView } | null = null;
  let handoff: { follow(p: Preflight): void } | null = null;
  let renderSeq = 0;
  let pendingRedirect: string | null = null;
  let problemShown = false;
  let lastProblem: [Problem, (() => void) | undefined] | null = null;
  const isMobile = detectMobile();
  const offerHandoff = options.handoff ?? !isMobile;
  const maxUploadMb = options.maxUploadMb ?? 15;
  const unsubscribe: (() => void)[] = [];

  // ---- frame ----------------------------------------------------------------------------------------
  const brand = h('div', { class: 'tsr-brand' });
  const languageSelect = h('select', { class: 'tsr-lang-select', 'data-testid': 'language' }, SUPPORTED_LANGUAGES.map((l) => h('option', { value: l, lang: l }, LANGUAGE_NAMES[l])));
  const languageLabel = h('label', { class: 'tsr-visually-hidden', for: 'tsr-language' });
  languageSelect.id = 'tsr-language';
  const progressText = h('p', { class: 'tsr-progress-text', 'data-testid': 'progress' });
  const progressFill = h('div', { class: 'tsr-progress-fill' });
  const progress = h('div', { class: 'tsr-progress', hidden: true }, progressText, h('div', { class: 'tsr-progress-track', 'aria-hidden': 'true' }, progressFill));
  const banner = createConnectionBanner(() => t, announce);
  const loading = spinner(en['app.loading']);
  const main = h('main', { class: 'tsr-main', id: 'tsr-main' }, loading);
  const live = h('div', { class: 'tsr-visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'live-region' });
  const footerHandoff = h('button', { type: 'button', class: 'tsr-link-btn', 'data-testid': 'handoff-footer', hidden: true, onclick: () => void enterHandoff() });
  const poweredBy = h('span', { class: 'tsr-powered' });
  const footer = h('footer', { class: 'tsr-footer' }, poweredBy, footerHandoff);
  const card = h('div', { class: 'tsr-card' }, h('header', { class: 'tsr-header' }, h('div', { class: 'tsr-header-row' }, brand, h('div', { class: 'tsr-lang' }, languageLabel, languageSelect)), progress), banner.element, main, footer);
  const element = h('div', { class: 'tsr-app' }, card, live);
  host.replaceChildren(element);

  languageSelect.addEventListener('change', () => void setLanguage(languageSelect.value as Language, true));

  function announce(message: string): void {
    if (!message) return;
    live.textContent = '';
    setTimeout(() => (live.textContent = message), 60);
  }

  function paintChrome(): void {
    const lang = t.language;
    element.lang = lang;
    element.dir = directionOf(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = element.dir;
    languageSelect.value = lang;
    languageLabel.textContent = t('app.language');
    poweredBy.replaceChildren(icon('check', 'tsr-icon tsr-lock'), t('app.poweredBy'));
    footerHandoff.replaceChildren(icon('qr'), t('handoff.offer'));
    const name = session?.branding.name ?? null;
    const logo = usableLogo(session?.branding.logo_url, location.origin);
    replaceKids(brand, logo ? h('img', { class: 'tsr-logo', src: logo, alt: name ?? '' }) : null, h('span', { class: 'tsr-brand-name' }, name ?? t('app.title')));
    paintProgress();
  }

  function paintProgress(): void {
    const show = latest?.screen.show;
    const type = latest?.requirement?.requirement_type;
    const steps = session ? [...session.steps].sort((a, b) => a.flow_order - b.flow_order).map((s) => s.requirement_type) : [];
    const index = type && type !== 'consent' ? steps.indexOf(type) : -1;
    const visible = !!show && !isFinalScreen(show) && !handoff && index >= 0 && steps.length > 1;
    progress.hidden = !visible;
    if (visible) {
      progressText.textContent = t('app.progress', { current: index + 1, total: steps.length });
      progressFill.style.width = `${Math.round(((index + 1) / steps.length) * 100)}%`;
    }
    footerHandoff.hidden = !offerHandoff || !!handoff || !show || isFinalScreen(show) || problemShown;
  }

  let languageSeq = 0;
  async function setLanguage(language: Language, remount: boolean): Promise<void> {
    const mine = ++languageSeq;
    let dictionary: Dictionary = en;
    try {
      dictionary = await loadDictionary(language);
    } catch {
      language = 'en'; // a chunk that fails to load (offline) must not leave the page without words
    }
    if (mine !== languageSeq) return;
    t = createTranslator(language, dictionary);
    paintChrome();
    loading.querySelector('.tsr-spinner-label')?.replaceChildren(t('app.loading'));
    if (!remount) return;
    if (lastProblem) showProblem(...lastProblem);
    else if (handoff) {
      handoff = null;
      void enterHandoff();
    } else if (latest) {
      dropCurrent();
      void render(latest, true);
    }
  }

  // ---- screens --------------------------------------------------------------------------------------
  function contextFor(preflight: Preflight): ScreenContext {
    return { driver, preflight, session: session!, t, announce, handoff: offerHandoff ? () => void enterHandoff() : null, isMobile, maxUploadMb };
  }

  function mount(root: HTMLElement, label: string | null): void {
    main.replaceChildren(root);
    const heading = root.querySelector<HTMLElement>('h1');
    document.title = `${heading?.textContent || label || t('app.title')} · ${t('app.title')}`;
    heading?.focus({ preventScroll: true });
    // A new screen starts at its top (the previous one may have been scrolled to its buttons).
    if (heading && heading.getBoundingClientRect().top < 0) heading.scrollIntoView({ block: 'start' });
  }

  function dropCurrent(): void {
    current?.view.destroy?.();
    current = null;
  }

  async function render(preflight: Preflight, force = false): Promise<void> {
    latest = preflight;
    if (!ready || !session) return;
    const show = preflight.screen.show;
    problemShown = false;
    lastProblem = null;
    if (handoff && !isFinalScreen(show)) {
      handoff.follow(preflight);
      paintProgress();
      return;
    }
    handoff = null;
    paintProgress();
    if (!force && current?.show === show && current.view.update?.(preflight)) return;
    const seq = ++renderSeq;
    let view: ScreenView;
    try {
      const factory = await loadScreen(show);
      if (seq !== renderSeq) return;
      view = await factory(contextFor(preflight));
    } catch (error) {
      if (seq !== renderSeq) return;
      console.error('tessera: could not show', show, error);
      return showProblem(navigator.onLine === false ? 'offline' : 'error', () => void render(preflight, true));
    }
    if (seq !== renderSeq) return view.destroy?.();
    dropCurrent();
    current = { show, view };
    mount(view.root, null);
    if (isFinalScreen(show) && pendingRedirect) showRedirect(view.root, t, pendingRedirect);
  }

  async function enterHandoff(): Promise<void> {
    if (!session || handoff) return;
    const seq = ++renderSeq;
    try {
      const { handoffView } = await import('./handoff/handoff-view.ts');
      if (seq !== renderSeq) return;
      const nfcOnly = latest?.screen.show === 'nfc_capture_screen';
      const view = handoffView({ t, url: session.url, announce, onBack: nfcOnly ? null : exitHandoff });
      dropCurrent();
      handoff = view;
      if (latest) view.follow(latest);
      mount(view.root, null);
      paintProgress();
    } catch (error) {
      console.error('tessera: hand-off unavailable', error);
    }
  }

  function exitHandoff(): void {
    handoff = null;
    if (latest) void render(latest, true);
  }

  function showProblem(problem: Problem, retry?: () => void): void {
    lastProblem = [problem, retry];
    ++renderSeq;
    dropCurrent();
    handoff = null;
    problemShown = true;
    mount(problemScreen(t, problem, retry), null);
    paintProgress();
    announce(main.querySelector('h1')?.textContent ?? '');
  }

  // ---- driver events --------------------------------------------------------------------------------
  unsubscribe.push(
    driver.on('session', (s) => {
      const first = session === null || !ready;
      session = s;
      element.style.setProperty('--tsr-primary', accessiblePrimary(s.branding.primary_color));
      if (first) {
        void setLanguage(resolveLanguage(options.language ?? s.i18n), false).then(() => {
          ready = true;
          if (latest) void render(latest);
        });
      } else paintChrome();
    }),
    driver.on('screen', (preflight) => void render(preflight)),
    driver.on('connection', banner.set),
    driver.on('error', (error: DriverError) => {
      if (!isFatal(error)) return;
      if (latest && isFinalScreen(latest.screen.show)) return;
      showProblem(error.type === 'not_found' ? 'not_found' : 'gone');
    }),
  );
  if (session) {
    void setLanguage(resolveLanguage(options.language ?? session.i18n), false).then(() => {
      ready = true;
      if (latest) void render(latest);
    });
  } else {
    // Until the session names its language, problems (offline, link gone) speak the browser's.
    void setLanguage(resolveLanguage(options.language ?? (typeof navigator === 'undefined' ? 'en' : navigator.language)), false);
  }

  return {
    element,
    showProblem,
    showRedirect(url) {
      pendingRedirect = url;
      if (current && isFinalScreen(current.show)) showRedirect(current.view.root, t, url);
    },
    destroy() {
      unsubscribe.forEach((off) => off());
      banner.destroy();
      dropCurrent();
      element.remove();
    },
  };
}
