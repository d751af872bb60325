// Machine reason codes (protocol §5 `extra_data.reasons`) → plain-language sentences.
import type { MessageKey, Translator } from './i18n/i18n.ts';

const KNOWN = [
  'blurry',
  'glare',
  'cropped',
  'too_dark',
  'mrz_unreadable',
  'barcode_unreadable',
  'face_not_found',
  'multiple_faces',
  'face_mismatch',
  'liveness_failed',
  'document_expired',
  'document_unsupported',
  'document_unreadable',
  'operator_request',
  'resubmission_requested',
] as const;
export type KnownReason = (typeof KNOWN)[number];

/** Codes the server may use for the same thing: mapped to one sentence rather than the generic one. */
const ALIASES: Record<string, KnownReason> = {
  blur: 'blurry',
  out_of_focus: 'blurry',
  reflection: 'glare',
  partial: 'cropped',
  document_cropped: 'cropped',
  dark: 'too_dark',
  underexposed: 'too_dark',
  mrz_not_found: 'mrz_unreadable',
  barcode_not_found: 'barcode_unreadable',
  no_face: 'face_not_found',
  face_missing: 'face_not_found',
  expired: 'document_expired',
  wrong_document_type: 'document_unsupported',
  unsupported_document: 'document_unsupported',
  unreadable: 'document_unreadable',
};

export function reasonKey(code: string): MessageKey {
  const normalized = code.trim().toLowerCase();
  const known = (KNOWN as readonly string[]).includes(normalized) ? (normalized as KnownReason) : ALIASES[normalized];
  return known ? (`reason.${known}` as MessageKey) : 'reason.unknown';
}

/** `extra_data.reasons` as a list of sentences: unknown codes become one generic sentence, duplicates collapse. */
export function reasonTexts(reasons: unknown, t: Translator): string[] {
  if (!Array.isArray(reasons)) return [];
  const keys = reasons.filter((r): r is string => typeof r === 'string' && r.length > 0).map(reasonKey);
  return [...new Set(keys)].map((key) => t(key));
}

export const KNOWN_REASONS: readonly string[] = KNOWN;
