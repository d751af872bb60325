// Which screen module renders each `screen.show` (the server picks the screen, protocol §1; this only routes it).
// The camera screens (document, liveness) are imported on demand, so their code and the camera's stay out of the
// hosted page's initial load; the others are small and ship with it.
import type { ScreenShow } from '@tessera/protocol';
import type { ScreenFactory } from './screen-context.ts';
import { consentScreen } from './screens/consent-screen.ts';
import { finalScreen } from './screens/final-screen.ts';
import { nfcScreen } from './screens/nfc-screen.ts';
import { emailScreen, phoneScreen } from './screens/otp-screen.ts';
import { addressScreen, fundsScreen } from './screens/proof-screen.ts';
import { waitingScreen } from './screens/waiting-screen.ts';

const lazyDocument = async () => (await import('./screens/document-screen.ts')).documentScreen;

const SCREENS: Record<ScreenShow, () => ScreenFactory | Promise<ScreenFactory>> = {
  consent_screen: () => consentScreen,
  scan_id_document_front_screen: lazyDocument,
  scan_id_document_back_screen: lazyDocument,
  liveness_screen: async () => (await import('./screens/liveness-screen.ts')).livenessScreen,
  nfc_capture_screen: () => nfcScreen,
  proof_of_address_screen: () => addressScreen,
  proof_of_funds_screen: () => fundsScreen,
  phone_verification_start_screen: () => phoneScreen,
  email_verification_start_screen: () => emailScreen,
  waiting_for_previous_call_to_complete: () => waitingScreen,
  completed_screen: () => finalScreen,
  successful_screen: () => finalScreen,
  rejected_screen: () => finalScreen,
  cancel_screen: () => finalScreen,
};

/** The factory of `show`'s screen, loading its chunk if needed; a show this version doesn't know gets the waiting screen. */
export const loadScreen = (show: ScreenShow): ScreenFactory | Promise<ScreenFactory> => (SCREENS[show] ?? (() => waitingScreen))();
