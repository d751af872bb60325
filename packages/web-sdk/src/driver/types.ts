// The public contract of the headless flow driver: what integrators and our own screens build on.
import type { DocumentType, FundsType, LivenessStarted, Preflight, ScreenShow, SessionApplicantView } from '@tessera/protocol';

/** Silent-socket fallback intervals of protocol §1, per screen family. */
export interface FallbackTimers {
  consentMs: number;
  documentMs: number;
  livenessMs: number;
  addressMs: number;
  fundsMs: number;
  phoneMs: number;
  emailMs: number;
  nfcMs: number;
  waitingMs: number;
}

export const DEFAULT_FALLBACK_TIMERS: FallbackTimers = {
  consentMs: 10_000,
  documentMs: 90_000,
  livenessMs: 10_000,
  addressMs: 10_000,
  fundsMs: 10_000,
  phoneMs: 10_000,
  emailMs: 30_000,
  nfcMs: 10_000,
  waitingMs: 10_000,
};

/** Time, injectable so tests run on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The subset of the browser WebSocket the cable client uses; a fake implements it in tests. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface FlowDriverOptions {
  sessionId: string;
  /** Origin of the Tessera server, e.g. https://kyc.example.com (paths /v1/… are appended). */
  apiBaseUrl: string;
  fetch?: typeof fetch;
  /** Default: the browser's WebSocket. Without one the driver runs on REST polling alone. */
  webSocket?: WebSocketFactory;
  clock?: Clock;
  timers?: Partial<FallbackTimers>;
  reconnect?: {
    initialDelayMs?: number;
    maxDelayMs?: number;
    /** No server frame for this long means the socket is stale (default 3 missed pings: 9000). */
    staleAfterMs?: number;
    /** Source of back-off jitter in [0, 1); tests pass a fixed one (default Math.random). */
    random?: () => number;
  };
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** An error the driver reports; `retryable` says whether trying the same action again can succeed. */
export interface DriverError {
  type: string;
  message: string;
  status?: number;
  retryable: boolean;
  details?: Record<string, unknown>;
  /** From a `Retry-After` header (429, 503): wait at least this long before trying again. */
  retryAfterMs?: number;
  /** The server's request id (§3), for support tickets. */
  requestId?: string;
}

export type FinalScreen = Extract<ScreenShow, 'completed_screen' | 'successful_screen' | 'rejected_screen' | 'cancel_screen'>;

export interface DriverEvents {
  session: SessionApplicantView;
  /** A preflight newer than the last one rendered (older or equal sequences are dropped). */
  screen: Preflight;
  connection: ConnectionState;
  /** Failures nobody awaits — start(), background polls, the cable — and `session_gone` whenever it is learnt.
   *  A failed action (giveConsent, uploadDocument, …) rejects its own promise and is not emitted here. */
  error: DriverError;
  /** The flow reached a final screen. */
  complete: { screen: FinalScreen; preflight: Preflight; returnUrl: string | null };
}

export interface CodeSent {
  status: 'code_sent';
  destination: string;
  expires_at: string;
  resend_available_at: string;
}

export interface FlowDriver {
  start(): Promise<SessionApplicantView>;
  stop(): void;
  on<E extends keyof DriverEvents>(event: E, handler: (payload: DriverEvents[E]) => void): () => void;
  readonly current: Preflight | null;
  readonly session: SessionApplicantView | null;
  /** State of the cable; while not 'connected' the driver polls REST at the current screen's interval. */
  readonly connection: ConnectionState;
  giveConsent(given: boolean): Promise<void>;
  uploadDocument(side: 'front' | 'back', file: Blob, documentType?: DocumentType): Promise<void>;
  startLiveness(): Promise<LivenessStarted>;
  completeLiveness(livenessId: string, frames: Blob[]): Promise<void>;
  uploadAddress(file: Blob, location?: { latitude: number; longitude: number }): Promise<void>;
  uploadFunds(file: Blob, fundsType?: FundsType): Promise<void>;
  sendPhoneCode(phoneNumber: string, countryCode?: string): Promise<CodeSent>;
  checkPhoneCode(code: string): Promise<void>;
  sendEmailCode(emailAddress: string): Promise<CodeSent>;
  checkEmailCode(code: string): Promise<void>;
  /** Asks for the current preflight now (socket if connected, else REST). */
  refresh(): Promise<void>;
}
