import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHttpUrl, parentOriginOf, sessionIdFromPath } from './embedding.ts';

describe('hosted page path', () => {
  it('reads the session id from /verify/<id>', () => {
    assert.equal(sessionIdFromPath('/verify/AbCdEfGhIjKlMnOpQrStUvWx'), 'AbCdEfGhIjKlMnOpQrStUvWx');
    assert.equal(sessionIdFromPath('/verify/AbCdEfGhIjKlMnOpQrStUvWx/'), 'AbCdEfGhIjKlMnOpQrStUvWx');
    assert.equal(sessionIdFromPath('/verify/short'), null);
    assert.equal(sessionIdFromPath('/verify/AbCdEfGhIjKlMnOpQrStUvW!'), null);
    assert.equal(sessionIdFromPath('/other/AbCdEfGhIjKlMnOpQrStUvWx'), null);
  });
});

describe('parent origin (§7 target origin)', () => {
  it('prefers the browser’s own record of the parent', () => {
    assert.equal(parentOriginOf({ ancestorOrigins: ['https://shop.example'], search: '?origin=https://evil.example', referrer: 'https://other.example/x' }), 'https://shop.example');
  });

  it('falls back to the launcher’s origin parameter, then the referrer', () => {
    assert.equal(parentOriginOf({ ancestorOrigins: [], search: '?origin=https%3A%2F%2Fshop.example%2Fpath', referrer: '' }), 'https://shop.example');
    assert.equal(parentOriginOf({ search: '', referrer: 'https://shop.example:8443/checkout?x=1' }), 'https://shop.example:8443');
  });

  it('never answers a wildcard or a non-http origin', () => {
    assert.equal(parentOriginOf({ ancestorOrigins: ['null'], search: '?origin=*', referrer: '' }), null);
    assert.equal(parentOriginOf({ search: '?origin=javascript:alert(1)', referrer: 'file:///x' }), null);
    assert.equal(parentOriginOf({ search: '', referrer: '' }), null);
  });

  it('follows only http(s) return URLs', () => {
    assert.ok(isHttpUrl('https://shop.example/done?session_id=x'));
    assert.ok(!isHttpUrl('javascript:alert(1)'));
  });
});
