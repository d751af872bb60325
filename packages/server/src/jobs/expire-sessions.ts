// The expiry sweep: unsubmitted sessions past expires_at become `expired` and get `cancel_screen` pushed.
// changeSession records the expiry of any session it touches past its time; the sweep touches those nobody else does.
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { changeSession } from '../sessions/change-session.ts';
import { lockExpiredSessionIds } from '../sessions/sessions-store.ts';

export async function expireSessions(deps: Deps, batch = 100): Promise<number> {
  const ids = await deps.db.transaction((tx) => lockExpiredSessionIds(tx, deps.now(), batch));
  let expired = 0;
  for (const id of ids) {
    try {
      await changeSession(deps, id, async () => {
        throw new AppError('step_not_expected', 'the session got a new expiry meanwhile');
      });
    } catch (error) {
      if (isAppError(error) && error.type === 'session_gone') expired += 1;
      else if (!isAppError(error)) throw error;
    }
  }
  return expired;
}
