// Applicant step bodies of protocol §4.6–§4.12.
import { z } from 'zod';
import { documentType, fundsType, mediaScreen } from './enums.ts';

/** Strict base64: the standard alphabet, padded, no `data:` prefix, no whitespace or line breaks. */
// A flat character class (no repeated groups) stays linear on 20 MB strings, where a grouped pattern overflows
// V8's regex stack; the padding position is checked by the decoder at the edge.
export const strictBase64 = z
  .string()
  .min(4, 'empty capture')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not strict base64 (no data: prefix, no line breaks, padded)')
  .refine((value) => value.length % 4 === 0, 'not strict base64: the length must be a multiple of 4 (padded)');

export const mediaUpload = z.object({
  media_base64_strict: strictBase64,
  app_screen: mediaScreen,
  document_type: documentType.optional(),
  file_name: z.string().max(255).optional(),
});
export type MediaUpload = z.infer<typeof mediaUpload>;
/** The non-file fields of the multipart form of `POST …/media`. */
export const mediaUploadFields = mediaUpload.omit({ media_base64_strict: true });

export const mediaAccepted = z.object({ media_id: z.string(), app_screen: mediaScreen, status: z.literal('processing') });

export const livenessChallenge = z.object({
  kind: z.literal('head_turn'),
  sequence: z.array(z.enum(['left', 'right', 'up', 'down'])),
  nonce: z.string(),
  frame_count: z.number().int().positive(),
});
export const livenessStarted = z.object({
  liveness_id: z.string(),
  challenge: livenessChallenge,
  expires_at: z.string(),
  server_time: z.string(),
});
export type LivenessStarted = z.infer<typeof livenessStarted>;

export const MAX_LIVENESS_FRAMES = 30;
export const livenessComplete = z.union([
  z.object({ liveness_id: z.string().max(64), frames: z.array(strictBase64).min(1).max(MAX_LIVENESS_FRAMES) }).strict(),
  z.object({ liveness_id: z.string().max(64), video_base64_strict: strictBase64 }).strict(),
]);
export type LivenessComplete = z.infer<typeof livenessComplete>;

export const processingAccepted = z.object({ status: z.literal('processing') });

export const addressUpload = z.object({
  document_base64_strict: strictBase64,
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  cell_info: z.record(z.string(), z.unknown()).optional(),
});
export type AddressUpload = z.infer<typeof addressUpload>;

export const fundsUpload = z.object({ document_base64_strict: strictBase64, funds_type: fundsType.optional() });
export type FundsUpload = z.infer<typeof fundsUpload>;

export const phoneSend = z.object({ phone_number: z.string().min(3).max(32), country_code: z.string().length(2).optional() });
export const emailSend = z.object({ email_address: z.string().min(3).max(254) });
export const codeCheck = z.object({ code: z.string().regex(/^\d{6}$/, 'a 6-digit code') });
export const codeSent = z.object({
  status: z.literal('code_sent'),
  destination: z.string(),
  expires_at: z.string(),
  resend_available_at: z.string(),
});
export const codeVerified = z.object({ status: z.literal('verified') });

export const nfcUpload = z.object({
  session_id: z.string().optional(),
  rawDG1: strictBase64,
  rawDG2: strictBase64,
  rawDG14: strictBase64.optional(),
  rawDG15: strictBase64.optional(),
  rawSOD: strictBase64,
});
