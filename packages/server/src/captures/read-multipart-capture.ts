// Reads the multipart form of a capture upload (protocol §4.6 "(ours)"): exactly one file part under a
// known name plus a few short text fields. Limits are enforced while streaming, so an oversized file is
// never held in memory beyond maxBytes. Requires @fastify/multipart to be registered on the instance.
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart'; // brings in the request.parts() / isMultipart() declarations
import { AppError, isAppError } from '../errors/app-error.ts';

export interface ReadMultipartCaptureOptions {
  /** Name of the file part, e.g. 'media' or 'document'. */
  fileField: string;
  maxBytes: number;
  /** Text fields accepted (default 10) and the size of each (default 4 KiB): they carry small enums and names. */
  maxFields?: number;
  maxFieldBytes?: number;
}

export interface MultipartCapture {
  file: Buffer;
  /** The part's filename, if the client sent one. Informational only: never used to decide the type. */
  fileName: string | undefined;
  fields: Record<string, string>;
}

const invalid = (message: string): AppError => new AppError('invalid_request', message);

export async function readMultipartCapture(request: FastifyRequest, options: ReadMultipartCaptureOptions): Promise<MultipartCapture> {
  if (!request.isMultipart()) throw invalid('expected a multipart/form-data body');
  const maxFields = options.maxFields ?? 10;
  const maxFieldBytes = options.maxFieldBytes ?? 4096;
  const tooLarge = (): AppError =>
    new AppError('payload_too_large', `the file is larger than ${options.maxBytes} bytes`, { details: { max_bytes: options.maxBytes } });

  const fields = new Map<string, string>();
  let file: Buffer | undefined;
  let fileName: string | undefined;
  try {
    const parts = request.parts({
      limits: { fileSize: options.maxBytes, files: 1, fields: maxFields, fieldSize: maxFieldBytes, parts: maxFields + 1, fieldNameSize: 100 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== options.fileField) {
          part.file.resume(); // drain it, or the parser stalls waiting for us to read it
          throw invalid(`unexpected file part "${part.fieldname.slice(0, 100)}": send the file as "${options.fileField}"`);
        }
        const read = await readAll(part.file, options.maxBytes);
        if (read === undefined || part.file.truncated) throw tooLarge();
        file = read;
        fileName = part.filename || undefined;
        continue;
      }
      if (part.fieldnameTruncated) throw invalid('a form field name is too long');
      if (part.valueTruncated) {
        throw new AppError('payload_too_large', `form field "${part.fieldname}" is longer than ${maxFieldBytes} bytes`, {
          details: { field: part.fieldname, max_bytes: maxFieldBytes },
        });
      }
      if (typeof part.value !== 'string') throw invalid(`form field "${part.fieldname}" must be plain text`);
      // Form fields skip the JSON edge check (http/nul-guard.ts): a NUL would reach PostgreSQL and fail there as a 500.
      if (part.value.includes('\u0000')) throw invalid(`form field "${part.fieldname}" contains a NUL character`);
      if (fields.has(part.fieldname)) throw invalid(`form field "${part.fieldname}" is repeated`);
      fields.set(part.fieldname, part.value);
    }
  } catch (error) {
    throw toAppError(error, tooLarge, options.fileField, maxFields);
  }

  if (file === undefined) throw invalid(`missing file part "${options.fileField}"`);
  if (file.length === 0) throw invalid(`the file part "${options.fileField}" is empty`);
  return { file, fileName, fields: Object.fromEntries(fields) };
}

/** Undefined when more than maxBytes arrive (defence in depth: busboy's fileSize limit already truncates). */
async function readAll(stream: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function toAppError(error: unknown, tooLarge: () => AppError, fileField: string, maxFields: number): unknown {
  if (isAppError(error)) return error;
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge();
    case 'FST_FILES_LIMIT':
      return invalid(`send exactly one file, as "${fileField}"`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return invalid(`too many form fields (at most ${maxFields})`);
    case 'FST_PROTO_VIOLATION':
      return invalid('a form field name is not allowed');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return invalid('expected a multipart/form-data body');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return invalid('a form field declared as JSON is not valid JSON');
    case 'FST_MP_PREMATURE_CLOSE':
      return invalid('the request ended before the form was complete');
  }
  // @fastify/busboy reports malformed bodies as plain Errors with these messages.
  if (error instanceof Error && code === undefined && /multipart|boundary|terminated early|malformed/i.test(error.message)) {
    return invalid('malformed multipart/form-data body');
  }
  return error;
}
