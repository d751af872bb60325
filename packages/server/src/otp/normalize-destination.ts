// Destinations as the applicant typed them → one canonical form (E.164 / lower-case domain) and a mask, or the §3
// validation_error saying why not. The canonical form is what codes are bound to and what limits count.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { maskEmail, maskPhone } from '../notifiers/mask-recipient.ts';

export interface Destination {
  /** E.164, or the address with its domain lower-cased. */
  value: string;
  masked: string;
  /** ISO 3166-1 alpha-2 of a phone number. */
  country?: string;
}

// FIXED_LINE_OR_MOBILE: plans (US, CA, …) where the number alone cannot tell; those take SMS in practice.
const SMS_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

const invalid = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError('validation_error', message, { details: { reason, ...details } });

/**
 * `country` (the body's country_code, else the session's phone_country) is only needed for numbers written in
 * national format. `allowedCountries` null means every country.
 */
export function normalizePhone(input: string, country: string | null | undefined, allowedCountries: readonly string[] | null): Destination {
  const region = country?.toUpperCase();
  if (region !== undefined && !isSupportedCountry(region)) throw invalid('invalid_country_code', `country_code ${region} is not a country we know phone numbers of`);
  const parsed = parsePhoneNumberFromString(input.trim(), region && isSupportedCountry(region) ? region : undefined);
  if (!parsed || !parsed.isValid()) {
    throw invalid('invalid_phone_number', region ? 'this is not a valid phone number' : 'this is not a valid phone number; write it in international format (+44…) or send country_code');
  }
  const type = parsed.getType();
  if (!type || !SMS_TYPES.has(type)) {
    throw invalid('not_mobile', 'this number cannot receive text messages; use a mobile number', { number_type: type?.toLowerCase() ?? 'unknown' });
  }
  const numberCountry = parsed.country;
  if (allowedCountries && (!numberCountry || !allowedCountries.includes(numberCountry))) {
    throw invalid('country_not_allowed', `phone numbers from ${numberCountry ?? 'this country'} are not accepted here`, {
      country: numberCountry ?? null,
      allowed_countries: allowedCountries,
    });
  }
  return { value: parsed.number, masked: maskPhone(parsed.number), ...(numberCountry ? { country: numberCountry } : {}) };
}

const address = z.email();

export function normalizeEmail(input: string): Destination {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf('@');
  // RFC 5321 limits: 64 octets of local part, 254 of path.
  if (at < 1 || Buffer.byteLength(trimmed) > 254 || Buffer.byteLength(trimmed.slice(0, at)) > 64) {
    throw invalid('invalid_email_address', 'this is not a valid e-mail address');
  }
  // The domain is case-insensitive; the local part belongs to the receiving server, so it is kept as typed.
  const value = `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
  if (!address.safeParse(value).success) throw invalid('invalid_email_address', 'this is not a valid e-mail address');
  return { value, masked: maskEmail(value) };
}
