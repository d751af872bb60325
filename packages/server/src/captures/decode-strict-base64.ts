// Strict base64 (protocol §4.6): standard alphabet, padded, no `data:` prefix, no whitespace. Errors say
// exactly what is wrong, because SDK authors hit these on their first integration.
import { AppError } from '../errors/app-error.ts';

const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

function invalid(message: string, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_request', message, { details: { reason, ...extra } });
}

export function decodeStrictBase64(value: string, maxBytes: number): Buffer {
  if (typeof value !== 'string') throw invalid('the capture must be a base64 string', 'not_a_string');
  if (/^data:/i.test(value.slice(0, 5))) {
    throw invalid('send the bare base64 bytes without a "data:…;base64," prefix (strict base64)', 'data_uri_prefix');
  }
  if (value.length === 0) throw invalid('empty capture', 'empty');

  // Size first, from the length alone: an oversized upload is refused before it is scanned or decoded.
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const decodedBytes = Math.floor((value.length * 3) / 4) - padding;
  if (decodedBytes > maxBytes) {
    throw new AppError('payload_too_large', `the decoded capture is larger than ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
  }

  const bad = NOT_BASE64.exec(value);
  if (bad) {
    const char = bad[0];
    const position = bad.index;
    if (/\s/.test(char)) {
      throw invalid(`strict base64 has no whitespace or line breaks (found one at position ${position})`, 'whitespace', { position });
    }
    if (char === '-' || char === '_') {
      throw invalid(`use the standard base64 alphabet ("+" and "/"), not base64url (position ${position})`, 'base64url', { position });
    }
    throw invalid(`invalid base64 character at position ${position}`, 'invalid_character', { position });
  }
  const firstPad = value.indexOf('=');
  if ((firstPad !== -1 && firstPad < value.length - padding) || value.length % 4 !== 0) {
    throw invalid('base64 must be padded with "=" to a multiple of 4 characters, and "=" may only end it', 'bad_padding');
  }
  return Buffer.from(value, 'base64');
}
