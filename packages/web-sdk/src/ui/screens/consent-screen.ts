// consent_screen: what will be asked, the versioned consent text, accept or decline (declining asks once more,
// because it cancels the session for good).
import type { StepType } from '@tessera/protocol';
import { actions, button, errorSlot, paragraph, runAction, screenShell } from '../components.ts';
import { h } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { icon, type IconName } from '../icons.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

const STEP_ICONS: Record<StepType, IconName> = {
  identity_document: 'id',
  liveness: 'face',
  nfc: 'chip',
  proof_of_address: 'home',
  proof_of_funds: 'wallet',
  phone_verification: 'phone',
  email_verification: 'mail',
};
const STEP_MINUTES: Record<StepType, number> = { identity_document: 2, liveness: 1, nfc: 1, proof_of_address: 1, proof_of_funds: 1, phone_verification: 1, email_verification: 1 };

export function consentScreen(ctx: ScreenContext): ScreenView {
  const { t, session, preflight, driver } = ctx;
  const shell = screenShell('consent_screen', t('consent.title'));
  const steps = [...session.steps].sort((a, b) => a.flow_order - b.flow_order).map((s) => s.requirement_type);
  const minutes = Math.max(2, steps.reduce((sum, s) => sum + (STEP_MINUTES[s] ?? 1), 0));
  const brand = session.branding.name;
  const version = typeof preflight.extra_data.consent_version === 'string' ? preflight.extra_data.consent_version : session.consent.version ?? null;
  const slot = errorSlot(t);

  const accept = button(t('consent.accept'), { testid: 'consent-accept', onClick: () => void choose(true, accept) });
  const decline = button(t('consent.decline'), { variant: 'ghost', testid: 'consent-decline', onClick: () => confirmDecline() });
  const main = h(
    'div',
    { class: 'tsr-stack' },
    paragraph(brand ? t('consent.introBrand', { brand, minutes }) : t('consent.intro', { minutes })),
    steps.length > 0
      ? h(
          'div',
          { class: 'tsr-panel' },
          h('h2', { class: 'tsr-subtitle' }, t('consent.needsTitle')),
          h('ul', { class: 'tsr-checklist' }, steps.map((s) => h('li', null, icon(STEP_ICONS[s] ?? 'check'), h('span', null, t(`consent.need.${s}` as MessageKey))))),
        )
      : null,
    paragraph(t('consent.body'), 'tsr-text tsr-legal'),
    version ? paragraph(t('consent.version', { version }), 'tsr-meta') : null,
    slot.el,
    actions(accept, decline),
  );
  shell.body.append(main);

  async function choose(given: boolean, busy: HTMLButtonElement, where = slot): Promise<void> {
    const controls = [...shell.root.querySelectorAll('button')];
    await runAction(() => driver.giveConsent(given), { controls, busy, busyLabel: t('common.working'), slot: where, t });
  }

  function confirmDecline(): void {
    const dialogSlot = errorSlot(t);
    const yes = button(t('consent.confirmDecline'), { variant: 'danger', testid: 'consent-decline-confirm', onClick: () => void choose(false, yes, dialogSlot) });
    const back = button(t('consent.confirmBack'), { variant: 'secondary', testid: 'consent-decline-back', onClick: () => {
      dialog.remove();
      main.hidden = false;
      decline.focus();
    } });
    const titleId = 'tsr-consent-confirm-title';
    const dialog = h(
      'div',
      { class: 'tsr-confirm', role: 'alertdialog', 'aria-modal': 'false', 'aria-labelledby': titleId, 'data-testid': 'consent-confirm' },
      h('h2', { class: 'tsr-subtitle', id: titleId, tabindex: -1 }, t('consent.confirmTitle')),
      paragraph(t('consent.confirmBody')),
      dialogSlot.el,
      actions(yes, back),
    );
    main.hidden = true;
    shell.body.append(dialog);
    dialog.querySelector('h2')?.focus();
  }

  return { root: shell.root };
}
