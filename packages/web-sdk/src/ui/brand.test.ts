import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessiblePrimary, contrastRatio, DEFAULT_PRIMARY, parseHex, usableLogo } from './brand.ts';

const white: [number, number, number] = [255, 255, 255];

describe('brand colour', () => {
  it('keeps a dark enough colour as it is', () => {
    assert.equal(accessiblePrimary('#1d4ed8'), '#1d4ed8');
    assert.ok(contrastRatio(parseHex(DEFAULT_PRIMARY)!, white) >= 4.5);
  });

  it('darkens a light colour until white text on it reaches 4.5:1', () => {
    for (const light of ['#ffcc00', '#7dd3fc', '#a3e635', '#fff']) {
      const fixed = accessiblePrimary(light);
      assert.ok(contrastRatio(parseHex(fixed)!, white) >= 4.5, `${light} → ${fixed}`);
    }
  });

  it('falls back to the default for anything that is not a hex colour', () => {
    assert.equal(accessiblePrimary(null), DEFAULT_PRIMARY);
    assert.equal(accessiblePrimary('red; background:url(x)'), DEFAULT_PRIMARY);
    assert.equal(accessiblePrimary('#12345'), DEFAULT_PRIMARY);
  });
});

describe('logo', () => {
  it('shows only same-origin or data: logos (no third-party requests)', () => {
    assert.equal(usableLogo('/brand/logo.png', 'https://kyc.example.com'), 'https://kyc.example.com/brand/logo.png');
    assert.equal(usableLogo('https://cdn.elsewhere.com/logo.png', 'https://kyc.example.com'), null);
    assert.equal(usableLogo('data:image/png;base64,iVBOR', 'https://kyc.example.com'), 'data:image/png;base64,iVBOR');
    assert.equal(usableLogo('javascript:alert(1)', 'https://kyc.example.com'), null);
    assert.equal(usableLogo(null, 'https://kyc.example.com'), null);
  });
});
