import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTranslator, loadDictionary, SUPPORTED_LANGUAGES } from './i18n/i18n.ts';
import { KNOWN_REASONS, reasonKey, reasonTexts } from './reasons.ts';
import { en } from './i18n/en.ts';

describe('resubmission reasons', () => {
  it('has its own plain sentence for every code the server documents', () => {
    const t = createTranslator('en', en);
    for (const code of ['blurry', 'glare', 'cropped', 'mrz_unreadable', 'face_not_found', 'document_expired', 'operator_request', 'resubmission_requested']) {
      assert.notEqual(reasonKey(code), 'reason.unknown', code);
      const [text] = reasonTexts([code], t);
      assert.ok(text && !text.includes('_'), `${code} → ${text}`);
    }
    assert.match(reasonTexts(['blurry'], t)[0]!, /blurry/i);
    assert.match(reasonTexts(['glare'], t)[0]!, /glare/i);
    assert.match(reasonTexts(['document_expired'], t)[0]!, /expired/i);
  });

  it('words each known reason differently in every language', async () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const t = createTranslator(language, await loadDictionary(language));
      const texts = KNOWN_REASONS.map((code) => reasonTexts([code], t)[0]);
      assert.equal(new Set(texts).size, KNOWN_REASONS.length, `${language}: two reasons share a sentence`);
    }
  });

  it('maps aliases, normalises case, collapses duplicates and turns unknown codes into one generic sentence', () => {
    const t = createTranslator('en', en);
    assert.equal(reasonKey('BLURRY'), 'reason.blurry');
    assert.equal(reasonKey('out_of_focus'), 'reason.blurry');
    assert.equal(reasonKey('no_face'), 'reason.face_not_found');
    assert.deepEqual(reasonTexts(['blurry', 'blur', 'x_new_code', 'y_other'], t), [en['reason.blurry'], en['reason.unknown']]);
  });

  it('ignores anything that is not a list of codes', () => {
    const t = createTranslator('en', en);
    assert.deepEqual(reasonTexts(undefined, t), []);
    assert.deepEqual(reasonTexts('blurry', t), []);
    assert.deepEqual(reasonTexts([1, null, ''], t), []);
  });
});
