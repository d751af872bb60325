// What may be shown or logged of a recipient: enough to recognise it ("+44 •••• ••7890", "j•••@example.com"), not enough
// to contact it. The applicant sees this in extra_data; logs and the outbox console line never get more.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NotifierChannel } from './notifier.ts';

export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const digits = e164.replace(/\D/g, '');
  const calling = parsed?.countryCallingCode ?? digits.slice(0, Math.max(1, digits.length - 10));
  return `+${calling} •••• ••${digits.slice(-4)}`;
}

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address.slice(0, 1)}•••@${address.slice(at + 1)}`;
}

export const maskRecipient = (channel: NotifierChannel, to: string): string => (channel === 'sms' ? maskPhone(to) : maskEmail(to));
