// Time left until a resend is allowed: "0:45", "1:05", and whole seconds left (rounded up, never negative).

export function secondsUntil(iso: string | null | undefined, nowMs: number): number {
  if (!iso) return 0;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** m:ss for a number of seconds; hours roll into minutes (a resend wait is never that long). */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(s / 60);
  const seconds = s % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
