// Parse once at the edge: a zod schema turns input into typed data or into the §3 error.
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/** Wrong types, missing fields and bad base64 are malformed (400); well-formed but unacceptable values are 422. */
const MALFORMED = new Set(['invalid_type', 'unrecognized_keys', 'invalid_union']);
const isCaptureField = (path: PropertyKey[]) => path.some((p) => typeof p === 'string' && (p.includes('base64') || p === 'frames' || p.startsWith('raw')));

const valueAt = (root: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), root);

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'form' = 'body'): z.infer<S> {
  const input = value ?? (where === 'body' ? {} : value);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));
  // zod reports a missing or mistyped enum field (`true` or nothing where a string is expected) as invalid_value, not invalid_type.
  const wrongType = (i: z.core.$ZodIssue) => i.code === 'invalid_value' && i.values.length > 0 && typeof valueAt(input, i.path) !== typeof i.values[0];
  const malformed = result.error.issues.some((i) => MALFORMED.has(i.code) || isCaptureField(i.path) || wrongType(i));
  const first = issues[0];
  const message = first ? `${where}${first.path ? `.${first.path}` : ''}: ${first.message}` : `invalid ${where}`;
  throw new AppError(malformed ? 'invalid_request' : 'validation_error', message, { details: { issues } });
}
