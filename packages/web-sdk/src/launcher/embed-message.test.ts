// The pure part of the launcher's message handling: which posted messages count, from whom, and what they trigger.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameUrl, isFromFrame, parseEmbedMessage, reactionTo } from './embed-message.ts';
import type { EmbedStatus } from './types.ts';

const ID = 'cTMKciZaG4iv7FfRZk1nxRW1';

describe('embed messages (§7)', () => {
  it('accepts every bynn-verification status and resize, exactly as specified', () => {
    for (const status of ['start', 'complete', 'cancel', 'timeout', 'error', 'successful', 'rejected'] as const) {
      assert.deepEqual(parseEmbedMessage({ type: 'bynn-verification', status, sessionId: ID }), { kind: 'verification', status, sessionId: ID });
    }
    assert.deepEqual(parseEmbedMessage({ type: 'bynn-verification', status: 'error', sessionId: ID, error: 'camera_denied' }),
      { kind: 'verification', status: 'error', sessionId: ID, error: 'camera_denied' });
    assert.deepEqual(parseEmbedMessage({ type: 'resize', width: 480, height: 720 }), { kind: 'resize', width: 480, height: 720 });
  });

  it('ignores everything else posted to the window', () => {
    const junk: unknown[] = [
      null, undefined, 'bynn-verification', 42, [], {},
      JSON.stringify({ type: 'bynn-verification', status: 'complete', sessionId: ID }), // a string, not the object §7 posts
      { type: 'bynn-verification', status: 'done', sessionId: ID },
      { type: 'bynn-verification', status: 'complete' },
      { type: 'bynn-verification', status: 'complete', sessionId: '' },
      { type: 'bynn-verification', status: 'complete', sessionId: 7 },
      { type: 'other-widget', status: 'complete', sessionId: ID },
      { type: 'resize', width: -1, height: 10 },
      { type: 'resize', width: 10, height: Number.NaN },
      { type: 'resize', width: 10, height: 1e9 },
      { type: 'resize', width: '10', height: 10 },
    ];
    for (const data of junk) assert.equal(parseEmbedMessage(data), null, JSON.stringify(data));
    const long = parseEmbedMessage({ type: 'bynn-verification', status: 'error', sessionId: ID, error: 'x'.repeat(5000) });
    assert.equal(long?.kind === 'verification' && long.error?.length, 500);
  });

  it('trusts only our frame: the hosted page origin AND the iframe window', () => {
    const frame = {};
    const origin = 'https://kyc.example';
    assert.equal(isFromFrame({ origin, source: frame }, origin, frame), true);
    assert.equal(isFromFrame({ origin: 'https://evil.example', source: frame }, origin, frame), false);
    assert.equal(isFromFrame({ origin, source: {} }, origin, frame), false, 'another frame of the same origin');
    assert.equal(isFromFrame({ origin, source: null }, origin, null), false, 'a removed iframe has no window');
    assert.equal(isFromFrame({ origin: 'null', source: frame }, origin, frame), false, 'a sandboxed or file: sender');
  });

  it('maps each status to its callbacks, and says whether it ends the flow or closes the dialog', () => {
    const table: Record<EmbedStatus, [string[], boolean, boolean]> = {
      start: [['onStart'], false, false],
      complete: [['onComplete'], true, false],
      successful: [['onSuccessful'], true, false],
      rejected: [['onRejected'], true, false],
      cancel: [['onCancel'], true, true],
      timeout: [['onTimeout'], true, true],
      error: [['onError'], false, false],
    };
    for (const [status, [callbacks, finishes, closes]] of Object.entries(table)) {
      assert.deepEqual(reactionTo(status as EmbedStatus), { callbacks, finishes, closes }, status);
    }
  });

  it('tells the framed page where to post: origin= the launching page', () => {
    assert.equal(frameUrl(`https://kyc.example/verify/${ID}`, 'https://shop.example'), `https://kyc.example/verify/${ID}?origin=https%3A%2F%2Fshop.example`);
    assert.equal(frameUrl(`https://kyc.example/verify/${ID}?lang=sv`, 'http://localhost:3000'), `https://kyc.example/verify/${ID}?lang=sv&origin=http%3A%2F%2Flocalhost%3A3000`);
  });
});
