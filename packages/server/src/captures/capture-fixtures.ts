// Test fixtures for captures, generated in-process so no binary files are committed.
// Used by the capture tests here and available to route tests that need realistic uploads.
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

const XMP_WITH_NAME =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Applicant</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 60 } } });

/** 640×400 JPEG stored sideways (EXIF Orientation 6) with GPS, device EXIF, XMP (a name) and a Display P3 ICC profile. */
export async function jpegWithPrivateMetadata(): Promise<Buffer> {
  return solid(640, 400)
    .withExif({
      IFD0: { Make: 'AcmePhone', Model: 'X1', Software: 'capture-app 1.0' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 19/1 4500/100', GPSLongitudeRef: 'E', GPSLongitude: '18/1 4/1 1200/100' },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withXmp(XMP_WITH_NAME)
    .jpeg()
    .toBuffer();
}

export async function pngWithExif(width = 320, height = 200): Promise<Buffer> {
  return solid(width, height).withExif({ IFD0: { Make: 'AcmePhone' } }).png().toBuffer();
}

export async function webpWithExif(width = 320, height = 200): Promise<Buffer> {
  return solid(width, height).withExif({ IFD0: { Make: 'AcmePhone' } }).webp().toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([header.subarray(4), data])), 0);
  return Buffer.concat([header, data, crc]);
}

/** A genuine, fully valid 1-bit greyscale PNG of width×height: tens of KB on the wire, 400 MP when decoded at 20000². */
export function pngPixelBomb(width = 20_000, height = 20_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + all-black pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A small hand-written PDF with `pages` pages. With `objectStreams`, the page dictionaries live in a
 * Flate-compressed object stream, as PDF 1.5+ writers (pdf-lib, iText) produce them.
 */
export function handMadePdf(pages: number, options: { objectStreams?: boolean } = {}): Buffer {
  const pageIds = Array.from({ length: pages }, (_, i) => 3 + i);
  const pageObjects = pageIds.map((id) => `${id} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n`);
  const parts: (string | Buffer)[] = [
    '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n',
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    `2 0 obj\n<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>\nendobj\n`,
  ];
  if (options.objectStreams) {
    const bodies = pageIds.map(() => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\n');
    let offset = 0;
    const index = pageIds.map((id, i) => { const entry = `${id} ${offset}`; offset += (bodies[i] ?? '').length; return entry; }).join(' ') + '\n';
    const data = deflateSync(Buffer.from(index + bodies.join(''), 'latin1'));
    const id = 3 + pages;
    parts.push(`${id} 0 obj\n<< /Type /ObjStm /N ${pages} /First ${index.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, data, '\nendstream\nendobj\n');
  } else {
    parts.push(...pageObjects);
  }
  parts.push('trailer\n<< /Root 1 0 R >>\n%%EOF\n');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

/** Text drawn on each page of pdfWithPrivateMetadata(), to check that the page content survives. */
export const PDF_PAGE_TEXT = 'ACME POWER LTD electricity bill';
/** Every piece of personal metadata pdfWithPrivateMetadata() carries; none may survive the capture pipeline. */
export const PDF_PRIVATE_STRINGS = [
  'Jane Applicant', 'Bank statement of Jane', 'Proof of funds', 'salary-keyword', 'ScannerSoft Creator', 'ScannerSoft Producer',
  'xmp-catalog-secret', 'xmp-page-secret', 'piece-info-secret', 'orphan-info-secret',
] as const;

/**
 * A real pdf-lib PDF of `pages` pages with text, and metadata everywhere it can hide: the Info dictionary (author,
 * title, subject, keywords, creator, producer, dates, as literal strings), an XMP stream on the catalog and on the first page, the
 * page's /PieceInfo, and an unreferenced old Info dictionary as an incremental update leaves behind.
 * Written without object streams, so the strings are visible in the bytes of the input.
 */
export async function pdfWithPrivateMetadata(pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Literal strings, as most producers write them (pdf-lib's own setters write UTF-16 hex, which a byte search would miss).
  doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({
    Author: PDFString.of('Jane Applicant'),
    Title: PDFString.of('Bank statement of Jane'),
    Subject: PDFString.of('Proof of funds'),
    Keywords: PDFString.of('salary-keyword'),
    Creator: PDFString.of('ScannerSoft Creator'),
    Producer: PDFString.of('ScannerSoft Producer'),
    CreationDate: PDFString.fromDate(new Date('2026-03-01T10:00:00Z')),
    ModDate: PDFString.fromDate(new Date('2026-03-02T10:00:00Z')),
  }));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([612, 792]).drawText(`${PDF_PAGE_TEXT} ${i + 1}`, { x: 72, y: 700, size: 14, font });
  const xmp = (secret: string) => doc.context.register(doc.context.stream(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>${secret} Jane Applicant</rdf:Description></rdf:RDF></x:xmpmeta>`,
    { Type: 'Metadata', Subtype: 'XML' },
  ));
  doc.catalog.set(PDFName.of('Metadata'), xmp('xmp-catalog-secret'));
  const first = doc.getPage(0).node;
  first.set(PDFName.of('Metadata'), xmp('xmp-page-secret'));
  first.set(PDFName.of('PieceInfo'), doc.context.obj({ ScannerSoft: { Private: PDFString.of('piece-info-secret') } }));
  doc.context.register(doc.context.obj({ Author: PDFString.of('orphan-info-secret') }));
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

/** A PDF whose object stream inflates to `inflatedMegabytes` MB from a few hundred KB (a zip bomb for PDF parsers). */
export function pdfCompressionBomb(inflatedMegabytes = 64): Buffer {
  const data = deflateSync(Buffer.alloc(inflatedMegabytes * 1024 * 1024, 0x20), { level: 9 });
  return Buffer.concat([
    Buffer.from(
      '%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n' +
      // "ObjS#74m" is "ObjStm" with one letter escaped: the parser reads it as an object stream all the same.
      `4 0 obj\n<< /Type /ObjS#74m /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
      'latin1',
    ),
    data,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ]);
}
