// Session bodies of protocol §4.1–§4.4 and §4.13.
import { z } from 'zod';
import { decisionKind, requirementStatus, sessionStatus, stepType } from './enums.ts';

/** The public Bynn Web SDK sends '' for fields it does not have: those count as absent. */
const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().max(max).optional());

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +447700900123');
const optionalE164 = z.preprocess((v) => (v === '' || v === null ? undefined : v), e164.optional());
const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.email().max(254).optional());
const optionalCountry = z.preprocess(
  (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? v.toUpperCase() : v),
  z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code').optional(),
);
const optionalLocale = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as en or en-US').optional(),
);
const optionalUrl = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.url({ protocol: /^https?$/ }).max(2000).optional(),
);
const optionalBool = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.boolean().optional());

export const applicantFields = {
  unique_id: optionalText(200),
  first_name: optionalText(200),
  last_name: optionalText(200),
  email_address: optionalEmail,
  phone_number: optionalE164,
  phone_country: optionalCountry,
  i18n: optionalLocale,
  generate_qr: optionalBool,
  vendor_data: optionalText(2000),
  web_sdk_return_url: optionalUrl,
  expires_in: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.number().int().min(60).max(90 * 24 * 3600).optional()),
};

export const sessionCreate = z.object({ kyc_level: z.string().min(1).max(64), ...applicantFields });
export type SessionCreate = z.infer<typeof sessionCreate>;

export const sessionUpdate = z.object({ ...applicantFields, country_code: optionalCountry }).strict();
export type SessionUpdate = z.infer<typeof sessionUpdate>;

export const branding = z.object({
  name: z.string().nullable(),
  logo_url: z.string().nullable(),
  primary_color: z.string().nullable(),
});
export type Branding = z.infer<typeof branding>;

export const sessionCreated = z.object({
  session_id: z.string(),
  url: z.string(),
  websocket_url: z.string(),
  qr_base64_png: z.string().optional(),
  branding,
  status: sessionStatus,
  expires_at: z.string(),
  web_sdk_return_url: z.string().nullable(),
});
export type SessionCreated = z.infer<typeof sessionCreated>;

export const consentView = z.object({
  given: z.boolean().nullable(),
  at: z.string().nullable(),
  version: z.string().nullable().optional(),
});

export const stepView = z.object({ requirement_type: stepType, status: requirementStatus, flow_order: z.number().int() });

/** `GET /sessions/{id}` without a key. */
export const sessionApplicantView = z.object({
  session_id: z.string(),
  status: sessionStatus,
  websocket_url: z.string(),
  url: z.string(),
  web_sdk_return_url: z.string().nullable(),
  i18n: z.string(),
  branding,
  expires_at: z.string(),
  consent: consentView,
  steps: z.array(stepView),
});
export type SessionApplicantView = z.infer<typeof sessionApplicantView>;

export const decisionView = z.object({
  id: z.string(),
  decision: decisionKind,
  reason: z.string().nullable(),
  steps: z.array(stepType),
  created_at: z.string(),
});
export type DecisionView = z.infer<typeof decisionView>;

/** `GET /sessions/{id}` with a private key, and list items. */
export const sessionPrivateView = sessionApplicantView.extend({
  kyc_level: z.string(),
  mode: z.enum(['live', 'sandbox']),
  created_at: z.string(),
  updated_at: z.string(),
  applicant: z.object({
    unique_id: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    email_address: z.string().nullable(),
    phone_number: z.string().nullable(),
    phone_country: z.string().nullable(),
    country_code: z.string().nullable(),
    vendor_data: z.string().nullable(),
  }),
  extracted_data: z.record(z.string(), z.unknown()),
  checks: z.array(z.object({ requirement_type: stepType, status: requirementStatus, reasons: z.array(z.string()), media_ids: z.array(z.string()) })),
  decision: decisionView.nullable(),
  events: z.object({ url: z.string() }),
  sequence: z.number().int(),
});
export type SessionPrivateView = z.infer<typeof sessionPrivateView>;

export const sessionList = z.object({
  data: z.array(sessionPrivateView),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

export const sessionListQuery = z.object({
  status: sessionStatus.optional(),
  kyc_level: z.string().max(64).optional(),
  unique_id: z.string().max(200).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
}).strict();

export const consentQuery = z.object({ gives_consent: z.enum(['true', 'false']).optional() });
export const consentBody = z.object({ gives_consent: z.boolean() }).partial();
export const consentResponse = z.object({
  session_id: z.string(),
  consent: z.object({ given: z.boolean(), at: z.string(), version: z.string() }),
});

export const decisionRequest = z.object({
  decision: decisionKind,
  reason: z.string().max(2000).optional(),
  steps: z.array(stepType).min(1).optional(),
}).strict();
export type DecisionRequest = z.infer<typeof decisionRequest>;

export const sessionEvent = z.object({
  id: z.string(),
  event_type: z.string(),
  sequence: z.number().int(),
  created_at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type SessionEvent = z.infer<typeof sessionEvent>;
export const sessionEventList = z.object({ data: z.array(sessionEvent) });
