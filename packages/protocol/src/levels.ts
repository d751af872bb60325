// KYC levels (ours): which steps a session asks for, in which order, and how each screen looks.
import { z } from 'zod';
import { cameraFacing, cameraQuality, documentType, stepType } from './enums.ts';

export const screenParameters = z.object({
  camera: cameraFacing,
  camera_quality: cameraQuality,
  allow_manual_upload: z.boolean(),
  multipage: z.boolean(),
  autocapture: z.boolean(),
  title: z.string().max(200).nullable(),
  text: z.string().max(2000).nullable(),
});
export type ScreenParameters = z.infer<typeof screenParameters>;

export const levelStep = z.object({
  type: stepType,
  flow_order: z.number().int().min(1).max(100_000),
  screen: screenParameters,
});
export type LevelStep = z.infer<typeof levelStep>;

const levelName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -');
export const DEFAULT_EXPIRES_IN = 7 * 24 * 3600;
export const MAX_EXPIRES_IN = 90 * 24 * 3600;
const expiresIn = z.number().int().min(60).max(MAX_EXPIRES_IN);
const returnUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** A level as stored and returned. */
export const kycLevel = z.object({
  id: z.string(),
  name: levelName,
  steps: z.array(levelStep).min(1),
  accepted_document_types: z.array(documentType).min(1),
  web_sdk_return_url: returnUrl.nullable(),
  expires_in: expiresIn,
  show_result: z.boolean(),
  consent_version: z.string().min(1).max(40),
  created_at: z.string(),
  updated_at: z.string(),
});
export type KycLevel = z.infer<typeof kycLevel>;

/** A step as written by a person: everything but the type is optional and filled from defaults. */
export const levelStepInput = z.object({
  type: stepType,
  flow_order: z.number().int().min(1).max(100_000).optional(),
  screen: screenParameters.partial().optional(),
});
export type LevelStepInput = z.infer<typeof levelStepInput>;

export const kycLevelCreate = z.object({
  name: levelName,
  steps: z.array(levelStepInput).min(1).max(16),
  accepted_document_types: z.array(documentType).min(1).optional(),
  web_sdk_return_url: returnUrl.nullable().optional(),
  expires_in: expiresIn.optional(),
  show_result: z.boolean().optional(),
  consent_version: z.string().min(1).max(40).optional(),
}).strict();
export type KycLevelCreate = z.infer<typeof kycLevelCreate>;

export const kycLevelUpdate = kycLevelCreate.omit({ name: true }).partial().strict();
export type KycLevelUpdate = z.infer<typeof kycLevelUpdate>;

/** The config file (`TESSERA_LEVELS_FILE`): a list of levels upserted on start. */
export const levelsFile = z.object({ levels: z.array(kycLevelCreate) });
