// Every applicant upload takes this path: check the step, validate the bytes, store them encrypted and durably,
// then (in one transaction) record the media, enqueue its check and move the flow to `processing`.
import { checkStepAction, type StepAction } from '@tessera/flow';
import type { DocumentType, StepType } from '@tessera/protocol';
import { createHash } from 'node:crypto';
import { prepareCapture, type CaptureType, type PreparedCapture } from '../captures/prepare-capture.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { newRecordId } from '../ids.ts';
import { changeSession } from '../sessions/change-session.ts';
import { loadForApplicant, throwIfRejected } from '../sessions/session-actions.ts';
import type { SessionRecord } from '../sessions/session-record.ts';
import type { Db } from '../storage/db.ts';
import { insertMedia, type MediaRecord } from './media-store.ts';

export const IMAGE_TYPES: readonly CaptureType[] = ['image/jpeg', 'image/png', 'image/webp'];
export const DOCUMENT_TYPES: readonly CaptureType[] = [...IMAGE_TYPES, 'application/pdf'];
export const VIDEO_TYPES: readonly CaptureType[] = ['video/webm', 'video/mp4'];

export interface CaptureSpec {
  action: StepAction;
  requirement: StepType;
  side?: 'front' | 'back';
  appScreen?: string;
  documentType?: DocumentType;
  /** Raw bytes as uploaded; more than one for liveness frames. */
  files: Buffer[];
  allowed: readonly CaptureType[];
  /** Stored as sent under this content type instead of being sniffed and re-encoded (NFC chip data). */
  rawContentType?: string;
  metadata?: Record<string, unknown>;
  /** Extra checks and writes inside the locked transaction (e.g. consuming a liveness challenge). */
  withinTransaction?: (record: SessionRecord, tx: Db) => Promise<void>;
}

export async function receiveCapture(deps: Deps, sessionId: string, spec: CaptureSpec): Promise<{ media_ids: string[] }> {
  // Cheap refusals first, before any bytes are decoded or written.
  const before = await loadForApplicant(deps, sessionId);
  throwIfRejected(checkStepAction(before.state, before.level, deps.now(), spec.action));
  const documentType = spec.requirement === 'identity_document' ? resolveDocumentType(before, spec) : undefined;

  let remaining = deps.limits.maxUploadBytes;
  const prepared: Prepared[] = [];
  for (const file of spec.files) {
    const capture = spec.rawContentType ? rawCapture(file, spec.rawContentType, remaining) : await prepareCapture(file, { allowed: spec.allowed, maxBytes: remaining });
    remaining -= capture.bytes.length;
    prepared.push(capture);
  }
  const media: MediaRecord[] = prepared.map((capture, index) => {
    const id = newRecordId('media');
    return {
      id,
      session_id: sessionId,
      requirement_type: spec.requirement,
      app_screen: spec.appScreen ?? null,
      content_type: capture.contentType,
      byte_size: capture.bytes.length,
      sha256: capture.sha256,
      blob_key: `sessions/${sessionId}/${id}`,
      metadata: { ...spec.metadata, ...(spec.files.length > 1 ? { frame_index: index } : {}), width: capture.width, height: capture.height, pages: capture.pages },
    };
  });
  // Bytes are durable before the transaction that acknowledges them commits: a crash after the 202 loses nothing.
  await Promise.all(media.map((m, i) => deps.blobs.put(m.blob_key, prepared[i]!.bytes)));
  const primary = media.at(-1)!;
  try {
    await changeSession(deps, sessionId, async (record, tx) => {
      throwIfRejected(checkStepAction(record.state, record.level, deps.now(), spec.action));
      await spec.withinTransaction?.(record, tx);
      for (const m of media) await insertMedia(tx, m);
      await deps.jobs.send('capture.check', { session_id: sessionId, requirement: spec.requirement, media_id: primary.id }, { tx, singletonKey: primary.id });
      return {
        event: { kind: 'capture_received', requirement: spec.requirement, media_id: primary.id, ...(media.length > 1 ? { extra_media_ids: media.slice(0, -1).map((m) => m.id) } : {}), ...(spec.side ? { side: spec.side } : {}), ...(documentType ? { document_type: documentType } : {}) },
        eventData: { media_id: primary.id, requirement_type: spec.requirement, content_type: primary.content_type, ...(spec.side ? { side: spec.side } : {}) },
        wake: 'capture.check',
      };
    });
  } catch (error) {
    await Promise.allSettled(media.map((m) => deps.blobs.delete(m.blob_key)));
    throw error;
  }
  return { media_ids: media.map((m) => m.id) };
}

type Prepared = Pick<PreparedCapture, 'bytes' | 'sha256' | 'width' | 'height' | 'pages'> & { contentType: string };

function rawCapture(bytes: Buffer, contentType: string, maxBytes: number): Prepared {
  if (bytes.length > maxBytes) throw new AppError('payload_too_large', `the capture is larger than ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
  return { bytes, contentType, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Passports need a front only; other documents a front and a back. The type comes from the upload or the level, if either says. */
function resolveDocumentType(record: SessionRecord, spec: CaptureSpec): DocumentType | undefined {
  const accepted = record.level.accepted_document_types;
  if (spec.side === 'back') return undefined;
  const chosen = spec.documentType ?? (accepted.length === 1 ? accepted[0] : undefined);
  // Bynn clients never send a type. The capture is then kept as `unknown` with no back screen asked for:
  // an operator (and later the document check) tells the type, rather than the upload failing.
  if (!chosen) return undefined;
  if (!accepted.includes(chosen)) {
    throw new AppError('validation_error', `document_type ${chosen} is not accepted here; use one of ${accepted.join(', ')}`, { details: { accepted_document_types: accepted } });
  }
  return chosen;
}
