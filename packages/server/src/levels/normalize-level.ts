// Fills a level written by a person with the defaults a commercial KYC product would pick per step.
import {
  DEFAULT_EXPIRES_IN,
  documentType,
  type KycLevelCreate,
  type KycLevelUpdate,
  type LevelStep,
  type ScreenParameters,
  type StepType,
} from '@tessera/protocol';

/** Documents are shot with the back camera at top quality; selfies with the front camera. */
const stepDefaults: Record<StepType, ScreenParameters> = {
  identity_document: { camera: 'back', camera_quality: 'ultra', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null },
  liveness: { camera: 'front', camera_quality: 'high', allow_manual_upload: false, multipage: false, autocapture: true, title: null, text: null },
  nfc: { camera: 'back', camera_quality: 'high', allow_manual_upload: false, multipage: false, autocapture: false, title: null, text: null },
  proof_of_address: { camera: 'back', camera_quality: 'high', allow_manual_upload: true, multipage: true, autocapture: false, title: null, text: null },
  proof_of_funds: { camera: 'back', camera_quality: 'high', allow_manual_upload: true, multipage: true, autocapture: false, title: null, text: null },
  phone_verification: { camera: 'front', camera_quality: 'medium', allow_manual_upload: false, multipage: false, autocapture: false, title: null, text: null },
  email_verification: { camera: 'front', camera_quality: 'medium', allow_manual_upload: false, multipage: false, autocapture: false, title: null, text: null },
};

/** Steps without a flow_order keep the order written, after any explicit ones before them. */
export function normalizeSteps(input: KycLevelCreate['steps']): LevelStep[] {
  let last = 0;
  return input.map((step) => {
    const flow_order = step.flow_order ?? last + 100;
    last = flow_order;
    return { type: step.type, flow_order, screen: { ...stepDefaults[step.type], ...step.screen } };
  });
}

export interface LevelConfig {
  steps: LevelStep[];
  accepted_document_types: KycLevelCreate['accepted_document_types'] & object;
  web_sdk_return_url: string | null;
  expires_in: number;
  show_result: boolean;
  consent_version: string;
}

export function normalizeLevel(input: KycLevelUpdate, base?: LevelConfig): LevelConfig {
  return {
    steps: input.steps ? normalizeSteps(input.steps) : (base?.steps ?? []),
    accepted_document_types: input.accepted_document_types ?? base?.accepted_document_types ?? [...documentType.options],
    web_sdk_return_url: input.web_sdk_return_url !== undefined ? input.web_sdk_return_url : (base?.web_sdk_return_url ?? null),
    expires_in: input.expires_in ?? base?.expires_in ?? DEFAULT_EXPIRES_IN,
    show_result: input.show_result ?? base?.show_result ?? false,
    consent_version: input.consent_version ?? base?.consent_version ?? '2026-01',
  };
}
