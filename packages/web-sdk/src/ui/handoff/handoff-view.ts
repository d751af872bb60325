// The cross-device hand-off: a QR code and a copyable link that open this same session on a phone. The page
// stays subscribed, so it follows the phone's progress and finishes when the phone does. Loaded on demand.
import { generate } from 'lean-qr/nano';
import type { Preflight } from '@tessera/protocol';
import { actions, button, paragraph, screenShell } from '../components.ts';
import { append, h, svg, uid } from '../dom.ts';
import type { MessageKey, Translator } from '../i18n/i18n.ts';
import { icon } from '../icons.ts';
import { qrPath, qrViewSize } from './qr-path.ts';

export interface HandoffOptions {
  t: Translator;
  url: string;
  announce(message: string): void;
  /** Back to this device; null hides the button (e.g. the NFC step, which no browser can do). */
  onBack: (() => void) | null;
}

export interface HandoffView {
  root: HTMLElement;
  /** The phone moved on: show which step it is at. */
  follow(preflight: Preflight): void;
}

export function stepKeyOf(preflight: Preflight): MessageKey | null {
  if (preflight.screen.show === 'waiting_for_previous_call_to_complete') return 'step.waiting';
  const type = preflight.requirement?.requirement_type;
  return type ? (`step.${type}` as MessageKey) : null;
}

export function handoffView(options: HandoffOptions): HandoffView {
  const { t, url } = options;
  const shell = screenShell('handoff', t('handoff.title'), { icon: 'phone' });
  const bitmap = generate(url);
  const side = qrViewSize(bitmap);
  const qr = svg(
    'svg',
    { viewBox: `0 0 ${side} ${side}`, class: 'tsr-qr', role: 'img', 'aria-label': t('handoff.qrAlt'), 'data-testid': 'handoff-qr', 'shape-rendering': 'crispEdges' },
    svg('rect', { width: side, height: side, fill: '#fff' }),
    svg('path', { d: qrPath(bitmap), fill: '#000' }),
  );
  const linkId = uid('link');
  const link = h('input', { id: linkId, class: 'tsr-input tsr-link-input', type: 'text', readonly: true, value: url, 'data-testid': 'handoff-link', spellcheck: 'false' });
  link.addEventListener('focus', () => link.select());
  const copied = h('span', { class: 'tsr-copied', role: 'status' });
  const copy = button(t('handoff.copy'), { variant: 'secondary', icon: 'copy', testid: 'handoff-copy', onClick: () => void copyLink() });
  const current = h('p', { class: 'tsr-meta tsr-center', 'data-testid': 'handoff-current' });
  append(shell.body, [
    paragraph(t('handoff.body'), 'tsr-text tsr-center'),
    h('div', { class: 'tsr-qr-wrap' }, qr),
    h('div', { class: 'tsr-field' }, h('label', { class: 'tsr-label', for: linkId }, t('handoff.linkLabel')), h('div', { class: 'tsr-copy-row' }, link, copy), copied),
    h('p', { class: 'tsr-meta' }, icon('alert'), ' ', t('handoff.private')),
    h('div', { class: 'tsr-follow', 'aria-live': 'polite' }, h('span', { class: 'tsr-pulse', 'aria-hidden': 'true' }), h('p', { class: 'tsr-text' }, t('handoff.waiting'))),
    current,
    options.onBack ? actions(button(t('handoff.back'), { variant: 'ghost', testid: 'handoff-back', onClick: options.onBack })) : null,
  ]);

  async function copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      link.focus();
      link.select();
      document.execCommand?.('copy');
    }
    copied.textContent = t('handoff.copied');
    setTimeout(() => (copied.textContent = ''), 4000);
  }

  return {
    root: shell.root,
    follow(preflight) {
      const key = stepKeyOf(preflight);
      const text = key ? t('handoff.current', { step: t(key) }) : '';
      if (text === current.textContent) return;
      current.textContent = text;
      if (text) options.announce(text);
    },
  };
}
