// The preflight payload of protocol §5: the REST preflight body and every cable push.
import { z } from 'zod';
import { entityIdDocumentType, entityIdState, requirementStatus, requirementType, screenShow } from './enums.ts';
import { screenParameters } from './levels.ts';

export const screen = z.object({ show: screenShow, parameters: screenParameters });
export type Screen = z.infer<typeof screen>;

export const requirement = z.object({
  requirement_type: requirementType,
  status: requirementStatus,
  flow_order: z.number().int(),
});
export type Requirement = z.infer<typeof requirement>;

const documentProgress = z.object({ status: requirementStatus, message: z.string().nullable() }).nullable();

export const preflight = z.object({
  extra_data: z.record(z.string(), z.unknown()),
  session: z.string(),
  session_id: z.string(),
  entity_id_state: entityIdState,
  entity_id_document_type: entityIdDocumentType,
  requirement: requirement.nullable(),
  screen,
  proof_of_address: documentProgress,
  proof_of_funds: documentProgress,
  sequence: z.number().int().nonnegative(),
});
export type Preflight = z.infer<typeof preflight>;
