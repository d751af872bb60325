// Language choice, interpolation and plurals. English ships in the initial bundle; the others are loaded
// on demand (each is its own small chunk), so a page only downloads the language it shows.
import { en, type Dictionary, type MessageKey } from './en.ts';

export type { Dictionary, MessageKey };
export const SUPPORTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'sv', 'pt'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Names shown in the language picker, each in its own language. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  sv: 'Svenska',
  pt: 'Português',
};

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ku']);

/** `sv-SE` → `sv`; anything we have no dictionary for → `en` (protocol: the session's `i18n`, fallback en). */
export function resolveLanguage(tag: string | null | undefined): Language {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}

/** Text direction for a BCP 47 tag: the layout uses logical CSS properties, so `dir` is all RTL needs. */
export function directionOf(tag: string): 'ltr' | 'rtl' {
  const base = tag.toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return RTL_LANGUAGES.has(base) ? 'rtl' : 'ltr';
}

export async function loadDictionary(language: Language): Promise<Dictionary> {
  switch (language) {
    case 'en':
      return en;
    case 'es':
      return (await import('./es.ts')).es;
    case 'fr':
      return (await import('./fr.ts')).fr;
    case 'de':
      return (await import('./de.ts')).de;
    case 'sv':
      return (await import('./sv.ts')).sv;
    case 'pt':
      return (await import('./pt.ts')).pt;
  }
}

export type Vars = Record<string, string | number>;

/** Replaces `{name}` with vars.name; unknown placeholders are left visible rather than silently dropped. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Every `{placeholder}` in a message, sorted: translations must use the same set. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export interface Translator {
  readonly language: Language;
  (key: MessageKey, vars?: Vars): string;
  /** Plural message: picks `key.one` or `key.other` by the language's plural rules, with `{count}`. */
  plural(key: PluralBase, count: number, vars?: Vars): string;
}

type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

export function createTranslator(language: Language, dictionary: Dictionary): Translator {
  const rules = new Intl.PluralRules(language);
  const t = ((key: MessageKey, vars?: Vars) => interpolate(dictionary[key] ?? en[key], vars)) as Translator;
  Object.defineProperty(t, 'language', { value: language });
  t.plural = (key, count, vars = {}) => {
    const form = rules.select(count) === 'one' ? 'one' : 'other';
    return t(`${key}.${form}` as MessageKey, { count: count.toLocaleString(language), ...vars });
  };
  return t;
}
