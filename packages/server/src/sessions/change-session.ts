// The one way a session changes: lock it, apply a flow event, record events, commit, then publish once.
import { applyFlowEvent, decideNextScreen, effectiveStatus, type FlowEvent } from '@tessera/flow';
import type { Preflight } from '@tessera/protocol';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobName } from '../jobs/job-queue.ts';
import type { Db } from '../storage/db.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { Applicant, SessionLevel, SessionRecord } from './session-record.ts';
import { recordEvents } from './record-events.ts';
import { loadSession, saveSession } from './sessions-store.ts';

export interface Change {
  /** null: only applicant data changes; the flow and its sequence stay as they are. */
  event: FlowEvent | null;
  /** Extra facts recorded with the event rows (ids, types; never personal data). */
  eventData?: Record<string, unknown>;
  applicant?: Applicant;
  /** A new level snapshot (only its return URL may change after creation). */
  level?: SessionLevel;
  /** Jobs this change enqueued inside the transaction: local workers are woken after the commit. */
  wake?: JobName;
}

const mutex = new KeyedMutex();

export const preflightOf = (record: SessionRecord, now: Date): Preflight =>
  decideNextScreen({ sessionId: record.id, state: record.state, level: record.level, now });

export async function loadSessionOrThrow(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<SessionRecord> {
  const record = await loadSession(db, id, options);
  if (!record) throw new AppError('not_found', 'no session with this id');
  return record;
}

/**
 * `build` runs inside the transaction with the row locked: it may write (media rows, jobs) and returns the
 * flow event. A flow rejection rolls everything back and surfaces as the §3 error.
 */
export async function changeSession(
  deps: Deps,
  sessionId: string,
  build: (record: SessionRecord, tx: Db) => Promise<Change>,
): Promise<SessionRecord> {
  return mutex.run(sessionId, async () => {
    let wake: JobName | undefined;
    const { record, changed, gone } = await deps.db.transaction(async (tx) => {
      const current = await loadSessionOrThrow(tx, sessionId, { forUpdate: true });
      // Past expires_at the session is expired whatever arrives (a late check must not revive it): record that first.
      if (effectiveStatus(current.state, deps.now()) === 'expired' && current.state.status !== 'expired') {
        const expired = applyFlowEvent(current.state, { kind: 'expire' }, current.level);
        if (expired.ok) {
          const next = { ...current, state: expired.state };
          next.updated_at = await saveSession(tx, next);
          await recordEvents(tx, next, expired.events, {});
          return { record: next, changed: true, gone: true };
        }
      }
      const change = await build(current, tx);
      wake = change.wake;
      const result = change.event
        ? applyFlowEvent(current.state, change.event, current.level)
        : { ok: true as const, state: current.state, events: ['session.updated' as const] };
      if (!result.ok) throw new AppError(result.rejection.type, result.rejection.message);
      if (result.state.sequence === current.state.sequence && !change.applicant && !change.level) return { record: current, changed: false, gone: false };
      const next = { ...current, state: result.state, applicant: change.applicant ?? current.applicant, level: change.level ?? current.level };
      next.updated_at = await saveSession(tx, next);
      await recordEvents(tx, next, result.events, change.eventData ?? {});
      return { record: next, changed: result.state.sequence !== current.state.sequence, gone: false };
    });
    if (wake) deps.jobs.wake(wake);
    if (changed) await publish(deps, record);
    if (gone) throw new AppError('session_gone', 'the session is expired', { details: { status: 'expired' } });
    return record;
  });
}

export async function publish(deps: Deps, record: SessionRecord): Promise<void> {
  try {
    await deps.bus.publish({ session_id: record.id, sequence: record.state.sequence, preflight: preflightOf(record, deps.now()) });
  } catch (error) {
    // The change is committed; a socket that misses this push catches up through the preflight fallback.
    deps.log.warn({ err: error, session: record.id.slice(0, 6) }, 'publishing a session change failed');
  }
}
