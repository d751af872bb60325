// completed_screen, successful_screen, rejected_screen, cancel_screen. An expired session arrives as
// cancel_screen with extra_data.result = "expired" and gets its own wording.
import type { FinalScreen } from '../../driver/types.ts';
import { paragraph, screenShell } from '../components.ts';
import { h } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { IconName } from '../icons.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

const LOOK: Record<FinalScreen | 'expired', { key: string; icon: IconName; tone: 'success' | 'danger' | 'neutral' | 'warning' }> = {
  completed_screen: { key: 'completed', icon: 'check', tone: 'success' },
  successful_screen: { key: 'successful', icon: 'check', tone: 'success' },
  rejected_screen: { key: 'rejected', icon: 'cross', tone: 'danger' },
  cancel_screen: { key: 'cancel', icon: 'cross', tone: 'neutral' },
  expired: { key: 'expired', icon: 'clock', tone: 'warning' },
};

export function finalScreen(ctx: ScreenContext): ScreenView {
  const { t, preflight } = ctx;
  const show = preflight.screen.show as FinalScreen;
  const look = preflight.extra_data.result === 'expired' ? LOOK.expired : (LOOK[show] ?? LOOK.completed_screen);
  const shell = screenShell(show, t(`final.${look.key}.title` as MessageKey), { icon: look.icon, tone: look.tone });
  shell.root.dataset.result = String(preflight.extra_data.result ?? look.key);
  const after = h('div', { class: 'tsr-after', 'data-testid': 'final-after' }, paragraph(t('final.close'), 'tsr-text tsr-muted tsr-center'));
  shell.body.append(paragraph(t(`final.${look.key}.body` as MessageKey), 'tsr-text tsr-center'), after);
  return { root: shell.root, update: () => true };
}

/** Replaces "you can close this page" with the redirect notice and a link that works even if navigation is blocked. */
export function showRedirect(root: HTMLElement, t: ScreenContext['t'], url: string): void {
  const after = root.querySelector('[data-testid="final-after"]');
  if (!after) return;
  after.replaceChildren(
    h('p', { class: 'tsr-text tsr-muted tsr-center', role: 'status' }, t('final.redirecting')),
    h('div', { class: 'tsr-actions tsr-actions-center' }, h('a', { class: 'tsr-btn tsr-btn-primary', href: url, target: '_top', rel: 'noopener', 'data-testid': 'return-link' }, h('span', { class: 'tsr-btn-label' }, t('final.continue')))),
  );
}
