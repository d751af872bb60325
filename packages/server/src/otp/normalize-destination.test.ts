// Phone numbers through libphonenumber-js (max metadata) and e-mail addresses, with their masks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { normalizeEmail, normalizePhone } from './normalize-destination.ts';

const reasonOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    assert.ok(isAppError(error) && error.type === 'validation_error', String(error));
    return error.details?.reason;
  }
  assert.fail('expected a validation_error');
};

test('mobile numbers become E.164 from international or national format', () => {
  assert.deepEqual(normalizePhone('+44 7400 123456', undefined, null), { value: '+447400123456', masked: '+44 •••• ••3456', country: 'GB' });
  assert.equal(normalizePhone('07400 123456', 'GB', null).value, '+447400123456');
  assert.equal(normalizePhone('070-123 45 67', 'se', null).value, '+46701234567');
  assert.equal(normalizePhone('(201) 555-0123', 'US', null).value, '+12015550123', 'FIXED_LINE_OR_MOBILE is accepted');
});

test('invalid, non-mobile and unknown-country numbers are validation errors with a reason', () => {
  assert.equal(reasonOf(() => normalizePhone('07400 123456', undefined, null)), 'invalid_phone_number');
  assert.equal(reasonOf(() => normalizePhone('+44 7700 900000', undefined, null)), 'invalid_phone_number');
  assert.equal(reasonOf(() => normalizePhone('not a number', 'GB', null)), 'invalid_phone_number');
  assert.equal(reasonOf(() => normalizePhone('+44 20 7946 0123', undefined, null)), 'not_mobile');
  assert.equal(reasonOf(() => normalizePhone('+44 800 123 4567', undefined, null)), 'not_mobile');
  assert.equal(reasonOf(() => normalizePhone('0701234567', 'XX', null)), 'invalid_country_code');
});

test('the organization allow-list blocks other countries', () => {
  assert.equal(normalizePhone('+46701234567', undefined, ['SE', 'GB']).country, 'SE');
  assert.equal(reasonOf(() => normalizePhone('+33612345678', undefined, ['SE', 'GB'])), 'country_not_allowed');
  assert.equal(reasonOf(() => normalizePhone('+46701234567', undefined, [])), 'country_not_allowed');
});

test('e-mail: domain lower-cased, local part kept, masked', () => {
  assert.deepEqual(normalizeEmail('  Jane.Doe@Example.COM '), { value: 'Jane.Doe@example.com', masked: 'J•••@example.com' });
  for (const bad of ['plainaddress', '@example.com', 'jane@', 'jane@@example.com', 'jane doe@example.com', `${'a'.repeat(65)}@example.com`, `j@${'d'.repeat(250)}.com`]) {
    assert.equal(reasonOf(() => normalizeEmail(bad)), 'invalid_email_address', bad);
  }
});
