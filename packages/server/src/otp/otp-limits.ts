// The numbers of issue #3 and the pure decisions built on them, so each limit is testable without a database.
export const OTP_LIMITS = {
  codeDigits: 6,
  codeTtlMs: 10 * 60_000,
  /** Wrong guesses per code; the next check needs a new code. */
  maxAttempts: 5,
  /** Per session and channel; waived after a delivery that failed for good. */
  resendCooldownMs: 30_000,
  /** Sends to one destination (across sessions, per mode) within the window. */
  destinationMaxSends: 3,
  destinationWindowMs: 10 * 60_000,
  /** Sends per session, both channels together, for its whole life. */
  sessionMaxSends: 10,
  /** Sandbox sessions also accept this code. */
  sandboxCode: '111111',
} as const;

export interface SendHistory {
  /** Every send of the session, both channels. */
  sessionSends: number;
  /** The latest send of this session on this channel. */
  lastSend: { created_at: Date; delivery_status: string } | null;
  /** Sends to this destination inside the window, oldest first. */
  destinationSends: Date[];
}

export interface Refusal {
  reason: 'session_send_limit' | 'resend_cooldown' | 'destination_send_limit';
  message: string;
  /** When sending may work again. */
  retryAt: Date;
}

/** Whether a send must be refused now, and until when. The first limit that applies speaks. */
export function sendRefusal(history: SendHistory, now: Date, sessionExpiresAt: Date): Refusal | null {
  const t = now.getTime();
  if (history.sessionSends >= OTP_LIMITS.sessionMaxSends) {
    // Nothing frees this limit but a new session: retrying makes sense only after this one is over.
    return { reason: 'session_send_limit', message: `this session already sent ${OTP_LIMITS.sessionMaxSends} codes; no more can be sent`, retryAt: sessionExpiresAt };
  }
  const last = history.lastSend;
  if (last && last.delivery_status !== 'failed') {
    const ready = last.created_at.getTime() + OTP_LIMITS.resendCooldownMs;
    if (ready > t) return { reason: 'resend_cooldown', message: 'a code was sent moments ago; wait before asking for another', retryAt: new Date(ready) };
  }
  const inWindow = history.destinationSends.filter((d) => d.getTime() > t - OTP_LIMITS.destinationWindowMs);
  if (inWindow.length >= OTP_LIMITS.destinationMaxSends) {
    const oldest = inWindow[inWindow.length - OTP_LIMITS.destinationMaxSends]!;
    return {
      reason: 'destination_send_limit',
      message: `this destination got ${OTP_LIMITS.destinationMaxSends} codes in the last ${OTP_LIMITS.destinationWindowMs / 60_000} minutes; wait before asking for another`,
      retryAt: new Date(oldest.getTime() + OTP_LIMITS.destinationWindowMs),
    };
  }
  return null;
}

/** When the next send would pass the cool-down (the other limits may still refuse it then). */
export const resendAvailableAt = (sentAt: Date): Date => new Date(sentAt.getTime() + OTP_LIMITS.resendCooldownMs);

export const attemptsLeft = (attempts: number): number => Math.max(0, OTP_LIMITS.maxAttempts - attempts);
