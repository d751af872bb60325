// Sub-protocol choice for the websocket server (`handleProtocols` of ws / @fastify/websocket), protocol §6.
import { CABLE_SUBPROTOCOLS } from '@tessera/protocol';

/** Prefers plain `actioncable-v1-json`; the `-ext-json` variant only when it is the one offered, since we speak
 *  its plain subset (no history, no presence) and ext clients fall back to that. */
export function cableHandleProtocols(protocols: Set<string>): string | false {
  for (const protocol of CABLE_SUBPROTOCOLS) if (protocols.has(protocol)) return protocol;
  return false;
}
