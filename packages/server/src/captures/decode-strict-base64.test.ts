import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '../errors/app-error.ts';
import { decodeStrictBase64 } from './decode-strict-base64.ts';

const failsWith = (type: string, message: RegExp, details?: Record<string, unknown>) => (error: unknown): boolean => {
  assert.ok(error instanceof AppError);
  assert.equal(error.type, type);
  assert.match(error.message, message);
  if (details) for (const [key, value] of Object.entries(details)) assert.deepEqual(error.details?.[key], value, key);
  return true;
};

test('decodes strict base64 of every padding length', () => {
  for (const length of [1, 2, 3, 4, 1000]) {
    const bytes = randomBytes(length);
    assert.ok(decodeStrictBase64(bytes.toString('base64'), 1000).equals(bytes));
  }
});

test('a data: URI prefix gets its own helpful message', () => {
  for (const value of ['data:image/jpeg;base64,/9j/4AAQ', 'DATA:image/png;base64,iVBORw0K']) {
    assert.throws(() => decodeStrictBase64(value, 1000), failsWith('invalid_request', /without a "data:…;base64," prefix/, { reason: 'data_uri_prefix' }));
  }
});

test('whitespace and line breaks are refused with their position', () => {
  const wrapped = randomBytes(120).toString('base64').replace(/(.{76})/g, '$1\n');
  assert.throws(() => decodeStrictBase64(wrapped, 1000), failsWith('invalid_request', /no whitespace or line breaks/, { reason: 'whitespace', position: 76 }));
  assert.throws(() => decodeStrictBase64('QUJD\r\nREVG', 1000), failsWith('invalid_request', /line breaks/));
  assert.throws(() => decodeStrictBase64(' QUJD', 1000), failsWith('invalid_request', /whitespace/, { position: 0 }));
});

test('base64url, foreign characters and bad padding are refused', () => {
  assert.throws(() => decodeStrictBase64('ab-_', 10), failsWith('invalid_request', /not base64url/, { reason: 'base64url' }));
  assert.throws(() => decodeStrictBase64('ab*c', 10), failsWith('invalid_request', /invalid base64 character/, { position: 2 }));
  for (const value of ['QUJ', 'QQ', 'QQ=', 'Q===', 'QU=D', '=QUJ', 'QUJD=']) {
    assert.throws(() => decodeStrictBase64(value, 10), failsWith('invalid_request', /padded/, { reason: 'bad_padding' }), value);
  }
  assert.throws(() => decodeStrictBase64('', 10), failsWith('invalid_request', /empty capture/));
});

test('the decoded size is checked from the length, before scanning or decoding', () => {
  const max = 3000;
  assert.equal(decodeStrictBase64(randomBytes(max).toString('base64'), max).length, max);
  assert.throws(() => decodeStrictBase64(randomBytes(max + 1).toString('base64'), max), failsWith('payload_too_large', /larger than 3000 bytes/, { max_bytes: max }));
  // 40 MB of non-base64 is refused by size alone: 413, where a scan would have said 400.
  assert.throws(() => decodeStrictBase64('!'.repeat(40 * 1024 * 1024), 15 * 1024 * 1024), failsWith('payload_too_large', /larger than/));
});
