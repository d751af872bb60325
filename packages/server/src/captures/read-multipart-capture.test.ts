import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { httpStatusOf } from '@tessera/protocol';
import { isAppError } from '../errors/app-error.ts';
import { pngWithExif } from './capture-fixtures.ts';
import { prepareCapture } from './prepare-capture.ts';
import { readMultipartCapture } from './read-multipart-capture.ts';

const MAX = 64 * 1024;
const BOUNDARY = '----tessera-test-boundary-7MA4YWxkTrZu0gW';

type Part = { name: string; value: string } | { name: string; file: Buffer; filename?: string; contentType?: string };

/** A multipart/form-data body written by hand, so the test depends on no client library. */
function formBody(parts: Part[], { close = true } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('file' in part) {
      const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`));
      chunks.push(part.file, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

describe('readMultipartCapture (real fastify + @fastify/multipart, app.inject)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    await app.register(multipart);
    // Stands in for the server's error handler: AppError → protocol §3 body and status.
    app.setErrorHandler((error, _request, reply) => {
      if (isAppError(error)) return reply.status(httpStatusOf[error.type]).send({ error: { type: error.type, message: error.message, details: error.details } });
      return reply.status(500).send({ error: { type: 'internal_error', message: error instanceof Error ? error.message : 'unknown' } });
    });
    app.post('/upload', async (request) => {
      const { file, fileName, fields } = await readMultipartCapture(request, { fileField: 'media', maxBytes: MAX, maxFields: 4, maxFieldBytes: 64 });
      return { size: file.length, sha256: createHash('sha256').update(file).digest('hex'), fileName: fileName ?? null, fields };
    });
    app.post('/media', async (request) => {
      const { file } = await readMultipartCapture(request, { fileField: 'media', maxBytes: MAX });
      const prepared = await prepareCapture(file, { allowed: ['image/jpeg', 'image/png'], maxBytes: MAX });
      return { contentType: prepared.contentType };
    });
    await app.ready();
  });
  after(async () => app.close());

  const post = (body: Buffer | string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': contentType }, payload: body });
  const expectError = async (body: Buffer | string, status: number, message: RegExp, contentType?: string) => {
    const response = await post(body, contentType);
    assert.equal(response.statusCode, status, response.body);
    assert.match(response.json().error.message, message);
    return response.json().error;
  };

  test('reads the file byte-exactly (even with CRLF and dashes inside) and the text fields on either side', async () => {
    const file = Buffer.concat([randomBytes(20_000), Buffer.from(`\r\n--${BOUNDARY.slice(0, 10)}\r\n`), randomBytes(100)]);
    const response = await post(formBody([
      { name: 'app_screen', value: 'scan_id_document_front_screen' },
      { name: 'media', file, filename: 'photo.jpg', contentType: 'image/jpeg' },
      { name: 'document_type', value: 'passport' },
    ]));
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      fileName: 'photo.jpg',
      fields: { app_screen: 'scan_id_document_front_screen', document_type: 'passport' },
    });
  });

  test('end to end with prepareCapture: a PNG sent as photo.jpg / image/jpeg is stored as image/png', async () => {
    const response = await app.inject({
      method: 'POST', url: '/media', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: formBody([{ name: 'media', file: await pngWithExif(), filename: 'photo.jpg', contentType: 'image/jpeg' }]),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { contentType: 'image/png' });
  });

  test('a file of exactly maxBytes passes; one byte more → 413 with max_bytes', async () => {
    assert.equal((await post(formBody([{ name: 'media', file: randomBytes(MAX) }]))).json().size, MAX);
    const error = await expectError(formBody([{ name: 'media', file: randomBytes(MAX + 1) }]), 413, /larger than 65536 bytes/);
    assert.deepEqual(error.details, { max_bytes: MAX });
    await expectError(formBody([{ name: 'media', file: randomBytes(MAX * 4) }, { name: 'app_screen', value: 'x' }]), 413, /larger than/);
  });

  test('missing, empty, misnamed or repeated file parts → 400', async () => {
    await expectError(formBody([{ name: 'app_screen', value: 'x' }]), 400, /missing file part "media"/);
    await expectError(formBody([{ name: 'media', file: Buffer.alloc(0) }]), 400, /is empty/);
    await expectError(formBody([{ name: 'document', file: randomBytes(10) }]), 400, /unexpected file part "document": send the file as "media"/);
    await expectError(formBody([{ name: 'media', file: randomBytes(10) }, { name: 'media', file: randomBytes(10) }]), 400, /exactly one file/);
  });

  test('text fields: too long → 413, repeated or too many or prototype names → 400', async () => {
    const file: Part = { name: 'media', file: randomBytes(10) };
    await expectError(formBody([file, { name: 'app_screen', value: 'x'.repeat(65) }]), 413, /longer than 64 bytes/);
    await expectError(formBody([file, { name: 'a', value: '1' }, { name: 'a', value: '2' }]), 400, /repeated/);
    await expectError(formBody([file, ...['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, value: '1' }))]), 400, /too many form fields/);
    await expectError(formBody([file, { name: '__proto__', value: '1' }]), 400, /not allowed/);
  });

  test('malformed or non-multipart bodies → 400', async () => {
    await expectError(formBody([{ name: 'media', file: randomBytes(100) }], { close: false }), 400, /malformed|ended before/);
    await expectError('{"media_base64_strict":"QUJD"}', 400, /expected a multipart\/form-data body/, 'application/json');
    await expectError(formBody([{ name: 'media', file: randomBytes(10) }]), 400, /malformed/, 'multipart/form-data');
  });
});
