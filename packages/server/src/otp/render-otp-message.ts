// The text (and for e-mail the HTML) of a code message in the session's language: the primary subtag of its
// BCP 47 i18n (pt-BR → pt, sv-SE → sv), English when we have no words for it.
import type { NotifierChannel } from '../notifiers/notifier.ts';
import { OTP_LIMITS } from './otp-limits.ts';
import { otpTranslations, type OtpLanguage } from './otp-translations.ts';

export interface RenderedOtpMessage {
  locale: OtpLanguage;
  subject: string;
  text: string;
  html?: string;
}

export function otpLanguage(i18n: string | null | undefined): OtpLanguage {
  const primary = (i18n ?? '').split(/[-_]/, 1)[0]!.toLowerCase();
  return Object.hasOwn(otpTranslations, primary) ? (primary as OtpLanguage) : 'en';
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderOtpMessage(input: { channel: NotifierChannel; code: string; i18n: string | null | undefined }): RenderedOtpMessage {
  const locale = otpLanguage(input.i18n);
  const words = otpTranslations[locale];
  const fill = (text: string) => text.replaceAll('{code}', input.code).replaceAll('{minutes}', String(OTP_LIMITS.codeTtlMs / 60_000));
  if (input.channel === 'sms') return { locale, subject: words.subject, text: fill(words.sms) };
  const text = `${words.intro}\n\n    ${input.code}\n\n${fill(words.expiry)}\n\n${words.ignore}\n`;
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(words.subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;line-height:1.5">
<p>${escapeHtml(words.intro)}</p>
<p style="font-size:28px;font-weight:700;letter-spacing:6px;font-family:ui-monospace,Menlo,Consolas,monospace">${escapeHtml(input.code)}</p>
<p>${escapeHtml(fill(words.expiry))}</p>
<p style="color:#59636e;font-size:13px">${escapeHtml(words.ignore)}</p>
</body></html>
`;
  return { locale, subject: words.subject, text, html };
}
