// The single gate every uploaded capture goes through before it is stored or analysed: size, true type
// from magic bytes, for images a full decode and metadata-free re-encode (see normalize-image.ts), and for
// PDFs a rewrite without the Info dictionary and XMP metadata (see strip-pdf-metadata.ts).
import { createHash } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import { inspectPdf } from './inspect-pdf.ts';
import { DEFAULT_MAX_PIXELS, normalizeImage } from './normalize-image.ts';
import { stripPdfMetadata } from './strip-pdf-metadata.ts';
import { isImageCaptureType, sniffContentType, type CaptureType } from './sniff-content-type.ts';

export type { CaptureType } from './sniff-content-type.ts';

export interface PrepareCaptureOptions {
  allowed: readonly CaptureType[];
  maxBytes: number;
  /** Decompression-bomb guard for images; default 50 MP (a 12 MP phone photo is far below it). */
  maxPixels?: number;
}

export interface PreparedCapture {
  /** What to store: re-encoded for images, rewritten without metadata for PDFs, untouched for videos. */
  bytes: Buffer;
  contentType: CaptureType;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  width?: number;
  height?: number;
  pages?: number;
}

export async function prepareCapture(bytes: Buffer, options: PrepareCaptureOptions): Promise<PreparedCapture> {
  if (bytes.length === 0) throw new AppError('invalid_request', 'empty capture', { details: { reason: 'empty' } });
  if (bytes.length > options.maxBytes) {
    throw new AppError('payload_too_large', `the capture is larger than ${options.maxBytes} bytes`, {
      details: { max_bytes: options.maxBytes },
    });
  }

  const detected = sniffContentType(bytes);
  if (detected === null || !options.allowed.includes(detected)) {
    const accepted = options.allowed.join(', ');
    throw new AppError(
      'unsupported_media_type',
      detected === null ? `unrecognised file type; accepted here: ${accepted}` : `${detected} is not accepted here; accepted: ${accepted}`,
      { details: { detected, allowed: [...options.allowed] } },
    );
  }

  if (isImageCaptureType(detected)) {
    const image = await normalizeImage(bytes, detected, options.maxPixels ?? DEFAULT_MAX_PIXELS);
    return { bytes: image.bytes, contentType: detected, sha256: sha256(image.bytes), width: image.width, height: image.height };
  }
  if (detected === 'application/pdf') {
    inspectPdf(bytes); // the cheap structural refusals first, before a worker is started for the rewrite
    const pdf = await stripPdfMetadata(bytes);
    return { bytes: pdf.bytes, contentType: detected, sha256: sha256(pdf.bytes), pages: pdf.pages };
  }
  // Videos: only size and magic bytes are checked here; the liveness analysis decodes them later.
  return { bytes, contentType: detected, sha256: sha256(bytes) };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
