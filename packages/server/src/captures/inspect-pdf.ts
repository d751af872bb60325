// Cheap structural checks for an uploaded PDF, without a PDF library: it must end with a %%EOF marker
// (so it was not cut off in transit) and have at least one page. The page count is rough, by design:
// it counts `/Type /Page` dictionaries in the file and, when none are visible, inside Flate-compressed
// object streams (PDF 1.5+ writers such as pdf-lib and iText keep page dictionaries there). It can
// over-count pages left behind by incremental updates and cannot see inside encrypted files.
// This is only the first, cheap gate: strip-pdf-metadata.ts then parses the file for real, rewrites it without
// its metadata and gives the exact page count.
import { inflateSync } from 'node:zlib';
import { AppError } from '../errors/app-error.ts';

/** The spec puts %%EOF at the very end; writers and transfers often append a few bytes after it. */
const EOF_WINDOW = 1024;
/** Total inflated bytes we accept while looking for pages: a guard against zip bombs in object streams. */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;
// `/Page` not followed by another name character, so /Pages, /PageLabels, /PageMode do not count.
const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z0-9#_.-])/g;
const OBJECT_STREAM = /\/Type\s*\/ObjStm(?![A-Za-z0-9])/;

export interface PdfInfo {
  pages: number;
}

const rejected = (message: string): AppError =>
  new AppError('unsupported_media_type', message, { details: { detected: 'application/pdf' } });

export function inspectPdf(bytes: Buffer): PdfInfo {
  if (!bytes.toString('latin1', Math.max(0, bytes.length - EOF_WINDOW)).includes('%%EOF')) {
    throw rejected('the PDF is incomplete: it has no %%EOF end marker');
  }
  const text = bytes.toString('latin1');
  const pages = countMatches(text) || countInObjectStreams(bytes, text);
  if (pages === 0) {
    throw rejected(
      /\/Encrypt\b/.test(text)
        ? 'encrypted or password-protected PDFs are not accepted'
        : 'the PDF has no readable pages',
    );
  }
  return { pages };
}

const countMatches = (text: string): number => text.match(PAGE_OBJECT)?.length ?? 0;

function countInObjectStreams(bytes: Buffer, text: string): number {
  let pages = 0;
  let budget = MAX_INFLATED_BYTES;
  const streamStart = /stream\r?\n/g;
  for (let match = streamStart.exec(text); match; match = streamStart.exec(text)) {
    // The stream's dictionary is the text between the preceding `obj` keyword and `stream`.
    const dictionaryStart = text.lastIndexOf(' obj', match.index);
    if (dictionaryStart === -1 || match.index - dictionaryStart > 4096) continue;
    const dictionary = text.slice(dictionaryStart, match.index);
    if (!OBJECT_STREAM.test(dictionary) || !/\/FlateDecode\b/.test(dictionary)) continue;
    const dataStart = match.index + match[0].length;
    const dataEnd = text.indexOf('endstream', dataStart);
    if (dataEnd === -1 || budget <= 0) break;
    try {
      const inflated = inflateSync(bytes.subarray(dataStart, dataEnd), { maxOutputLength: budget });
      budget -= inflated.length;
      pages += countMatches(inflated.toString('latin1'));
    } catch {
      // A damaged, encrypted or over-budget stream just contributes no pages.
    }
    streamStart.lastIndex = dataEnd;
  }
  return pages;
}
