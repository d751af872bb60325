// The sessions.expire sweep: unsubmitted sessions past expires_at become `expired` and get `cancel_screen` pushed.
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { changeSession } from '../sessions/change-session.ts';
import { lockExpiredSessionIds } from '../sessions/sessions-store.ts';

export async function expireSessions(deps: Deps, batch = 100): Promise<number> {
  const ids = await deps.db.transaction((tx) => lockExpiredSessionIds(tx, deps.now(), batch));
  let expired = 0;
  for (const id of ids) {
    try {
      await changeSession(deps, id, async (record) => {
        if (Date.parse(record.state.expires_at) > deps.now().getTime()) throw new AppError('step_not_expected', 'extended meanwhile');
        return { event: { kind: 'expire' } };
      });
      expired += 1;
    } catch (error) {
      if (!isAppError(error)) throw error; // a session that got submitted or canceled meanwhile is skipped
    }
  }
  return expired;
}
