// Modal or full-page redirect: the launcher's one layout decision.

/** Phones get the whole page: a camera flow in a modal iframe on a small screen is cramped and some
 *  in-app browsers refuse camera access inside frames. */
export function shouldRedirect(mode: 'auto' | 'modal' | 'redirect', viewportWidth: number, breakpointPx = 640): boolean {
  return mode === 'redirect' || (mode === 'auto' && viewportWidth < breakpointPx);
}
