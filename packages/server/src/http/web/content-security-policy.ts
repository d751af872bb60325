// The hosted page's security headers. Strict CSP: our own scripts, styles and API only, camera frames as blob:,
// the cable on our host; no inline code, no third-party request. frame-ancestors is open so integrators can embed
// the page (the Bynn launcher frames it); an allow-list can narrow it later.

export interface CspOptions {
  /** TESSERA_PUBLIC_URL: the websocket_url the page is given points there. */
  publicUrl: string;
  /** Host the request came in on (may differ from publicUrl behind a proxy or on 127.0.0.1 vs localhost). */
  requestHost?: string | undefined;
  frameAncestors?: string;
}

export function contentSecurityPolicy(options: CspOptions): string {
  const sockets = new Set<string>();
  const pub = new URL(options.publicUrl);
  sockets.add(`${pub.protocol === 'https:' ? 'wss' : 'ws'}://${pub.host}`);
  if (options.requestHost && /^[A-Za-z0-9.:[\]-]+$/.test(options.requestHost)) {
    sockets.add(`ws://${options.requestHost}`);
    sockets.add(`wss://${options.requestHost}`);
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ${[...sockets].join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors ?? '*'}`,
  ].join('; ');
}

/** Headers for every HTML page we serve (the hosted page, the demo and the not-found page). */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // The iframe's allow="camera; microphone" delegates these; the page itself uses only the camera.
    'permissions-policy': 'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()',
    'cross-origin-resource-policy': 'same-origin',
  };
}
