// Rewrites an uploaded PDF without its metadata (Info dictionary, XMP streams, file /ID, leftover objects) and
// with its pages intact; see pdf-worker.ts for exactly what is kept. The work runs in a worker thread per PDF,
// bounded in pages, heap, decoded stream size and time, so a hostile file gets a 4xx instead of blocking the
// event loop or taking the process down (the same role sharp's pixel limit and timeout play for images).
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors/app-error.ts';
import type { PdfWorkerInput, PdfWorkerOutput } from './pdf-worker.ts';

/**
 * Proofs of address and of funds are bills and statements: a few pages, a long bank statement a few dozen. Every
 * page is copied and stored and an operator may have to read it, so a file far beyond that is not one of these
 * documents, and the bound keeps the worker's time predictable (a 15 MB upload could otherwise hold ~100k pages).
 */
export const MAX_PDF_PAGES = 100;
/** Object and cross-reference streams are decoded while loading; real ones are well under 1 MB each. */
const MAX_DECODED_STREAM_BYTES = 32 * 1024 * 1024;
/** A 15 MB, 100-page PDF takes well under 2 s here (2 cores); past this the file is not worth the CPU. */
const PROCESSING_TIMEOUT_MS = 15_000;
/** JS heap of one worker: pdf-lib's object graph for a 15 MB PDF stays far below it. */
const WORKER_HEAP_MB = 256;
/** PDFs are rare next to photos; at most this many are rewritten at once, the rest wait their turn. */
const MAX_CONCURRENT_WORKERS = 2;

export interface StripPdfOptions {
  maxPages?: number;
  timeoutMs?: number;
}

export interface StrippedPdf {
  bytes: Buffer;
  pages: number;
}

export async function stripPdfMetadata(bytes: Buffer, options: StripPdfOptions = {}): Promise<StrippedPdf> {
  const maxPages = options.maxPages ?? MAX_PDF_PAGES;
  const output = await limited(() =>
    runWorker({ bytes: new Uint8Array(bytes), maxPages, maxDecodedStreamBytes: MAX_DECODED_STREAM_BYTES }, options.timeoutMs ?? PROCESSING_TIMEOUT_MS),
  );
  if (output.ok) return { bytes: Buffer.from(output.bytes.buffer, output.bytes.byteOffset, output.bytes.byteLength), pages: output.pages };
  switch (output.reason) {
    case 'encrypted':
      return rejectAs('unsupported_media_type', 'encrypted or password-protected PDFs are not accepted');
    case 'no_pages':
      return rejectAs('unsupported_media_type', 'the PDF has no readable pages');
    case 'unreadable':
      return rejectAs('unsupported_media_type', 'the file starts like a PDF but cannot be read as one (corrupt or truncated)');
    case 'too_many_pages':
      throw new AppError('payload_too_large', `the PDF has ${output.pages} pages; at most ${maxPages} are accepted`, {
        details: { detected: 'application/pdf', max_pages: maxPages },
      });
    case 'decode_limit':
      return rejectAs('payload_too_large', 'the PDF holds compressed data that expands far beyond its size; send a smaller file');
  }
}

const rejectAs = (type: 'unsupported_media_type' | 'payload_too_large', message: string): never => {
  throw new AppError(type, message, { details: { detected: 'application/pdf' } });
};

// The worker is started from source: the server runs TypeScript through tsx, and a worker does not inherit the
// loader that bin/tessera.mjs registers, so the bootstrap registers it again (harmless where --import tsx is inherited).
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./pdf-worker.ts', import.meta.url).href)}); })`;

function runWorker(input: PdfWorkerInput, timeoutMs: number): Promise<PdfWorkerOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new AppError('payload_too_large', 'the PDF took too long to process; send a smaller or simpler file', {
        details: { detected: 'application/pdf' },
      })));
    }, timeoutMs);
    worker.on('message', (output: PdfWorkerOutput) => settle(() => resolve(output)));
    worker.on('error', (error: Error & { code?: string }) => {
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new AppError('payload_too_large', 'the PDF needs too much memory to process; send a smaller or simpler file', { details: { detected: 'application/pdf' } })
        : error)); // anything else (the worker failing to start) is our fault: a 500
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`the PDF worker exited (${code}) without an answer`))));
  });
}

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_WORKERS) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing task hands its slot over as is
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}
