// POST /v1/sessions: a new session on a level, idempotent under an Idempotency-Key.
import { createHash } from 'node:crypto';
import { newSessionState } from '@tessera/flow';
import type { SessionCreate, SessionCreated } from '@tessera/protocol';
import QRCode from 'qrcode';
import type { Caller } from '../accounts/authenticate.ts';
import { loadBranding } from '../accounts/branding.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { newSessionId } from '../ids.ts';
import { findLevel } from '../levels/levels-store.ts';
import { claimIdempotencyKey, storeIdempotentResponse } from './idempotency-store.ts';
import type { SessionRecord } from './session-record.ts';
import { createdView, linksOf } from './session-views.ts';
import { recordEvents } from './record-events.ts';
import { insertSession } from './sessions-store.ts';

const DEFAULT_LOCALE = 'en';

export async function createSession(deps: Pick<Deps, 'db' | 'now' | 'publicUrl'>, caller: Caller, input: SessionCreate, idempotencyKey?: string): Promise<SessionCreated> {
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new AppError('invalid_request', 'Idempotency-Key must be 1–255 printable ASCII characters');
  }
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  // Scoped by key kind as well: public keys are public, and a replay hands out the session id (the applicant's
  // capability), so a public key must never replay what a private key created under a guessable Idempotency-Key.
  const scopedKey = idempotencyKey === undefined ? undefined : `${caller.kind}:${idempotencyKey}`;
  return deps.db.transaction(async (tx) => {
    if (scopedKey !== undefined) {
      const earlier = await claimIdempotencyKey(tx, caller.organization_id, caller.mode, scopedKey, requestHash);
      if (earlier && earlier.request_hash !== requestHash) {
        throw new AppError('idempotency_conflict', 'this Idempotency-Key was used with a different body');
      }
      if (earlier) return earlier.response_body as SessionCreated;
    }
    const level = await findLevel(tx, caller.organization_id, input.kyc_level);
    if (!level) throw new AppError('not_found', `unknown kyc_level "${input.kyc_level}"`, { details: { kyc_level: input.kyc_level } });
    const now = deps.now();
    const expiresAt = new Date(now.getTime() + (input.expires_in ?? level.expires_in) * 1000).toISOString();
    const record: Omit<SessionRecord, 'created_at' | 'updated_at'> = {
      id: newSessionId(),
      organization_id: caller.organization_id,
      mode: caller.mode,
      level: {
        name: level.name,
        steps: level.steps,
        accepted_document_types: level.accepted_document_types,
        show_result: level.show_result,
        consent_version: level.consent_version,
        web_sdk_return_url: input.web_sdk_return_url ?? level.web_sdk_return_url,
      },
      applicant: {
        unique_id: input.unique_id ?? null,
        first_name: input.first_name ?? null,
        last_name: input.last_name ?? null,
        email_address: input.email_address ?? null,
        phone_number: input.phone_number ?? null,
        phone_country: input.phone_country ?? null,
        country_code: null,
        vendor_data: input.vendor_data ?? null,
        i18n: input.i18n ?? DEFAULT_LOCALE,
      },
      state: newSessionState(level, expiresAt),
    };
    const stored = await insertSession(tx, record);
    await recordEvents(tx, stored, ['session.created'], { kyc_level: level.name, mode: caller.mode });
    const links = linksOf(deps.publicUrl, stored.id);
    const qr = input.generate_qr ? await qrPng(links.url) : undefined;
    const body = createdView(stored, links, await loadBranding(tx, caller.organization_id), now, qr);
    if (scopedKey !== undefined) await storeIdempotentResponse(tx, caller.organization_id, caller.mode, scopedKey, 201, body);
    return body;
  });
}

async function qrPng(url: string): Promise<string> {
  const dataUrl = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}
