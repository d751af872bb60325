import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../errors/app-error.ts';
import { handMadePdf, jpegWithPrivateMetadata, pngPixelBomb, pngWithExif, webpWithExif } from './capture-fixtures.ts';
import { prepareCapture } from './prepare-capture.ts';
import type { CaptureType } from './sniff-content-type.ts';

const DOCUMENT: readonly CaptureType[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
const MB = 1024 * 1024;
const opts = { allowed: DOCUMENT, maxBytes: 10 * MB };

const rejectsWith = (type: string, message: RegExp, details?: Record<string, unknown>) => (error: unknown): boolean => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.type, type);
  assert.match(error.message, message);
  if (details) for (const [key, value] of Object.entries(details)) assert.deepEqual(error.details?.[key], value, key);
  return true;
};
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('prepareCapture: images', () => {
  test('JPEG: upright, and no EXIF/GPS, XMP, ICC or orientation left', async () => {
    const input = await jpegWithPrivateMetadata();
    const before = await sharp(input).metadata();
    assert.ok(before.exif && before.xmp && before.icc, 'fixture carries metadata');
    assert.equal(before.orientation, 6);

    const out = await prepareCapture(input, opts);
    assert.equal(out.contentType, 'image/jpeg');
    assert.deepEqual([out.width, out.height], [400, 640]); // rotated by EXIF, then the tag dropped
    assert.equal(out.sha256, sha256(out.bytes));
    const after = await sharp(out.bytes).metadata();
    assert.equal(after.format, 'jpeg');
    assert.deepEqual([after.width, after.height], [400, 640]);
    assert.equal(after.exif, undefined);
    assert.equal(after.xmp, undefined);
    assert.equal(after.icc, undefined);
    assert.equal(after.orientation, undefined);
    assert.equal(out.bytes.includes(Buffer.from('AcmePhone')), false);
    assert.equal(out.bytes.includes(Buffer.from('Jane Applicant')), false);
  });

  test('PNG stays PNG and WebP stays WebP, both without EXIF', async () => {
    for (const [input, format] of [[await pngWithExif(), 'png'], [await webpWithExif(), 'webp']] as const) {
      assert.ok((await sharp(input).metadata()).exif, `${format} fixture has EXIF`);
      const out = await prepareCapture(input, opts);
      assert.equal(out.contentType, `image/${format}`);
      assert.deepEqual([out.width, out.height], [320, 200]);
      const after = await sharp(out.bytes).metadata();
      assert.equal(after.format, format);
      assert.equal(after.exif, undefined);
    }
  });

  test('the type comes from the bytes: a PNG sent as "photo.jpg" is a PNG', async () => {
    const out = await prepareCapture(await pngWithExif(), { allowed: ['image/jpeg', 'image/png'], maxBytes: MB });
    assert.equal(out.contentType, 'image/png');
  });

  test('a truncated JPEG, or JPEG magic in front of junk → 415', async () => {
    const jpeg = await jpegWithPrivateMetadata();
    for (const input of [jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), Buffer.concat([jpeg.subarray(0, 3), Buffer.from('not really an image at all')])]) {
      await assert.rejects(prepareCapture(input, opts), rejectsWith('unsupported_media_type', /does not decode as one/, { detected: 'image/jpeg' }));
    }
  });

  test('a pixel bomb (48 KB PNG, 20000×20000) → 413 before any pixel is decoded', async () => {
    const bomb = pngPixelBomb();
    assert.ok(bomb.length < 100_000);
    const started = performance.now();
    await assert.rejects(prepareCapture(bomb, opts), rejectsWith('payload_too_large', /more than 50000000 pixels/, { max_pixels: 50_000_000 }));
    assert.ok(performance.now() - started < 500, 'refused from the header, not after decoding'); // ~15 ms measured
  });

  test('maxPixels is configurable', async () => {
    await assert.rejects(prepareCapture(await pngWithExif(320, 200), { ...opts, maxPixels: 50_000 }), rejectsWith('payload_too_large', /pixels/));
    assert.equal((await prepareCapture(await pngWithExif(320, 200), { ...opts, maxPixels: 64_000 })).width, 320);
  });
});

describe('prepareCapture: refusals before decoding', () => {
  test('unknown content (a text file) → 415 with detected null and the allowed list', async () => {
    await assert.rejects(
      prepareCapture(Buffer.from('name,passport\nJane,X123\n'), opts),
      rejectsWith('unsupported_media_type', /unrecognised file type/, { detected: null, allowed: [...DOCUMENT] }),
    );
  });

  test('a recognised type that the screen does not allow → 415', async () => {
    await assert.rejects(
      prepareCapture(handMadePdf(1), { allowed: ['image/jpeg'], maxBytes: MB }),
      rejectsWith('unsupported_media_type', /application\/pdf is not accepted here/, { detected: 'application/pdf', allowed: ['image/jpeg'] }),
    );
  });

  test('over maxBytes → 413 with max_bytes; exactly maxBytes passes; empty → 400', async () => {
    const png = await pngWithExif();
    await assert.rejects(prepareCapture(png, { ...opts, maxBytes: png.length - 1 }), rejectsWith('payload_too_large', /larger than/, { max_bytes: png.length - 1 }));
    assert.equal((await prepareCapture(png, { ...opts, maxBytes: png.length })).contentType, 'image/png');
    await assert.rejects(prepareCapture(Buffer.alloc(0), opts), rejectsWith('invalid_request', /empty capture/));
  });
});

describe('prepareCapture: PDFs and videos are kept as sent', () => {
  test('a hand-made PDF: bytes untouched, pages counted', async () => {
    const pdf = handMadePdf(2);
    const out = await prepareCapture(pdf, opts);
    assert.equal(out.contentType, 'application/pdf');
    assert.equal(out.bytes, pdf);
    assert.equal(out.pages, 2);
    assert.equal(out.sha256, sha256(pdf));
  });

  test('pages inside a compressed object stream (PDF 1.5+) are found', async () => {
    assert.equal((await prepareCapture(handMadePdf(3, { objectStreams: true }), opts)).pages, 3);
  });

  test('a PDF cut off before %%EOF, or with no pages → 415', async () => {
    const pdf = handMadePdf(1);
    await assert.rejects(prepareCapture(pdf.subarray(0, pdf.length - 10), opts), rejectsWith('unsupported_media_type', /no %%EOF/));
    await assert.rejects(prepareCapture(handMadePdf(0), opts), rejectsWith('unsupported_media_type', /no readable pages/));
    const encrypted = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 3 >>\nstream\nxyz\nendstream\nendobj\ntrailer\n<< /Encrypt 9 0 R >>\n%%EOF\n', 'latin1');
    await assert.rejects(prepareCapture(encrypted, opts), rejectsWith('unsupported_media_type', /encrypted/));
  });

  test('videos: magic bytes and size only, bytes untouched', async () => {
    const videoOpts = { allowed: ['video/webm', 'video/mp4'] as const, maxBytes: MB };
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(100, 7)]);
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(100, 7)]);
    assert.equal((await prepareCapture(webm, videoOpts)).contentType, 'video/webm');
    const out = await prepareCapture(mp4, videoOpts);
    assert.equal(out.contentType, 'video/mp4');
    assert.equal(out.bytes, mp4);
    assert.equal(out.width, undefined);
    await assert.rejects(prepareCapture(mp4, { ...videoOpts, maxBytes: 50 }), rejectsWith('payload_too_large', /larger than 50 bytes/));
  });
});
