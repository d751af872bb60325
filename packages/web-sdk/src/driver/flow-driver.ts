// The headless flow driver (protocol §1): the server decides the screens, the driver keeps the client in step with
// it — cable pushes first, REST when the socket is down or silent — and turns the applicant's actions into calls.
import type { Preflight, SessionApplicantView } from '@tessera/protocol';
import { createCableClient, DEFAULT_RECONNECT, type CableClient } from './cable-client.ts';
import { createEmitter } from './emitter.ts';
import { fallbackInterval, isFinalScreen } from './fallback-interval.ts';
import { createFallbackPoller } from './fallback-poller.ts';
import { FlowError, toFlowError } from './flow-error.ts';
import { createRestClient } from './rest-client.ts';
import { buildReturnUrl, verificationStatusOf } from './return-url.ts';
import {
  DEFAULT_FALLBACK_TIMERS,
  type Clock,
  type ConnectionState,
  type DriverEvents,
  type FallbackTimers,
  type FinalScreen,
  type FlowDriver,
  type FlowDriverOptions,
  type WebSocketFactory,
  type WebSocketLike,
} from './types.ts';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The browser's WebSocket, when there is one (Node 20 has none: pass `webSocket` there). */
function defaultWebSocket(): WebSocketFactory | null {
  if (typeof WebSocket !== 'function') return null;
  // The DOM WebSocket types its handlers with DOM events; WebSocketLike only names the fields we read.
  return (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike;
}

const WAITING = 'waiting_for_previous_call_to_complete';

export function createFlowDriver(options: FlowDriverOptions): FlowDriver {
  const { sessionId } = options;
  const clock = options.clock ?? systemClock;
  const timers: FallbackTimers = { ...DEFAULT_FALLBACK_TIMERS, ...options.timers };
  const rest = createRestClient({ apiBaseUrl: options.apiBaseUrl, sessionId, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const webSocket = options.webSocket ?? defaultWebSocket();
  const events = createEmitter<DriverEvents>();

  let session: SessionApplicantView | null = null;
  let current: Preflight | null = null;
  let lastSequence = -1;
  let connection: ConnectionState = 'disconnected';
  let cable: CableClient | null = null;
  let starting: Promise<SessionApplicantView> | null = null;
  let running = false; // the session was shown: from here on the fallback applies
  let stopped = false;
  let completed = false;
  let goneHandled = false;
  /** Interval armed by the last action (or by a waiting screen); null = only the socket-down polling applies. */
  let armedMs: number | null = null;
  /** The screen the armed action was made on: the fallback holds until the server shows another one (§1: "until
   *  the screen changes"). A newer preflight of that same screen may predate the action (a late answer to an earlier
   *  fallback, a code_sent update), so it must not disarm: with a socket that is up but silent, nothing else would
   *  ever ask again. */
  let armedScreen: string | null = null;
  let restPreflight: Promise<void> | null = null;

  const poller = createFallbackPoller(clock, async () => {
    if (cable?.requestPreflight()) return undefined;
    try {
      await fetchPreflight();
      return undefined;
    } catch (error) {
      const failure = toFlowError(error);
      events.emit('error', failure);
      if (!failure.retryable) poller.restart(null); // e.g. 404: asking again every N seconds cannot help
      return failure.retryAfterMs;
    }
  });

  /** What the repeating fallback should be now: the armed interval, else the screen's own while the socket is down. */
  function desiredInterval(): number | null {
    if (!running || stopped || completed) return null;
    if (armedMs !== null) return armedMs;
    return connection === 'connected' ? null : fallbackInterval(current?.screen.show, timers);
  }

  function render(preflight: Preflight): void {
    // §5: a payload not newer than the last rendered one is stale (a late REST answer, a duplicate push).
    if (stopped || completed || preflight.session_id !== sessionId || preflight.sequence <= lastSequence) return;
    lastSequence = preflight.sequence;
    current = preflight;
    events.emit('screen', preflight);
    if (stopped) return; // a screen handler may stop the driver
    const show = preflight.screen.show;
    if (isFinalScreen(show)) return finish(show, preflight);
    // The screen changed: the old fallback is answered. Only a waiting screen waits on the server by itself;
    // on any other screen the next fallback starts with the applicant's action. The same screen as the pending
    // action keeps it armed; the countdown starts again, since a message did arrive.
    if (show === WAITING) {
      armedMs = timers.waitingMs;
      armedScreen = null;
    } else if (show !== armedScreen) {
      armedMs = null;
      armedScreen = null;
    }
    poller.restart(desiredInterval());
  }

  function finish(screen: FinalScreen, preflight: Preflight): void {
    completed = true;
    poller.restart(null);
    cable?.close(); // nothing more will happen on this session that the applicant must see
    cable = null;
    const status = verificationStatusOf(preflight) ?? 'complete';
    events.emit('complete', { screen, preflight, returnUrl: buildReturnUrl(session?.web_sdk_return_url, sessionId, status) });
  }

  /** One REST preflight at a time: a slow answer must not be overtaken by a pile of identical requests. */
  function fetchPreflight(): Promise<void> {
    restPreflight ??= rest.preflight().then(render).finally(() => {
      restPreflight = null;
    });
    return restPreflight;
  }

  /** The session is canceled, refused or expired: say so, then render its cancel_screen (preflight still answers). */
  async function handleGone(error: FlowError): Promise<void> {
    if (goneHandled) return;
    goneHandled = true;
    events.emit('error', error);
    try {
      await fetchPreflight();
    } catch (failure) {
      events.emit('error', toFlowError(failure));
    }
  }

  function connectCable(url: string): void {
    if (!webSocket) return; // REST-only: the poller runs at each screen's interval
    const reconnect = options.reconnect ?? {};
    cable = createCableClient({
      url,
      webSocket,
      clock,
      initialDelayMs: reconnect.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
      maxDelayMs: reconnect.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
      ...(reconnect.staleAfterMs !== undefined ? { staleAfterMs: reconnect.staleAfterMs } : {}),
      ...(reconnect.random ? { random: reconnect.random } : {}),
      onPreflight: render,
      onState(state) {
        connection = state;
        events.emit('connection', state);
        poller.ensure(desiredInterval());
      },
      onGone: (reason) =>
        void handleGone(new FlowError({ type: 'session_gone', message: `the server closed the socket: ${reason}`, retryable: false })),
      onRejected: () =>
        events.emit('error', new FlowError({ type: 'subscription_rejected', message: 'the server refused the cable subscription; polling instead', retryable: false })),
    });
    cable.connect();
  }

  async function run(): Promise<SessionApplicantView> {
    try {
      session = await rest.show();
    } catch (error) {
      const failure = toFlowError(error);
      starting = null; // a network failure may be retried by calling start() again
      if (failure.type === 'session_gone') await handleGone(failure);
      else events.emit('error', failure);
      throw failure;
    }
    running = true;
    events.emit('session', session);
    if (stopped) return session;
    connectCable(session.websocket_url);
    // The first screen comes over REST too, so it shows at once even when the socket is slow or blocked.
    try {
      await fetchPreflight();
    } catch (error) {
      events.emit('error', toFlowError(error));
    }
    poller.ensure(desiredInterval());
    return session;
  }

  /** Every applicant action: call, then arm the fallback for the screen it was made on (§1 table). */
  async function act<T>(call: () => Promise<T>, arm = true): Promise<T> {
    const screen = current?.screen.show;
    try {
      const result = await call();
      // If another screen already arrived during the call, the fallback is answered; render armed what it needs.
      // A newer preflight of the same screen is no answer: it may have left the server before the action.
      if (arm && !stopped && !completed && current?.screen.show === screen) {
        armedMs = fallbackInterval(screen, timers);
        armedScreen = screen ?? null;
        poller.restart(desiredInterval());
      }
      return result;
    } catch (error) {
      const failure = toFlowError(error);
      if (failure.type === 'step_not_expected') {
        // Our screen is behind the server's. On the waiting screen that is expected: try again after the push.
        if (screen === WAITING) failure.retryable = true;
        refresh().catch(() => undefined);
      }
      if (failure.type === 'session_gone') void handleGone(failure);
      throw failure;
    }
  }

  async function refresh(): Promise<void> {
    if (stopped || completed || cable?.requestPreflight()) return;
    await fetchPreflight();
  }

  return {
    start: () => (starting ??= run()),
    stop() {
      stopped = true;
      poller.restart(null);
      cable?.close();
      cable = null;
    },
    on: events.on,
    get current() {
      return current;
    },
    get session() {
      return session;
    },
    get connection() {
      return connection;
    },
    refresh,
    async giveConsent(given) {
      await act(() => rest.consent(given));
    },
    async uploadDocument(side, file, documentType) {
      await act(() => rest.media(file, side === 'front' ? 'scan_id_document_front_screen' : 'scan_id_document_back_screen', documentType));
    },
    // Starting a challenge changes nothing on the server's screen: no fallback until the frames are sent.
    startLiveness: () => act(() => rest.livenessStart(), false),
    async completeLiveness(livenessId, frames) {
      await act(() => rest.livenessComplete(livenessId, frames));
    },
    async uploadAddress(file, location) {
      await act(() => rest.address(file, location));
    },
    async uploadFunds(file, fundsType) {
      await act(() => rest.funds(file, fundsType));
    },
    // Sending a code arms the fallback too: the server's next preflight carries extra_data.code_sent.
    sendPhoneCode: (phoneNumber, countryCode) => act(() => rest.phoneSend(phoneNumber, countryCode)),
    async checkPhoneCode(code) {
      await act(() => rest.phoneCheck(code));
    },
    sendEmailCode: (emailAddress) => act(() => rest.emailSend(emailAddress)),
    async checkEmailCode(code) {
      await act(() => rest.emailCheck(code));
    },
  };
}
