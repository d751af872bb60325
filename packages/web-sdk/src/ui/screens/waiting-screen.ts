// waiting_for_previous_call_to_complete: a calm progress indicator; after a while, a note that it is slower
// than usual (announced once). The server pushes the next screen by itself.
import { paragraph, screenShell, spinner } from '../components.ts';
import { append, h } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

const SLOW_AFTER_MS = 20_000;
const SPECIFIC = new Set(['identity_document', 'liveness', 'proof_of_address', 'proof_of_funds']);

export function waitingScreen(ctx: ScreenContext): ScreenView {
  const { t } = ctx;
  const type = ctx.preflight.requirement?.requirement_type;
  const shell = screenShell('waiting_for_previous_call_to_complete', t('waiting.title'));
  const status = type && SPECIFIC.has(type) ? t(`waiting.${type}` as MessageKey) : t('waiting.body');
  const slow = paragraph('', 'tsr-text tsr-muted');
  slow.hidden = true;
  append(shell.body, [
    h('div', { class: 'tsr-waiting', role: 'progressbar', 'aria-label': status, 'aria-busy': 'true', 'data-testid': 'waiting-progress' }, spinner()),
    paragraph(status, 'tsr-text tsr-center'),
    type && SPECIFIC.has(type) ? paragraph(t('waiting.body'), 'tsr-text tsr-center tsr-muted') : null,
    slow,
  ]);
  ctx.announce(status);
  const timer = setTimeout(() => {
    slow.textContent = t('waiting.slow');
    slow.hidden = false;
    ctx.announce(t('waiting.slow'));
  }, SLOW_AFTER_MS);
  return { root: shell.root, update: () => true, destroy: () => clearTimeout(timer) };
}
