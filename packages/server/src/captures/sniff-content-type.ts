// What a capture really is, from its first bytes only. Names, extensions and declared Content-Types
// are never trusted (protocol §4.6): they are the attacker's choice.

export const CAPTURE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'video/webm', 'video/mp4'] as const;
export type CaptureType = (typeof CAPTURE_TYPES)[number];
export type ImageCaptureType = Extract<CaptureType, `image/${string}`>;
export type VideoCaptureType = Extract<CaptureType, `video/${string}`>;

export const isImageCaptureType = (type: CaptureType): type is ImageCaptureType => type.startsWith('image/');
export const isVideoCaptureType = (type: CaptureType): type is VideoCaptureType => type.startsWith('video/');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
// ISO-BMFF major brands that are still images (HEIF/HEIC/AVIF), not video: same 'ftyp' box as MP4,
// so without this an iPhone HEIC photo would pass as video/mp4.
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

const ascii = (bytes: Buffer, start: number, end: number): string => bytes.toString('latin1', start, end);

export function sniffContentType(bytes: Buffer): CaptureType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  // Offset 0 only: the spec tolerates junk before the header, which is exactly what polyglot files abuse.
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  // EBML header: any Matroska file; WebM is the Matroska profile browsers' MediaRecorder writes.
  if (bytes.length >= 4 && bytes.subarray(0, 4).equals(EBML_MAGIC)) return 'video/webm';
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && !IMAGE_BRANDS.has(ascii(bytes, 8, 12))) return 'video/mp4';
  return null;
}
