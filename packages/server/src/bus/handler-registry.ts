// Subscriber bookkeeping shared by every bus adapter, so delivery semantics cannot drift between them.
import type { BusErrorHandler, SessionChange, SessionChangeHandler } from './bus.ts';

export interface HandlerRegistry {
  add(sessionId: string, handler: SessionChangeHandler): () => void;
  /** Calls every handler of the change's session; a throwing handler is reported and the others still run. */
  dispatch(change: SessionChange): void;
  clear(): void;
}

export function createHandlerRegistry(onError: BusErrorHandler): HandlerRegistry {
  const bySession = new Map<string, Set<SessionChangeHandler>>();
  return {
    add(sessionId, handler) {
      let set = bySession.get(sessionId);
      if (!set) bySession.set(sessionId, (set = new Set()));
      set.add(handler);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        const current = bySession.get(sessionId);
        if (!current) return;
        current.delete(handler);
        // Empty sets are dropped so a long-running process does not keep one entry per session ever seen.
        if (current.size === 0) bySession.delete(sessionId);
      };
    },
    dispatch(change) {
      const set = bySession.get(change.session_id);
      if (!set) return;
      // A Set iterates over handlers added during the loop too; a snapshot keeps one change = one call per handler.
      for (const handler of [...set]) {
        try {
          handler(change);
        } catch (error) {
          onError(error, { session_id: change.session_id, where: 'handler' });
        }
      }
    },
    clear() {
      bySession.clear();
    },
  };
}
