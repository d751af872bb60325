// What the API shows of a session: the create answer, the applicant view and the private (integrator) view.
import { effectiveStatus } from '@tessera/flow';
import type { Branding, SessionApplicantView, SessionCreated, SessionPrivateView } from '@tessera/protocol';
import type { SessionRecord } from './session-record.ts';

export interface Links {
  url: string;
  websocket_url: string;
}

export function linksOf(publicUrl: string, sessionId: string): Links {
  return {
    url: `${publicUrl}/verify/${sessionId}`,
    websocket_url: `${publicUrl.replace(/^http/, 'ws')}/cable?session_id=${sessionId}`,
  };
}

export function createdView(record: SessionRecord, links: Links, branding: Branding, now: Date, qr?: string): SessionCreated {
  return {
    session_id: record.id,
    ...links,
    ...(qr ? { qr_base64_png: qr } : {}),
    branding,
    status: effectiveStatus(record.state, now),
    expires_at: record.state.expires_at,
    web_sdk_return_url: record.level.web_sdk_return_url,
  };
}

export function applicantView(record: SessionRecord, links: Links, branding: Branding, now: Date): SessionApplicantView {
  const { consent } = record.state;
  return {
    session_id: record.id,
    status: effectiveStatus(record.state, now),
    ...links,
    web_sdk_return_url: record.level.web_sdk_return_url,
    i18n: record.applicant.i18n,
    branding,
    expires_at: record.state.expires_at,
    consent: { given: consent.given, at: consent.at, version: consent.version },
    steps: record.state.requirements.map((r) => ({ requirement_type: r.type, status: r.status, flow_order: r.flow_order })),
  };
}

export function privateView(record: SessionRecord, links: Links, branding: Branding, now: Date): SessionPrivateView {
  const { i18n: _i18n, ...applicant } = record.applicant;
  const decision = record.state.decision;
  return {
    ...applicantView(record, links, branding, now),
    kyc_level: record.level.name,
    mode: record.mode,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
    applicant,
    // Filled by the automated checks (OCR, MRZ, barcode) once they exist; nothing is extracted yet.
    extracted_data: {},
    checks: record.state.requirements.map((r) => ({ requirement_type: r.type, status: r.status, reasons: r.reasons, media_ids: r.media_ids })),
    decision: decision && { id: decision.id, decision: decision.decision, reason: decision.reason, steps: decision.steps, created_at: decision.at },
    events: { url: `/v1/sessions/${record.id}/events` },
    sequence: record.state.sequence,
  };
}
