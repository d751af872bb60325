// Codes are made by a CSPRNG and kept only as a keyed hash bound to where they were sent; checking one compares
// hashes in constant time. A stolen database therefore yields no usable code, and a code is worthless elsewhere.
// `crypto.timingSafeEqual` is called through the module object (not a named import) so a test can observe the call.
import crypto from 'node:crypto';
import { OTP_LIMITS } from './otp-limits.ts';

export type OtpChannel = 'phone' | 'email';

/** What a code is bound to: the hash of the same digits differs for any other session, channel or destination. */
export interface CodeBinding {
  session_id: string;
  channel: OtpChannel;
  destination_key: string;
}

export function generateCode(): string {
  // randomInt is uniform over [0, 10^6): no modulo bias, leading zeros kept.
  return String(crypto.randomInt(0, 10 ** OTP_LIMITS.codeDigits)).padStart(OTP_LIMITS.codeDigits, '0');
}

export function hashCode(secret: Buffer, binding: CodeBinding, code: string): Buffer {
  // NUL separators: no field can contain one, so two different bindings never produce the same input.
  return crypto.createHmac('sha256', secret).update(`otp-code\0${binding.session_id}\0${binding.channel}\0${binding.destination_key}\0${code}`).digest();
}

export function codesMatch(expected: Buffer, actual: Buffer): boolean {
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

/** A stable, secret-keyed name for a destination: limits count sends per destination without storing it. */
export function destinationKey(secret: Buffer, mode: string, channel: OtpChannel, normalized: string): string {
  return crypto.createHmac('sha256', secret).update(`otp-destination\0${mode}\0${channel}\0${normalized}`).digest('base64url');
}

// The delivery job needs the code and destination in clear, for seconds: they travel sealed with a key derived
// from the OTP secret and are erased after delivery, so neither the job table nor a backup holds a usable code.
const sealKey = (secret: Buffer): Buffer => crypto.createHmac('sha256', secret).update('otp-seal-v1').digest();

export interface SealedMessage {
  to: string;
  code: string;
}

export function sealMessage(secret: Buffer, codeId: string, message: SealedMessage): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealKey(secret), iv);
  cipher.setAAD(Buffer.from(codeId)); // a sealed blob only opens for the code row it was written for
  const body = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSealedMessage(secret: Buffer, codeId: string, sealed: Buffer): SealedMessage {
  const decipher = crypto.createDecipheriv('aes-256-gcm', sealKey(secret), sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(codeId));
  decipher.setAuthTag(sealed.subarray(12, 28));
  const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as SealedMessage;
}
