// Building blocks every screen shares: the screen frame with its focusable heading, buttons, the inline error
// with its retry, the busy state of an action, and the resubmission notice.
import type { DriverError } from '../driver/types.ts';
import { h, uid, type Child } from './dom.ts';
import { asDriverError, errorMessageKey, isFatal } from './errors.ts';
import type { Translator } from './i18n/i18n.ts';
import { icon, type IconName } from './icons.ts';
import { reasonTexts } from './reasons.ts';

export interface Shell {
  root: HTMLElement;
  heading: HTMLHeadingElement;
  body: HTMLElement;
}

/**
 * One screen: `data-screen` names it (stable for tests and integrator CSS), the h1 takes focus when it
 * appears (tabindex -1: focusable by script, not in the tab order), and the section is labelled by it.
 */
export function screenShell(name: string, title: string, options: { icon?: IconName; tone?: 'brand' | 'neutral' | 'success' | 'danger' | 'warning' } = {}): Shell {
  const headingId = uid('h');
  const heading = h('h1', { id: headingId, class: 'tsr-title', tabindex: -1 }, title);
  const body = h('div', { class: 'tsr-body' });
  const root = h(
    'section',
    { class: `tsr-screen tsr-tone-${options.tone ?? 'brand'}`, 'data-screen': name, 'aria-labelledby': headingId },
    options.icon ? h('div', { class: 'tsr-hero' }, icon(options.icon, 'tsr-hero-icon')) : null,
    heading,
    body,
  );
  return { root, heading, body };
}

export interface ButtonOptions {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  testid?: string;
  type?: 'button' | 'submit';
  icon?: IconName;
  onClick?: (event: Event) => void;
}

export function button(label: string, options: ButtonOptions = {}): HTMLButtonElement {
  return h(
    'button',
    { type: options.type ?? 'button', class: `tsr-btn tsr-btn-${options.variant ?? 'primary'}`, 'data-testid': options.testid, onclick: options.onClick },
    options.icon ? icon(options.icon) : null,
    h('span', { class: 'tsr-btn-label' }, label),
  );
}

export const paragraph = (text: string, className = 'tsr-text'): HTMLParagraphElement => h('p', { class: className }, text);

export const actions = (...children: Child[]): HTMLDivElement => h('div', { class: 'tsr-actions' }, ...children);

export function spinner(label?: string): HTMLElement {
  return h('div', { class: 'tsr-spinner-wrap' }, h('div', { class: 'tsr-spinner', 'aria-hidden': 'true' }), label ? h('p', { class: 'tsr-spinner-label' }, label) : null);
}

/** Where a screen shows what went wrong with its last action; role=alert so it is read out at once. */
export interface ErrorSlot {
  el: HTMLElement;
  show(error: DriverError | string, retry?: () => void, extra?: string): void;
  clear(): void;
}

export function errorSlot(t: Translator): ErrorSlot {
  const el = h('div', { class: 'tsr-error-slot' });
  return {
    el,
    show(error, retry, extra) {
      const text = typeof error === 'string' ? error : t(errorMessageKey(error));
      const canRetry = retry && (typeof error === 'string' || error.retryable);
      el.replaceChildren(
        h(
          'div',
          { class: 'tsr-error', role: 'alert', 'data-testid': 'error', 'data-error-type': typeof error === 'string' ? 'local' : error.type },
          icon('alert'),
          h('div', { class: 'tsr-error-text' }, h('p', null, text), extra ? h('p', null, extra) : null),
          canRetry ? button(t('common.retry'), { variant: 'secondary', testid: 'error-retry', onClick: () => retry() }) : null,
        ),
      );
    },
    clear() {
      el.replaceChildren();
    },
  };
}

export interface RunOptions {
  /** Buttons and inputs disabled while the action runs. */
  controls: (HTMLButtonElement | HTMLInputElement | HTMLSelectElement)[];
  /** The button that shows the busy label. */
  busy?: HTMLButtonElement;
  busyLabel?: string;
  slot: ErrorSlot;
  t: Translator;
  /** Handles an error before the generic display; return true when it was dealt with. */
  onError?: (error: DriverError) => boolean;
}

/**
 * Runs one applicant action: controls disabled and the busy button labelled while in flight, the error shown
 * inline with a retry when `retryable`. A fatal error (session gone) is left to the page-level handler.
 */
export async function runAction(fn: () => Promise<unknown>, options: RunOptions): Promise<boolean> {
  const { controls, busy, slot, t } = options;
  const label = busy?.querySelector('.tsr-btn-label');
  const original = label?.textContent ?? '';
  slot.clear();
  controls.forEach((c) => (c.disabled = true));
  if (busy) busy.setAttribute('aria-busy', 'true');
  if (label && options.busyLabel) label.textContent = options.busyLabel;
  try {
    await fn();
    return true;
  } catch (raw) {
    const error = asDriverError(raw);
    if (!isFatal(error) && !options.onError?.(error)) {
      slot.show(error, () => void runAction(fn, options));
    }
    return false;
  } finally {
    controls.forEach((c) => (c.disabled = false));
    if (busy) busy.removeAttribute('aria-busy');
    if (label && options.busyLabel) label.textContent = original;
  }
}

/** "Please try again" with the reasons of the last capture in plain words, or null when there are none. */
export function reasonsNotice(t: Translator, reasons: unknown): HTMLElement | null {
  const texts = reasonTexts(reasons, t);
  if (texts.length === 0) return null;
  return h(
    'div',
    { class: 'tsr-notice tsr-notice-warning', role: 'status', 'data-testid': 'reasons' },
    icon('alert'),
    h('div', null, h('p', { class: 'tsr-notice-title' }, t('reasons.title')), h('p', null, t('reasons.intro')), h('ul', { class: 'tsr-reasons' }, texts.map((text) => h('li', null, text)))),
  );
}

/** A labelled form field: label, optional hint, the control, and an error line wired with aria-describedby. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): { el: HTMLElement; setError(text: string | null): void } {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint ? h('p', { class: 'tsr-hint', id: uid('hint') }, hint) : null;
  const errorEl = h('p', { class: 'tsr-field-error', id: uid('err'), hidden: true });
  const describe = () => {
    const ids = [hintEl?.id, errorEl.hidden ? null : errorEl.id].filter(Boolean).join(' ');
    if (ids) control.setAttribute('aria-describedby', ids);
    else control.removeAttribute('aria-describedby');
  };
  describe();
  return {
    el: h('div', { class: 'tsr-field' }, h('label', { class: 'tsr-label', for: id }, label), hintEl, control, errorEl),
    setError(text) {
      errorEl.textContent = text ?? '';
      errorEl.hidden = !text;
      if (text) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe();
    },
  };
}
