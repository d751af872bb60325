// nfc_capture_screen: a browser can't read a passport chip, so explain that and offer the phone hand-off.
import { actions, button, paragraph, screenShell } from '../components.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

export function nfcScreen(ctx: ScreenContext): ScreenView {
  const { t } = ctx;
  const shell = screenShell('nfc_capture_screen', t('nfc.title'), { icon: 'chip' });
  shell.body.append(paragraph(ctx.handoff ? t('nfc.body') : t('nfc.bodyMobile')));
  if (ctx.handoff) shell.body.append(actions(button(t('nfc.handoff'), { icon: 'qr', testid: 'nfc-handoff', onClick: ctx.handoff })));
  return { root: shell.root, update: () => true };
}
