// Worker-thread body of strip-pdf-metadata.ts: one PDF per worker, then the worker exits. pdf-lib parses
// synchronously and has no size or time limits of its own, so it runs here, where the caller can bound its
// heap and kill it on a deadline, and where the decode cap below applies to this one document only.
//
// The PDF is rebuilt rather than edited: its pages are copied into a new, empty document, so only what the
// pages reach is written out. That drops the Info dictionary (Author, Creator, Producer, Title, Subject,
// Keywords, dates), the catalog's XMP /Metadata, the file /ID, and also every object an editor left behind
// unreferenced (earlier revisions of the Info dictionary from incremental updates, deleted objects). Before
// copying, /Metadata (XMP), /PieceInfo (private application data) and /LastModified are removed from every
// dictionary, so XMP on pages, images or fonts is not reachable either. What a page shows is kept byte for
// byte: content streams, fonts, images and annotations are copied as they are, undecoded. Document-level
// extras that no page carries (outline, form dictionary, tagged structure, attachments) are left out.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from 'pdf-lib';

export interface PdfWorkerInput {
  bytes: Uint8Array;
  maxPages: number;
  maxDecodedStreamBytes: number;
}

export type PdfWorkerOutput =
  | { ok: true; bytes: Uint8Array; pages: number }
  | { ok: false; reason: 'encrypted' | 'unreadable' | 'no_pages' | 'decode_limit' }
  | { ok: false; reason: 'too_many_pages'; pages: number };

const STRIPPED_KEYS = ['Metadata', 'PieceInfo', 'LastModified'].map((key) => PDFName.of(key));

// pdf-lib decodes object streams and cross-reference streams while loading (never content streams: those are
// copied raw). A Flate stream inflates up to ~1000×, twice nested ~10⁶×, so a few hundred KB can claim GBs and
// block the thread for minutes. Every pdf-lib decoder grows its output through DecodeStream.ensureBuffer, so that
// is where the cap goes. pdf-lib catches errors per object and carries on, hence the flag. This patches the
// library's internal class: it is safe because this worker's module instance serves this one document only, and
// a pdf-lib upgrade that moves the class makes the require below fail loudly (the capture tests cover it).
let decodeLimitHit = false;
function capDecodedStreams(maxBytes: number): void {
  const require = createRequire(import.meta.url);
  const { default: DecodeStream } = require('pdf-lib/cjs/core/streams/DecodeStream.js') as {
    default: { prototype: { ensureBuffer(requested: number): Uint8Array } };
  };
  const ensureBuffer = DecodeStream.prototype.ensureBuffer;
  DecodeStream.prototype.ensureBuffer = function (this: unknown, requested: number): Uint8Array {
    if (requested > maxBytes) {
      decodeLimitHit = true;
      throw new Error('decoded stream over the limit');
    }
    return ensureBuffer.call(this, requested);
  };
}

/** Removes the stripped keys from a dictionary and the direct dictionaries and arrays inside it (references are not followed). */
function strip(object: PDFObject | undefined): void {
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
  if (dict) {
    for (const key of STRIPPED_KEYS) dict.delete(key);
    for (const value of dict.values()) strip(value);
  } else if (object instanceof PDFArray) {
    for (const value of object.asArray()) strip(value);
  }
}

async function cleanPdf({ bytes, maxPages }: PdfWorkerInput): Promise<PdfWorkerOutput> {
  let source: PDFDocument;
  try {
    // updateMetadata: false, or pdf-lib would write its own Producer/Creator/dates into the Info dictionary.
    // Encryption is checked below rather than by load's EncryptedPDFError: pdf-lib's errors are compiled to ES5
    // and fail `instanceof`.
    source = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return { ok: false, reason: decodeLimitHit ? 'decode_limit' : 'unreadable' };
  }
  if (decodeLimitHit) return { ok: false, reason: 'decode_limit' };
  // Strings and streams of an encrypted file are ciphertext we cannot check or clean.
  if (source.isEncrypted) return { ok: false, reason: 'encrypted' };
  const pages = source.getPageCount();
  if (pages === 0) return { ok: false, reason: 'no_pages' };
  if (pages > maxPages) return { ok: false, reason: 'too_many_pages', pages };

  for (const [, object] of source.context.enumerateIndirectObjects()) strip(object);
  const target = await PDFDocument.create({ updateMetadata: false });
  const copied = await target.copyPages(source, Array.from({ length: pages }, (_, i) => i));
  for (const page of copied) target.addPage(page);
  // Object streams (PDF 1.5, pdf-lib's default) keep the file small; every current reader supports them.
  const out = await target.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
  return { ok: true, bytes: out, pages };
}

async function run(input: PdfWorkerInput): Promise<PdfWorkerOutput> {
  capDecodedStreams(input.maxDecodedStreamBytes);
  try {
    return await cleanPdf(input);
  } catch {
    // A structure pdf-lib chokes on after loading (a cyclic page tree, a page that is not a dictionary, …).
    return { ok: false, reason: decodeLimitHit ? 'decode_limit' : 'unreadable' };
  }
}

if (parentPort) {
  const port = parentPort;
  // pdf-lib reports each damaged object with console.warn/log; in this thread that would reach the server's stderr
  // as unstructured lines about an applicant's file. The outcome is reported through the message instead.
  console.warn = console.log = () => undefined;
  const output = await run(workerData as PdfWorkerInput);
  port.postMessage(output, output.ok ? [output.bytes.buffer as ArrayBuffer] : []);
}
