// `launch`: what an integrator calls. Creates a session with a public key (or takes one from their backend), then
// opens the hosted flow in a modal iframe and turns its §7 messages into callbacks — or, on phones, redirects.
import { FlowError, toFlowError } from '../driver/flow-error.ts';
import type { DriverError } from '../driver/types.ts';
import { createSession, defaultReturnUrl } from './create-session.ts';
import { frameUrl, isFromFrame, parseEmbedMessage, reactionTo } from './embed-message.ts';
import { openModal } from './open-modal.ts';
import { shouldRedirect } from './should-redirect.ts';
import type { LaunchCallbacks, LaunchHandle, LaunchOptions, VerificationEvent } from './types.ts';

/** Resolves with a handle, or null when the session could not be created (reported to onError; without an
 *  onError the promise rejects instead, so the failure is never silent). */
export async function launch(options: LaunchOptions): Promise<LaunchHandle | null> {
  const redirect = shouldRedirect(options.mode ?? 'auto', window.innerWidth, options.mobileBreakpointPx);
  const fail = (sessionId: string | null, error: DriverError): void => {
    if (options.onError) options.onError({ sessionId, error });
    else throw error;
  };

  let sessionId: string;
  let url: string;
  if (options.sessionId && options.url) {
    sessionId = options.sessionId;
    url = options.url;
  } else {
    if (!options.publicKey || !options.apiBaseUrl || !options.kycLevel) {
      fail(null, new FlowError({ type: 'invalid_request', message: 'launch needs publicKey, apiBaseUrl and kycLevel, or sessionId and url', retryable: false }));
      return null;
    }
    // A redirected applicant has no callbacks to come back through: unless told otherwise, the hosted page sends
    // them back here with ?session_id=…&status=… (§7). A modal keeps the integrator's page, so it sets nothing.
    const returnUrl = redirect ? defaultReturnUrl(window.location.href) : undefined;
    const applicant = { ...(returnUrl ? { web_sdk_return_url: returnUrl } : {}), ...options.applicant };
    try {
      const created = await createSession(
        { apiBaseUrl: options.apiBaseUrl, publicKey: options.publicKey, kycLevel: options.kycLevel, applicant,
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) },
        options.fetch,
      );
      sessionId = created.session_id;
      url = created.url;
    } catch (error) {
      fail(null, toFlowError(error));
      return null;
    }
  }

  if (redirect) {
    window.location.assign(url);
    return { sessionId, url, mode: 'redirect', close: () => undefined };
  }
  return openEmbedded(sessionId, url, options);
}

function openEmbedded(sessionId: string, url: string, options: LaunchOptions): LaunchHandle {
  const frameOrigin = new URL(url, window.location.href).origin;
  const fired = new Set<keyof LaunchCallbacks>();
  let finished = false;
  let started = false;
  let startTimer: ReturnType<typeof setTimeout> | undefined;

  const call = (name: keyof LaunchCallbacks, event: VerificationEvent, error?: string): void => {
    if (fired.has(name) && name !== 'onError') return; // each outcome once, even if the page repeats itself
    fired.add(name);
    if (name === 'onError') {
      options.onError?.({ sessionId, error: new FlowError({ type: 'flow_error', message: error ?? 'the verification page reported an error', retryable: false }) });
    } else options[name]?.(event);
  };

  const teardown = (): void => {
    clearTimeout(startTimer);
    window.removeEventListener('message', onMessage);
    modal.close();
  };

  const onMessage = (event: MessageEvent): void => {
    if (!isFromFrame(event, frameOrigin, modal.iframe.contentWindow)) return;
    const message = parseEmbedMessage(event.data);
    if (!message) return;
    if (message.kind === 'resize') return modal.resize(message.width, message.height);
    if (message.sessionId !== sessionId) return;
    const reaction = reactionTo(message.status);
    if (message.status === 'start') {
      started = true;
      clearTimeout(startTimer);
    }
    if (reaction.finishes) finished = true;
    for (const name of reaction.callbacks) call(name, { sessionId, status: message.status }, message.error);
    if (reaction.closes) teardown();
  };

  const modal = openModal(frameUrl(new URL(url, window.location.href).toString(), window.location.origin), {
    title: options.title ?? 'Identity verification',
    onDismiss() {
      teardown();
      if (!finished) call('onCancel', { sessionId, status: 'cancel' });
    },
  });
  window.addEventListener('message', onMessage);

  // §7: the hosted page says `start` within 10 s of loading. Silence means it did not load (blocked, offline, CSP).
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  if (startTimeoutMs > 0) {
    startTimer = setTimeout(() => {
      if (!started) call('onError', { sessionId, status: 'error' }, 'the verification page did not start');
    }, startTimeoutMs);
  }

  return { sessionId, url, mode: 'modal', close: teardown };
}
