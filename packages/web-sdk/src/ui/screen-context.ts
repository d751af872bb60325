// What every screen gets from the UI shell, and what it gives back.
import type { Preflight, SessionApplicantView } from '@tessera/protocol';
import type { FlowDriver } from '../driver/types.ts';
import type { Translator } from './i18n/i18n.ts';

export interface ScreenContext {
  driver: FlowDriver;
  preflight: Preflight;
  session: SessionApplicantView;
  t: Translator;
  /** Says something to screen readers through the page's polite live region. */
  announce(message: string): void;
  /** Opens the phone hand-off (QR code and link); null where it isn't offered (already on a phone). */
  handoff: (() => void) | null;
  /** A touch-first device: the QR hand-off makes no sense there. */
  isMobile: boolean;
  /** Upload size limit shown to the applicant, in MB. */
  maxUploadMb: number;
}

export interface ScreenView {
  root: HTMLElement;
  /** A newer preflight for the same screen (e.g. code sent, attempts left): return true if handled in place. */
  update?(preflight: Preflight): boolean;
  /** Stops cameras, timers and listeners. */
  destroy?(): void;
}

export type ScreenFactory = (ctx: ScreenContext) => ScreenView | Promise<ScreenView>;
