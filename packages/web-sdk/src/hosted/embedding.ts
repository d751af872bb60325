// Protocol §7 as pure functions: the session id in the page path and the parent's origin; hosted.ts wires them
// to the window. (The status of a final screen and the return URL come from the driver: verificationStatusOf,
// buildReturnUrl.)
export type EmbedStatus = 'start' | 'complete' | 'cancel' | 'timeout' | 'error' | 'successful' | 'rejected';

export interface VerificationMessage {
  type: 'bynn-verification';
  status: EmbedStatus;
  sessionId: string;
  error?: string;
}
export interface ResizeMessage {
  type: 'resize';
  width: number;
  height: number;
}

/** `/verify/<24 base62>` (a trailing slash allowed) → the session id; anything else → null. */
export function sessionIdFromPath(pathname: string): string | null {
  return /^\/verify\/([0-9A-Za-z]{24})\/?$/.exec(pathname)?.[1] ?? null;
}

function httpOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Where to post §7 messages. The browser's own record of the parent (`location.ancestorOrigins`, Chromium and
 * Safari) wins; else the `origin` query parameter the launcher passes; else the referrer's origin. Null when
 * none is known: then nothing is posted (never to '*', the messages carry the session id).
 */
export function parentOriginOf(input: { ancestorOrigins?: ArrayLike<string> | null; search: string; referrer: string }): string | null {
  const ancestor = input.ancestorOrigins && input.ancestorOrigins.length > 0 ? httpOrigin(input.ancestorOrigins[0]) : null;
  if (ancestor) return ancestor;
  return httpOrigin(new URLSearchParams(input.search).get('origin')) ?? httpOrigin(input.referrer);
}

/** Only http(s) targets are followed, whatever the server sent. */
export const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);
