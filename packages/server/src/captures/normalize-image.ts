// Decode an uploaded image fully and re-encode it in its own format, upright and with no metadata.
// Fully decoding proves the bytes are a real image (not a polyglot wearing JPEG magic), and the
// re-encode drops EXIF (GPS, device serials), XMP, IPTC and ICC: sharp's default output carries no
// metadata and converts to sRGB, so the only colour space we ever store is the implicit sRGB one.
import sharp from 'sharp';
import { AppError } from '../errors/app-error.ts';
import type { ImageCaptureType } from './sniff-content-type.ts';

export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Wall-clock bound on one decode + encode: a noisy 48 MP JPEG took ~5 s here (2 cores), 12 MP ~1 s. */
const PROCESSING_TIMEOUT_SECONDS = 30;
const JPEG_QUALITY = 92;
const WEBP_QUALITY = 92;

export interface NormalizedImage {
  bytes: Buffer;
  /** After auto-orientation, i.e. as displayed. */
  width: number;
  height: number;
}

export async function normalizeImage(bytes: Buffer, type: ImageCaptureType, maxPixels = DEFAULT_MAX_PIXELS): Promise<NormalizedImage> {
  const input = sharp(bytes, {
    // Checked against the header before any pixel is decoded: a 48 KB PNG claiming 20000×20000 is refused
    // without allocating its 400 MP.
    limitInputPixels: maxPixels,
    // 'error' rejects truncated and corrupt data but tolerates libjpeg warnings (extraneous bytes before a
    // marker, etc.) that real phone cameras produce; 'warning' would refuse some genuine photos.
    failOn: 'error',
    autoOrient: true,
  }).timeout({ seconds: PROCESSING_TIMEOUT_SECONDS });

  const output =
    type === 'image/jpeg'
      ? input.jpeg({ quality: JPEG_QUALITY, mozjpeg: false }) // mozjpeg: ~3× slower for ~10% smaller files
      : type === 'image/png'
        ? input.png()
        : input.webp({ quality: WEBP_QUALITY });

  try {
    const { data, info } = await output.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    throw toAppError(error, type, maxPixels);
  }
}

function toAppError(error: unknown, type: ImageCaptureType, maxPixels: number): AppError {
  const message = error instanceof Error ? error.message : '';
  // Too many pixels (or too slow to decode) is a size problem the client can fix by downscaling: 413, not 415.
  if (/pixel limit/i.test(message)) {
    return new AppError('payload_too_large', `the image has more than ${maxPixels} pixels; send a smaller image`, {
      details: { max_pixels: maxPixels },
    });
  }
  if (/timeout/i.test(message)) {
    return new AppError('payload_too_large', 'the image took too long to process; send a smaller image', {
      details: { max_pixels: maxPixels },
    });
  }
  // libvips' own message is not passed on: it can name internal paths and is no help to the applicant.
  return new AppError('unsupported_media_type', `the file starts like ${type} but does not decode as one (corrupt or truncated)`, {
    details: { detected: type },
  });
}
