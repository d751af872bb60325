// What every networked adapter accepts from the wire: one check shared by all of them, so they cannot drift.
import type { SessionChange } from './bus.ts';

/** A structural check only: a full schema parse would strip fields added by a newer process during a rolling deploy. */
export function parseChange(payload: string): SessionChange | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<Record<keyof SessionChange, unknown>>;
  const { session_id, sequence, preflight } = candidate;
  if (typeof session_id !== 'string' || typeof sequence !== 'number' || !Number.isInteger(sequence)) return null;
  if (typeof preflight !== 'object' || preflight === null) return null;
  return value as SessionChange;
}
