import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { AppError } from '../errors/app-error.ts';
import {
  handMadePdf, jpegWithPrivateMetadata, PDF_PAGE_TEXT, PDF_PRIVATE_STRINGS, pdfCompressionBomb, pdfWithPrivateMetadata, pngPixelBomb,
  pngWithExif, webpWithExif,
} from './capture-fixtures.ts';
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

/** Everything a PDF holds as text: its bytes, and every stream decoded (object streams, content, XMP). */
async function expandedPdf(bytes: Buffer): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const parts = [bytes.toString('latin1')];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    parts.push(object instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(object).decode()).toString('latin1') : object.toString());
  }
  return parts.join('\n');
}

/** Each page's decoded content stream(s), as text. */
async function pageContents(bytes: Buffer): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    return streams.map((stream) => (stream instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') : '')).join('\n');
  });
}

const hexOf = (text: string): string => Buffer.from(text, 'latin1').toString('hex').toUpperCase();

describe('prepareCapture: PDFs are rewritten without their metadata', () => {
  test('Info dictionary, XMP (catalog and page), PieceInfo and leftover objects are gone; pages and text stay', async () => {
    const input = await pdfWithPrivateMetadata(2);
    const inputText = await expandedPdf(input);
    for (const secret of PDF_PRIVATE_STRINGS) assert.ok(inputText.includes(secret), `fixture carries ${secret}`);

    const out = await prepareCapture(input, opts);
    assert.equal(out.contentType, 'application/pdf');
    assert.equal(out.pages, 2);
    assert.equal(out.sha256, sha256(out.bytes));
    assert.notEqual(out.sha256, sha256(input));
    const outputText = await expandedPdf(out.bytes);
    for (const secret of PDF_PRIVATE_STRINGS) {
      assert.equal(out.bytes.includes(Buffer.from(secret, 'latin1')), false, `${secret} in the bytes`);
      assert.equal(outputText.includes(secret), false, `${secret} in a decoded stream`);
    }
    for (const marker of ['/Author', '/Producer', '/Creator', '/CreationDate', '/ModDate', '/Metadata', '/PieceInfo', '/Info', '/ID']) {
      assert.equal(outputText.includes(marker), false, marker);
    }

    const doc = await PDFDocument.load(out.bytes, { updateMetadata: false });
    assert.equal(doc.getPageCount(), 2);
    assert.equal(doc.getAuthor(), undefined);
    assert.equal(doc.getProducer(), undefined);
    assert.equal(doc.catalog.get(PDFName.of('Metadata')), undefined);
    const [before, after] = [await pageContents(input), await pageContents(out.bytes)];
    assert.deepEqual(after, before, 'content streams unchanged');
    assert.ok(after[0]?.includes(hexOf(`${PDF_PAGE_TEXT} 1`)) && after[1]?.includes(hexOf(`${PDF_PAGE_TEXT} 2`)), 'the drawn text is there');
    assert.deepEqual(doc.getPages().map((p) => p.getSize()), [{ width: 612, height: 792 }, { width: 612, height: 792 }]);
  });

  test('hand-written PDFs, plain and with an object stream (PDF 1.5+), keep their page count', async () => {
    const plain = await prepareCapture(handMadePdf(2), opts);
    assert.equal(plain.pages, 2);
    assert.equal((await PDFDocument.load(plain.bytes)).getPageCount(), 2);
    assert.equal((await prepareCapture(handMadePdf(3, { objectStreams: true }), opts)).pages, 3);
  });

  test('a PDF cut off before %%EOF, or with no pages → 415', async () => {
    const pdf = handMadePdf(1);
    await assert.rejects(prepareCapture(pdf.subarray(0, pdf.length - 10), opts), rejectsWith('unsupported_media_type', /no %%EOF/));
    await assert.rejects(prepareCapture(handMadePdf(0), opts), rejectsWith('unsupported_media_type', /no readable pages/));
    const encrypted = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 3 >>\nstream\nxyz\nendstream\nendobj\ntrailer\n<< /Encrypt 9 0 R >>\n%%EOF\n', 'latin1');
    await assert.rejects(prepareCapture(encrypted, opts), rejectsWith('unsupported_media_type', /encrypted/));
  });

  test('an encrypted PDF whose pages are visible → 415 encrypted (refused by the parser, not guessed)', async () => {
    const encrypted = Buffer.from(handMadePdf(1).toString('latin1').replace('<< /Root 1 0 R >>', '<< /Root 1 0 R /Encrypt << /Filter /Standard /V 2 >> >>'), 'latin1');
    await assert.rejects(prepareCapture(encrypted, opts), rejectsWith('unsupported_media_type', /encrypted or password-protected/, { detected: 'application/pdf' }));
  });

  test('malformed: PDF magic, a page marker and %%EOF around junk → 415, not a 500', async () => {
    const junk = Buffer.from('%PDF-1.7\n<< /Type /Page >> this is not a PDF at all ]]>> 9 9 R obj\n%%EOF\n', 'latin1');
    await assert.rejects(prepareCapture(junk, opts), rejectsWith('unsupported_media_type', /cannot be read as one/, { detected: 'application/pdf' }));
  });

  test('more than 100 pages → 413 with max_pages', async () => {
    await assert.rejects(prepareCapture(handMadePdf(101), opts), rejectsWith('payload_too_large', /101 pages; at most 100/, { max_pages: 100 }));
    assert.equal((await prepareCapture(handMadePdf(100), opts)).pages, 100);
  });

  test('a compression bomb in an object stream (64 MB from ~65 KB) → 413, quickly', async () => {
    const bomb = pdfCompressionBomb(64);
    assert.ok(bomb.length < 100_000);
    const started = performance.now();
    await assert.rejects(prepareCapture(bomb, opts), rejectsWith('payload_too_large', /expands far beyond its size/));
    assert.ok(performance.now() - started < 5000, 'stopped at the decode cap, not after inflating it all');
  });
});

describe('prepareCapture: videos are kept as sent', () => {
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
