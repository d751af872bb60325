// Talking to the framing page (protocol §7): status messages, and the content size whenever it changes so the
// launcher can size its iframe. Every message goes to the parent's exact origin.
import type { EmbedStatus, ResizeMessage, VerificationMessage } from './embedding.ts';

export interface ParentMessenger {
  post(status: EmbedStatus, error?: string): void;
  /** Posts `resize` now and on every size change of `element` (ResizeObserver, at most once a frame). Observe the
   *  content root, not <html>: inside an iframe <html> is never shorter than the frame, so it could never shrink. */
  observeSize(element: HTMLElement): void;
  stop(): void;
}

export function createParentMessenger(parent: Window, origin: string, sessionId: string): ParentMessenger {
  const sent = new Set<EmbedStatus>();
  let observer: ResizeObserver | null = null;
  let last = '';
  let frame = 0;
  const send = (message: VerificationMessage | ResizeMessage) => parent.postMessage(message, origin);

  return {
    post(status, error) {
      // Each status once: a reconnect that replays the final screen must not fire onComplete twice.
      if (sent.has(status)) return;
      sent.add(status);
      send({ type: 'bynn-verification', status, sessionId, ...(error ? { error } : {}) });
    },
    observeSize(element) {
      const measure = () => {
        frame = 0;
        const rect = element.getBoundingClientRect();
        const width = Math.ceil(rect.width);
        const height = Math.ceil(rect.height);
        const key = `${width}x${height}`;
        if (key === last || height === 0) return;
        last = key;
        send({ type: 'resize', width, height });
      };
      const schedule = () => {
        if (frame === 0) frame = requestAnimationFrame(measure);
      };
      observer = new ResizeObserver(schedule);
      observer.observe(element);
      measure();
    },
    stop() {
      observer?.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
