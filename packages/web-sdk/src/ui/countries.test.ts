import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COUNTRIES, countryOptions, dialCodeOf, guessCountry, toE164 } from './countries.ts';

describe('countries', () => {
  it('lists each country once with a numeric dialing code', () => {
    assert.equal(new Set(COUNTRIES.map((c) => c.code)).size, COUNTRIES.length);
    assert.ok(COUNTRIES.length > 230);
    for (const c of COUNTRIES) assert.match(`${c.code} ${c.dial}`, /^[A-Z]{2} [1-9]\d{0,3}$/);
    assert.equal(dialCodeOf('se'), '46');
    assert.equal(dialCodeOf('GB'), '44');
    assert.equal(dialCodeOf('ZZ'), null);
  });

  it('names countries in the page language, sorted', () => {
    const sv = countryOptions('sv');
    assert.equal(sv.find((c) => c.code === 'DE')?.name, 'Tyskland');
    const names = sv.map((c) => c.name);
    assert.deepEqual(names, [...names].sort(new Intl.Collator('sv').compare));
  });

  it('guesses the country from the browser, then from the page language', () => {
    assert.equal(guessCountry(['en-US', 'en'], 'en'), 'US');
    assert.equal(guessCountry(['pt-BR'], 'pt'), 'BR');
    assert.equal(guessCountry(['sv'], 'sv'), 'SE');
    assert.equal(guessCountry([], 'de'), 'DE');
  });

  it('builds E.164 from a national number, or keeps an international one', () => {
    assert.equal(toE164('07700 900123', '44'), '+447700900123');
    assert.equal(toE164('070-123 45 67', '46'), '+46701234567');
    assert.equal(toE164('+1 (415) 555-0100', '46'), '+14155550100');
    assert.equal(toE164('0046 70 123 45 67', '44'), '+46701234567');
    assert.equal(toE164('12', '44'), null);
    assert.equal(toE164('', '44'), null);
    assert.equal(toE164('+0123456789', '44'), null);
  });
});
