// The capture.check job. Until the automated checks (quality, MRZ, face, documents) exist, a capture is
// kept for human review: its requirement becomes `received` and the flow moves on.
import type { Deps } from '../deps.ts';
import { isAppError } from '../errors/app-error.ts';
import { changeSession } from '../sessions/change-session.ts';
import type { JobTypes } from './job-queue.ts';

export function checkCaptureJob(deps: Deps) {
  return async (job: JobTypes['capture.check']): Promise<void> => {
    try {
      await changeSession(deps, job.session_id, async () => ({
        event: { kind: 'capture_checked', requirement: job.requirement, media_id: job.media_id, outcome: 'received' },
        eventData: { media_id: job.media_id, requirement_type: job.requirement, outcome: 'received' },
      }));
    } catch (error) {
      // A session canceled or expired meanwhile has nothing left to check; anything else is retried by the queue.
      if (isAppError(error) && (error.type === 'session_gone' || error.type === 'not_found')) return;
      throw error;
    }
  };
}
