// Test hook of the hosted page, for the browser tests only (e2e/fallback.e2e.test.ts): `?fallback_ms=<n>` sets every
// silent-socket fallback timer of protocol §1 to n ms (at least 200), so a test can watch the flow finish over REST
// without waiting 90 s per document. hosted.ts applies it only when the server marked the page root with
// `data-test-hooks`, which the server does only in demo mode (TESSERA_DEMO=true, or embedded mode); everywhere else
// the page runs the protocol's timers whatever the URL says.
import { DEFAULT_FALLBACK_TIMERS, type FallbackTimers } from '../driver/types.ts';

export const MIN_TEST_FALLBACK_MS = 200;

export function testHookTimers(enabled: boolean, search: string): FallbackTimers | undefined {
  if (!enabled) return undefined;
  const raw = new URLSearchParams(search).get('fallback_ms') ?? '';
  const ms = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ms >= MIN_TEST_FALLBACK_MS)) return undefined;
  return Object.fromEntries(Object.keys(DEFAULT_FALLBACK_TIMERS).map((key) => [key, ms])) as unknown as FallbackTimers;
}
