// The end of the flow as the outside world names it: §7 `status` values and the `web_sdk_return_url` redirect.
import type { Preflight } from '@tessera/protocol';

/** The §7 `bynn-verification` statuses a final screen maps to; the hosted page posts the same words. */
export type VerificationStatus = 'complete' | 'successful' | 'rejected' | 'cancel' | 'timeout';

/** `cancel_screen` covers both a refusal and an expiry; `extra_data.result` (§5) tells them apart. */
export function verificationStatusOf(preflight: Preflight): VerificationStatus | null {
  switch (preflight.screen.show) {
    case 'completed_screen':
      return 'complete';
    case 'successful_screen':
      return 'successful';
    case 'rejected_screen':
      return 'rejected';
    case 'cancel_screen':
      return preflight.extra_data.result === 'expired' ? 'timeout' : 'cancel';
    default:
      return null;
  }
}

/** `web_sdk_return_url?session_id=…&status=…` (§7), keeping any query the integrator already put there. */
export function buildReturnUrl(base: string | null | undefined, sessionId: string, status: VerificationStatus): string | null {
  if (!base) return null;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return null; // the server validates it as an absolute http(s) URL; anything else is not ours to follow
  }
  url.searchParams.set('session_id', sessionId);
  url.searchParams.set('status', status);
  return url.toString();
}
