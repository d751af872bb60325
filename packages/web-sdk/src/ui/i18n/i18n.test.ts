import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { createTranslator, directionOf, interpolate, loadDictionary, placeholdersOf, resolveLanguage, SUPPORTED_LANGUAGES } from './i18n.ts';
import { pt } from './pt.ts';
import { sv } from './sv.ts';

const TRANSLATIONS = { es, fr, de, sv, pt } as const;
const keys = Object.keys(en).sort();

describe('dictionaries', () => {
  for (const [language, dictionary] of Object.entries(TRANSLATIONS)) {
    it(`${language} has exactly the English keys`, () => {
      assert.deepEqual(Object.keys(dictionary).sort(), keys);
    });
    it(`${language} fills every key with real text and the same placeholders`, () => {
      for (const key of keys) {
        const text = dictionary[key as keyof typeof en];
        assert.ok(typeof text === 'string' && text.trim().length > 0, `${language}.${key} is empty`);
        assert.deepEqual(placeholdersOf(text), placeholdersOf(en[key as keyof typeof en]), `${language}.${key} placeholders`);
        assert.doesNotMatch(text, /TODO|FIXME|\{\s|\s\}/, `${language}.${key} looks unfinished`);
      }
    });
    it(`${language} is a translation, not a copy of English`, () => {
      // Short shared words (e.g. "Continuar"/"Continue" differ; "PDF" may not) are allowed; most sentences must differ.
      const same = keys.filter((k) => dictionary[k as keyof typeof en] === en[k as keyof typeof en] && en[k as keyof typeof en].length > 12);
      assert.deepEqual(same, [], `${language} copies English for ${same.join(', ')}`);
    });
  }

  it('every plural message has both forms', () => {
    for (const key of keys.filter((k) => k.endsWith('.one'))) assert.ok(keys.includes(key.replace(/\.one$/, '.other')), key);
  });

  it('loads each supported language', async () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const dictionary = await loadDictionary(language);
      assert.equal(Object.keys(dictionary).length, keys.length);
    }
  });
});

describe('language choice', () => {
  it('takes the base language of a BCP 47 tag and falls back to English', () => {
    assert.equal(resolveLanguage('sv'), 'sv');
    assert.equal(resolveLanguage('pt-BR'), 'pt');
    assert.equal(resolveLanguage('en_US'), 'en');
    assert.equal(resolveLanguage('DE-at'), 'de');
    assert.equal(resolveLanguage('ja'), 'en');
    assert.equal(resolveLanguage(''), 'en');
    assert.equal(resolveLanguage(undefined), 'en');
  });

  it('knows right-to-left scripts', () => {
    assert.equal(directionOf('ar'), 'rtl');
    assert.equal(directionOf('he-IL'), 'rtl');
    assert.equal(directionOf('fa'), 'rtl');
    assert.equal(directionOf('sv'), 'ltr');
  });
});

describe('translator', () => {
  it('interpolates and keeps unknown placeholders visible', () => {
    assert.equal(interpolate('Step {current} of {total}', { current: 2, total: 5 }), 'Step 2 of 5');
    assert.equal(interpolate('Hi {name}'), 'Hi {name}');
  });

  it('picks plural forms by the language rules', () => {
    const t = createTranslator('en', en);
    assert.equal(t.plural('code.attemptsLeft', 1), '1 attempt left.');
    assert.equal(t.plural('code.attemptsLeft', 3), '3 attempts left.');
    const f = createTranslator('fr', fr);
    assert.equal(f.plural('code.attemptsLeft', 0), 'Il vous reste 0 tentative.'); // French: 0 is singular
    assert.equal(f.plural('code.attemptsLeft', 2), 'Il vous reste 2 tentatives.');
    const d = createTranslator('de', de);
    assert.equal(d('app.progress', { current: 1, total: 4 }), 'Schritt 1 von 4');
  });
});
