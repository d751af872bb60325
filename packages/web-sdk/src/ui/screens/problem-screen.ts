// Page-level problems: offline before the session loaded, session gone or unknown, anything unexpected.
// Never a blank page: each has a title, a sentence and, where it can help, a retry.
import { actions, button, paragraph, screenShell } from '../components.ts';
import type { Translator } from '../i18n/i18n.ts';
import type { IconName } from '../icons.ts';

export type Problem = 'offline' | 'gone' | 'not_found' | 'error';

const LOOK: Record<Problem, { key: 'offline' | 'gone' | 'notFound' | 'generic'; icon: IconName }> = {
  offline: { key: 'offline', icon: 'wifiOff' },
  gone: { key: 'gone', icon: 'clock' },
  not_found: { key: 'notFound', icon: 'alert' },
  error: { key: 'generic', icon: 'alert' },
};

export function problemScreen(t: Translator, problem: Problem, retry?: () => void): HTMLElement {
  const look = LOOK[problem];
  const shell = screenShell('problem', t(`problem.${look.key}.title`), { icon: look.icon, tone: problem === 'offline' || problem === 'error' ? 'warning' : 'neutral' });
  shell.root.dataset.problem = problem;
  shell.body.append(paragraph(t(`problem.${look.key}.body`), 'tsr-text tsr-center'));
  if (retry) shell.body.append(actions(button(t('common.retry'), { testid: 'problem-retry', onClick: retry })));
  return shell.root;
}
