// A valid preflight for tests of the bus and the cable; real ones come from the session use cases.
import type { Preflight, ScreenShow } from '@tessera/protocol';

export function makeTestPreflight(sessionId: string, sequence: number, show: ScreenShow = 'consent_screen'): Preflight {
  return {
    extra_data: {},
    session: sessionId,
    session_id: sessionId,
    entity_id_state: 'none_received',
    entity_id_document_type: 'unknown',
    requirement: { requirement_type: 'consent', status: 'awaiting_receipt', flow_order: 1 },
    screen: {
      show,
      parameters: {
        camera: 'back',
        camera_quality: 'high',
        allow_manual_upload: false,
        multipage: false,
        autocapture: true,
        title: null,
        text: null,
      },
    },
    proof_of_address: null,
    proof_of_funds: null,
    sequence,
  };
}
