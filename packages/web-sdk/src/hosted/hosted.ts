// The hosted flow page at the session `url` (/verify/<session_id>): the driver and the screens in this page, and
// when framed, protocol §7 towards the parent. On a final screen with `web_sdk_return_url`, the top-level page
// goes there with `session_id` and `status`.
import { buildReturnUrl, createFlowDriver, verificationStatusOf } from '../driver/index.ts';
import type { DriverError } from '../driver/types.ts';
import { mountFlowUi } from '../ui/flow-ui.ts';
import { isHttpUrl, parentOriginOf, sessionIdFromPath } from './embedding.ts';
import { createParentMessenger, type ParentMessenger } from './parent-messenger.ts';
import { testHookTimers } from './test-hooks.ts';

/** Time to read the final screen before leaving; the link on it works at once. */
const REDIRECT_DELAY_MS = 2500;
/** §7: `start` within 10 s of load, even if the session is slow to arrive. */
const START_DEADLINE_MS = 8000;

function isFramed(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // reading window.top can throw in sandboxed frames: we are framed
  }
}

function navigateTop(url: string): void {
  try {
    if (window.top && window.top !== window.self) {
      window.top.location.href = url; // allowed cross-origin after a user gesture in the frame; the link is the fallback
      return;
    }
  } catch {
    // blocked: the "Continue" link (target=_top) on the final screen still works
  }
  if (!isFramed()) window.location.assign(url);
}

function main(): void {
  const host = document.getElementById('tessera-root') ?? document.body;
  const framed = isFramed();
  document.documentElement.classList.toggle('tsr-framed', framed);
  const sessionId = sessionIdFromPath(window.location.pathname);
  const origin = framed ? parentOriginOf({ ancestorOrigins: window.location.ancestorOrigins, search: window.location.search, referrer: document.referrer }) : null;
  const parent: ParentMessenger | null = framed && origin && sessionId ? createParentMessenger(window.parent, origin, sessionId) : null;

  if (!sessionId) {
    const stub = { on: () => () => {}, session: null, current: null } as unknown as Parameters<typeof mountFlowUi>[1];
    mountFlowUi(host, stub).showProblem('not_found');
    return;
  }

  const timers = testHookTimers(host.hasAttribute('data-test-hooks'), window.location.search);
  const driver = createFlowDriver({ sessionId, apiBaseUrl: window.location.origin, ...(timers ? { timers } : {}) });
  const ui = mountFlowUi(host, driver);
  parent?.observeSize(ui.element);
  const startTimer = setTimeout(() => parent?.post('start'), START_DEADLINE_MS);

  driver.on('complete', ({ preflight, returnUrl }) => {
    const status = verificationStatusOf(preflight) ?? 'complete';
    parent?.post(status);
    const target = buildReturnUrl(returnUrl, sessionId, status);
    if (!target || !isHttpUrl(target)) return;
    ui.showRedirect(target);
    setTimeout(() => navigateTop(target), REDIRECT_DELAY_MS);
  });

  const start = (): void => {
    driver.start().then(
      () => {
        clearTimeout(startTimer);
        parent?.post('start');
      },
      (raw: unknown) => {
        const error = raw as Partial<DriverError>;
        const type = typeof error?.type === 'string' ? error.type : 'internal_error';
        if (type === 'session_gone' || type === 'not_found') {
          clearTimeout(startTimer);
          parent?.post('error', type);
          return ui.showProblem(type === 'not_found' ? 'not_found' : 'gone');
        }
        const offline = type === 'network_error' || navigator.onLine === false;
        ui.showProblem(offline ? 'offline' : 'error', start);
        if (offline) window.addEventListener('online', start, { once: true });
      },
    );
  };
  start();
  window.addEventListener('pagehide', () => driver.stop(), { once: true });
}

main();
