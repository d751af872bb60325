// The levels every organization starts with (issue #2): full, basic and contact.
import type { KycLevelCreate } from '@tessera/protocol';

export const builtinLevels: KycLevelCreate[] = [
  {
    name: 'full',
    steps: [
      { type: 'identity_document', flow_order: 100 },
      { type: 'liveness', flow_order: 200 },
      { type: 'proof_of_address', flow_order: 300 },
      { type: 'proof_of_funds', flow_order: 400 },
      { type: 'phone_verification', flow_order: 500 },
      { type: 'email_verification', flow_order: 600 },
    ],
  },
  {
    name: 'basic',
    steps: [
      { type: 'identity_document', flow_order: 100 },
      { type: 'liveness', flow_order: 200 },
    ],
  },
  {
    name: 'contact',
    steps: [
      { type: 'phone_verification', flow_order: 500 },
      { type: 'email_verification', flow_order: 600 },
    ],
  },
];
