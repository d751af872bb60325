import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PDFDocument, PDFName } from 'pdf-lib';
import { AppError } from '../errors/app-error.ts';
import { handMadePdf } from './capture-fixtures.ts';
import { stripPdfMetadata } from './strip-pdf-metadata.ts';

describe('stripPdfMetadata', () => {
  test("metadata written by pdf-lib's own setters (UTF-16 hex strings) is gone too, and nothing new is added", async () => {
    const doc = await PDFDocument.create(); // also stamps its own Producer, Creator and dates
    doc.setAuthor('Jane Applicant');
    doc.setTitle('Payslip');
    doc.addPage();
    const out = await stripPdfMetadata(Buffer.from(await doc.save()));
    assert.equal(out.pages, 1);
    const cleaned = await PDFDocument.load(out.bytes, { updateMetadata: false });
    assert.equal(cleaned.context.trailerInfo.Info, undefined);
    assert.equal(cleaned.getAuthor(), undefined);
    assert.equal(cleaned.getTitle(), undefined);
    assert.equal(cleaned.getProducer(), undefined);
    assert.equal(cleaned.getCreationDate(), undefined);
    assert.equal(cleaned.catalog.get(PDFName.of('Metadata')), undefined);
  });

  test('past its deadline the worker is stopped → 413, not a hang', async () => {
    const error = await stripPdfMetadata(handMadePdf(1), { timeoutMs: 1 }).catch((e: unknown) => e);
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.type, 'payload_too_large');
    assert.match(error.message, /took too long/);
  });

  test('maxPages is configurable; many PDFs at once all get their answer (the rest wait for a worker)', async () => {
    await assert.rejects(stripPdfMetadata(handMadePdf(3), { maxPages: 2 }), (e: unknown) => e instanceof AppError && e.details?.max_pages === 2);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => stripPdfMetadata(handMadePdf(i + 1))));
    assert.deepEqual(results.map((r) => r.pages), [1, 2, 3, 4, 5]);
  });
});
