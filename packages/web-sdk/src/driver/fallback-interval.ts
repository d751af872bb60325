// Which silent-socket fallback interval of protocol §1 applies on a screen.
import type { ScreenShow } from '@tessera/protocol';
import type { FallbackTimers, FinalScreen } from './types.ts';

const FINAL: ReadonlySet<string> = new Set<FinalScreen>(['completed_screen', 'successful_screen', 'rejected_screen', 'cancel_screen']);

export const isFinalScreen = (show: ScreenShow): show is FinalScreen => FINAL.has(show);

/** The interval after an action on `show` (and while the socket is down on it); null on final screens,
 *  where there is nothing left to wait for. Unknown future screens get the waiting interval. */
export function fallbackInterval(show: ScreenShow | undefined, timers: FallbackTimers): number | null {
  switch (show) {
    case 'consent_screen':
      return timers.consentMs;
    case 'scan_id_document_front_screen':
    case 'scan_id_document_back_screen':
      return timers.documentMs; // document checks are slow: 90 s before the client doubts the socket
    case 'liveness_screen':
      return timers.livenessMs;
    case 'proof_of_address_screen':
      return timers.addressMs;
    case 'proof_of_funds_screen':
      return timers.fundsMs;
    case 'phone_verification_start_screen':
      return timers.phoneMs;
    case 'email_verification_start_screen':
      return timers.emailMs;
    case 'nfc_capture_screen':
      return timers.nfcMs;
    case undefined:
    case 'waiting_for_previous_call_to_complete':
      return timers.waitingMs;
    default:
      return isFinalScreen(show) ? null : timers.waitingMs;
  }
}
