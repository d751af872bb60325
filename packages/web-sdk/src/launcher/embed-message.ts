// The §7 messages a framed hosted page posts to its parent: validation, trust, and what each one means to the launcher.
import type { EmbedStatus, LaunchCallbacks } from './types.ts';

export type EmbedMessage =
  | { kind: 'verification'; status: EmbedStatus; sessionId: string; error?: string }
  | { kind: 'resize'; width: number; height: number };

const STATUSES: ReadonlySet<string> = new Set<EmbedStatus>(['start', 'complete', 'cancel', 'timeout', 'error', 'successful', 'rejected']);
/** Bigger than any screen: a larger number is a bug or hostile, not a layout. */
const MAX_DIMENSION = 10_000;

/** The message, or null for anything else posted to the window (other widgets, extensions, malformed data). */
export function parseEmbedMessage(data: unknown): EmbedMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.type === 'resize') {
    const { width, height } = m;
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_DIMENSION;
    return valid(width) && valid(height) ? { kind: 'resize', width, height } : null;
  }
  if (m.type !== 'bynn-verification' || typeof m.status !== 'string' || !STATUSES.has(m.status)) return null;
  if (typeof m.sessionId !== 'string' || m.sessionId === '') return null;
  return {
    kind: 'verification',
    status: m.status as EmbedStatus,
    sessionId: m.sessionId,
    ...(typeof m.error === 'string' ? { error: m.error.slice(0, 500) } : {}),
  };
}

/** Only our iframe may drive the callbacks: same origin as the hosted page AND the very window we framed
 *  (another frame of that origin on the page, e.g. a second launch, must not finish this one). */
export function isFromFrame(event: { origin: string; source: unknown }, frameOrigin: string, frameWindow: unknown): boolean {
  return event.origin === frameOrigin && frameWindow !== null && frameWindow !== undefined && event.source === frameWindow;
}

export interface Reaction {
  /** One callback per status, as the statuses are distinct outcomes (an integrator showing the result must not
   *  get `complete` on top of `successful`). A list, so a status could name more later without an API change. */
  callbacks: Array<keyof LaunchCallbacks>;
  /** The applicant is done: closing the dialog afterwards is not a cancel. */
  finishes: boolean;
  /** Close the dialog: nothing left to show (a cancel or an expiry). Results stay visible until the applicant closes. */
  closes: boolean;
}

export function reactionTo(status: EmbedStatus): Reaction {
  switch (status) {
    case 'start':
      return { callbacks: ['onStart'], finishes: false, closes: false };
    case 'complete':
      return { callbacks: ['onComplete'], finishes: true, closes: false };
    case 'successful':
      return { callbacks: ['onSuccessful'], finishes: true, closes: false };
    case 'rejected':
      return { callbacks: ['onRejected'], finishes: true, closes: false };
    case 'cancel':
      return { callbacks: ['onCancel'], finishes: true, closes: true };
    case 'timeout':
      return { callbacks: ['onTimeout'], finishes: true, closes: true };
    case 'error':
      return { callbacks: ['onError'], finishes: false, closes: false };
  }
}

/** The hosted page URL with `origin` = the launching page's origin: where the framed page posts its §7 messages
 *  when the browser does not expose `location.ancestorOrigins` (Firefox). */
export function frameUrl(url: string, parentOrigin: string): string {
  const framed = new URL(url);
  framed.searchParams.set('origin', parentOrigin);
  return framed.toString();
}
