// Parse once at the edge: a zod schema turns input into typed data or into the §3 error.
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/** Wrong types, missing fields and bad base64 are malformed (400); well-formed but unacceptable values are 422. */
const MALFORMED = new Set(['invalid_type', 'unrecognized_keys', 'invalid_union']);
const isCaptureField = (path: PropertyKey[]) => path.some((p) => typeof p === 'string' && (p.includes('base64') || p === 'frames' || p.startsWith('raw')));

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'form' = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? {} : value));
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));
  const malformed = result.error.issues.some((i) => MALFORMED.has(i.code) || isCaptureField(i.path));
  const first = issues[0];
  const message = first ? `${where}${first.path ? `.${first.path}` : ''}: ${first.message}` : `invalid ${where}`;
  throw new AppError(malformed ? 'invalid_request' : 'validation_error', message, { details: { issues } });
}
