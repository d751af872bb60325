// Whether a newer preflight for the same capture screen changes anything the applicant sees. A push that only
// repeats the screen (a reconnect, a REST fallback with a newer sequence) must not restart the camera mid-capture.
import type { Preflight } from '@tessera/protocol';

const signature = (p: Preflight): string =>
  JSON.stringify([p.screen, p.entity_id_state, p.entity_id_document_type, p.requirement?.status ?? null, p.extra_data.reasons ?? null]);

export const sameCapture = (a: Preflight, b: Preflight): boolean => signature(a) === signature(b);
