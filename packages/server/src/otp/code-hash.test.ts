// Codes: CSPRNG digits, keyed hashes bound to session/channel/destination, constant-time comparison, sealed delivery.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { codesMatch, destinationKey, generateCode, hashCode, openSealedMessage, sealMessage, type CodeBinding } from './code-hash.ts';
import { loadOrCreateOtpKey } from './load-or-create-otp-key.ts';
import { renderOtpMessage } from './render-otp-message.ts';

const secret = crypto.randomBytes(32);
const binding: CodeBinding = { session_id: 'A'.repeat(24), channel: 'phone', destination_key: 'dest-1' };

test('codes are 6 digits, leading zeros kept, spread over the whole range', () => {
  const codes = Array.from({ length: 20_000 }, generateCode);
  assert.ok(codes.every((c) => /^\d{6}$/.test(c)));
  const firstDigits = new Set(codes.map((c) => c[0]));
  assert.equal(firstDigits.size, 10, 'every first digit, including 0, occurs');
  assert.ok(new Set(codes).size > 19_500, 'few repeats among 20 000 draws of 10^6');
});

test('the hash is bound to session, channel and destination, and keyed by the secret', () => {
  const base = hashCode(secret, binding, '123456');
  assert.equal(base.length, 32);
  assert.ok(codesMatch(base, hashCode(secret, binding, '123456')));
  assert.ok(!codesMatch(base, hashCode(secret, binding, '123457')));
  assert.ok(!codesMatch(base, hashCode(secret, { ...binding, session_id: 'B'.repeat(24) }, '123456')));
  assert.ok(!codesMatch(base, hashCode(secret, { ...binding, channel: 'email' }, '123456')));
  assert.ok(!codesMatch(base, hashCode(secret, { ...binding, destination_key: 'dest-2' }, '123456')));
  assert.ok(!codesMatch(base, hashCode(crypto.randomBytes(32), binding, '123456')));
  assert.ok(!codesMatch(base, Buffer.alloc(0)), 'a hash of another length never matches and never throws');
});

test('comparison goes through crypto.timingSafeEqual', () => {
  const spy = mock.method(crypto, 'timingSafeEqual');
  try {
    codesMatch(hashCode(secret, binding, '000000'), hashCode(secret, binding, '000001'));
    assert.equal(spy.mock.callCount(), 1);
  } finally {
    spy.mock.restore();
  }
});

test('destination keys differ per mode and channel and hide the destination', () => {
  const key = destinationKey(secret, 'live', 'phone', '+46701234567');
  assert.equal(key, destinationKey(secret, 'live', 'phone', '+46701234567'));
  assert.notEqual(key, destinationKey(secret, 'sandbox', 'phone', '+46701234567'));
  assert.notEqual(key, destinationKey(secret, 'live', 'email', '+46701234567'));
  assert.doesNotMatch(key, /4670/);
});

test('a sealed message opens only with the secret and for the code row it was written for', () => {
  const sealed = sealMessage(secret, 'otp_1', { to: '+46701234567', code: '042917' });
  assert.ok(!sealed.toString('latin1').includes('042917'));
  assert.deepEqual(openSealedMessage(secret, 'otp_1', sealed), { to: '+46701234567', code: '042917' });
  assert.throws(() => openSealedMessage(secret, 'otp_2', sealed));
  assert.throws(() => openSealedMessage(crypto.randomBytes(32), 'otp_1', sealed));
});

test('the OTP key is generated once into <dataDir>/otp.key (0600), or taken from configuration', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-otp-key-'));
  try {
    const first = await loadOrCreateOtpKey({ dataDir: dir });
    assert.equal(first.length, 32);
    assert.deepEqual(await loadOrCreateOtpKey({ dataDir: dir }), first);
    assert.equal((await stat(join(dir, 'otp.key'))).mode & 0o777, 0o600);
    assert.equal(Buffer.from((await readFile(join(dir, 'otp.key'), 'utf8')).trim(), 'base64').length, 32);
    const configured = crypto.randomBytes(32);
    assert.deepEqual(await loadOrCreateOtpKey({ dataDir: dir, configured: configured.toString('hex') }), configured);
    await assert.rejects(loadOrCreateOtpKey({ dataDir: dir, configured: 'too short' }), /32 bytes/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('SMS text is short, localised, and carries the code', () => {
  const fr = renderOtpMessage({ channel: 'sms', code: '042917', i18n: 'fr-CA' });
  assert.equal(fr.locale, 'fr');
  assert.equal(fr.text, 'Votre code de vérification est 042917. Il expire dans 10 minutes. Ne le partagez pas.');
  assert.equal(fr.html, undefined);
  assert.equal(renderOtpMessage({ channel: 'sms', code: '1', i18n: 'pt-BR' }).locale, 'pt');
  assert.equal(renderOtpMessage({ channel: 'sms', code: '1', i18n: 'xx' }).locale, 'en');
  assert.equal(renderOtpMessage({ channel: 'sms', code: '1', i18n: '__proto__' }).locale, 'en');
});
