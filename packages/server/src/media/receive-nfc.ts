// NFC chip data (protocol §4.12): stored encrypted as one capture. Verifying it against the SOD and a CSCA
// list is a check of its own; until it exists the chip data is kept for review like any other capture.
import type { z } from 'zod';
import type { nfcUpload } from '@tessera/protocol';
import type { Deps } from '../deps.ts';
import { receiveCapture } from './receive-capture.ts';

const GROUPS = ['rawDG1', 'rawDG2', 'rawDG14', 'rawDG15', 'rawSOD'] as const;
export const NFC_CONTENT_TYPE = 'application/vnd.tessera.nfc+json';

export async function receiveNfc(deps: Deps, sessionId: string, body: z.infer<typeof nfcUpload>, decode: (b64: string) => Buffer) {
  const groups: Record<string, string> = {};
  for (const name of GROUPS) {
    const value = body[name];
    if (value === undefined) continue;
    decode(value); // validates the group's base64 and size before anything is stored
    groups[name] = value;
  }
  await receiveCapture(deps, sessionId, {
    action: 'nfc',
    requirement: 'nfc',
    appScreen: 'nfc_capture_screen',
    files: [Buffer.from(JSON.stringify(groups))],
    allowed: [],
    rawContentType: NFC_CONTENT_TYPE,
    metadata: { groups: Object.keys(groups) },
  });
  return { status: 'processing' as const };
}
