// The banner under the header saying the connection is down (offline, or reconnecting), and announcing when it is
// back. It follows the driver's `connection` events and the browser's `offline` event.
import type { ConnectionState } from '../driver/types.ts';
import { h } from './dom.ts';
import type { Translator } from './i18n/i18n.ts';
import { icon } from './icons.ts';

export interface ConnectionBanner {
  readonly element: HTMLElement;
  set(state: ConnectionState): void;
  destroy(): void;
}

/** `t` is read at each change, as the language can change meanwhile; `announce` speaks through the live region. */
export function createConnectionBanner(t: () => Translator, announce: (message: string) => void): ConnectionBanner {
  const banner = h('div', { class: 'tsr-banner', role: 'status', hidden: true, 'data-testid': 'connection-banner' });
  let bannerTimer: ReturnType<typeof setTimeout> | null = null;
  function set(state: ConnectionState): void {
    if (state === 'connected') {
      if (bannerTimer !== null) clearTimeout(bannerTimer);
      bannerTimer = null;
      if (!banner.hidden) announce(t()('connection.restored'));
      banner.hidden = true;
      return;
    }
    // Only say something if it lasts: a socket that reconnects within seconds (connecting and disconnected
    // may alternate meanwhile) is nobody's business.
    if (bannerTimer !== null || !banner.hidden) return;
    bannerTimer = setTimeout(() => {
      bannerTimer = null;
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      banner.replaceChildren(icon(offline ? 'wifiOff' : 'clock'), h('span', null, t()(offline ? 'connection.offline' : 'connection.reconnecting')));
      banner.dataset.state = offline ? 'offline' : 'reconnecting';
      banner.hidden = false;
    }, typeof navigator !== 'undefined' && navigator.onLine === false ? 3000 : 10_000);
  }
  const onOffline = () => set('disconnected');
  window.addEventListener('offline', onOffline);
  return {
    element: banner,
    set,
    destroy() {
      window.removeEventListener('offline', onOffline);
      if (bannerTimer !== null) clearTimeout(bannerTimer);
    },
  };
}
