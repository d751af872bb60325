import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAutoCapture, laplacianVariance, meanAbsDiff, toGray } from './frame-quality.ts';

const W = 96;
const H = 60;

/** A synthetic "document": dark text-like bars on light paper, offset by (dx, dy). */
function documentFrame(dx = 0, dy = 0, shade = 0): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const line = Math.floor((y + dy) / 4) % 3 === 0;
      const glyph = Math.floor((x + dx) / 3) % 2 === 0;
      out[y * W + x] = (line && glyph ? 30 : 220) - shade;
    }
  }
  return out;
}

/** Box blur of radius r, applied twice: what an out-of-focus lens does to those edges. */
function blur(src: Float32Array, r: number): Float32Array {
  let a = src;
  for (let pass = 0; pass < 2; pass++) {
    const out = new Float32Array(a.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = 0;
        let n = 0;
        for (let j = -r; j <= r; j++) {
          for (let i = -r; i <= r; i++) {
            const xx = Math.min(W - 1, Math.max(0, x + i));
            const yy = Math.min(H - 1, Math.max(0, y + j));
            sum += a[yy * W + xx]!;
            n++;
          }
        }
        out[y * W + x] = sum / n;
      }
    }
    a = out;
  }
  return a;
}

describe('sharpness (Laplacian variance)', () => {
  it('is zero for a flat image and high for crisp edges', () => {
    assert.equal(laplacianVariance(new Float32Array(W * H).fill(128), W, H), 0);
    assert.ok(laplacianVariance(documentFrame(), W, H) > 1000);
  });

  it('drops sharply as the image blurs', () => {
    const sharp = laplacianVariance(documentFrame(), W, H);
    const soft = laplacianVariance(blur(documentFrame(), 1), W, H);
    const blurred = laplacianVariance(blur(documentFrame(), 3), W, H);
    assert.ok(sharp > soft * 3, `sharp ${sharp} vs soft ${soft}`);
    assert.ok(soft > blurred, `soft ${soft} vs blurred ${blurred}`);
    assert.ok(blurred < 40, `a heavily blurred frame scores under the default threshold: ${blurred}`);
  });

  it('reads RGBA as Rec. 601 luma', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const gray = toGray(rgba, 4, 1);
    assert.deepEqual([...gray].map((g) => Math.round(g)), [76, 150, 29, 255]);
  });
});

describe('steadiness', () => {
  it('measures motion as mean absolute difference', () => {
    assert.equal(meanAbsDiff(documentFrame(), documentFrame()), 0);
    assert.ok(meanAbsDiff(documentFrame(), documentFrame(3, 2)) > 20);
    assert.equal(meanAbsDiff(new Float32Array(4), new Float32Array(5)), Number.POSITIVE_INFINITY);
  });
});

describe('auto-capture', () => {
  it('fires after a run of steady, sharp frames', () => {
    const auto = createAutoCapture({ steadyFrames: 3 });
    const results = Array.from({ length: 5 }, () => auto.push(documentFrame(), W, H));
    assert.equal(results[0]!.hint, 'moving', 'the first frame has nothing to compare with');
    assert.deepEqual(results.map((r) => r.ready), [false, false, false, true, true]);
  });

  it('does not fire while the document moves', () => {
    const auto = createAutoCapture({ steadyFrames: 3 });
    const results = Array.from({ length: 8 }, (_, i) => auto.push(documentFrame(i * 2, i), W, H));
    assert.ok(results.every((r) => !r.ready));
    assert.ok(results.slice(1).every((r) => r.hint === 'moving'));
  });

  it('does not fire on a steady but blurred frame, and says so', () => {
    const auto = createAutoCapture({ steadyFrames: 2 });
    const frame = blur(documentFrame(), 3);
    const results = Array.from({ length: 5 }, () => auto.push(frame, W, H));
    assert.ok(results.every((r) => !r.ready));
    assert.equal(results.at(-1)!.hint, 'blurry');
  });

  it('waits for focus to come back after seeing a sharper frame', () => {
    const auto = createAutoCapture({ steadyFrames: 2, minSharpness: 1 });
    auto.push(documentFrame(), W, H);
    auto.push(documentFrame(), W, H);
    const soft = blur(documentFrame(), 1);
    const later = [auto.push(soft, W, H), auto.push(soft, W, H)];
    assert.ok(later.every((r) => r.hint !== 'ready' && !r.ready), 'softer than the best seen: keep waiting');
  });

  it('ignores a black or washed-out frame (camera warming up)', () => {
    const auto = createAutoCapture({ steadyFrames: 1 });
    const dark = documentFrame(0, 0, 0).map((v) => v / 10);
    auto.push(dark, W, H);
    const r = auto.push(dark, W, H);
    assert.equal(r.hint, 'dark');
    assert.equal(r.ready, false);
  });

  it('starts over after reset', () => {
    const auto = createAutoCapture({ steadyFrames: 1 });
    auto.push(documentFrame(), W, H);
    assert.ok(auto.push(documentFrame(), W, H).ready);
    auto.reset();
    assert.equal(auto.push(documentFrame(), W, H).ready, false);
  });
});
