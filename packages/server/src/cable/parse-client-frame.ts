// Turns one client text frame into a command the connection can act on, or says why it is ignored.
import { CABLE_CHANNEL, cableActionData, cableClientCommand, cableIdentifier } from '@tessera/protocol';

/** Frames above this are ignored unread; real ones are under 200 bytes. */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

export type ClientFrame =
  | { kind: 'preflight' } // the bare text frame `preflight` (Bynn clients)
  | { kind: 'subscribe'; identifier: string; ours: boolean }
  | { kind: 'unsubscribe'; identifier: string }
  | { kind: 'perform'; identifier: string; action: string | null }
  | { kind: 'ignored'; reason: string };

export function parseClientFrame(text: string): ClientFrame {
  if (text.trim() === 'preflight') return { kind: 'preflight' };
  const json = parseJson(text);
  const parsed = cableClientCommand.safeParse(json);
  if (!parsed.success) return { kind: 'ignored', reason: json === undefined ? 'invalid_json' : 'invalid_command' };
  const { command, identifier, data } = parsed.data;
  if (command === 'subscribe') {
    // An identifier that is not JSON, or names another channel, gets reject_subscription like ActionCable's.
    const id = cableIdentifier.safeParse(parseJson(identifier));
    return { kind: 'subscribe', identifier, ours: id.success && id.data.channel === CABLE_CHANNEL };
  }
  if (command === 'unsubscribe') return { kind: 'unsubscribe', identifier };
  const action = cableActionData.safeParse(data === undefined ? undefined : parseJson(data));
  return { kind: 'perform', identifier, action: action.success ? action.data.action : null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
