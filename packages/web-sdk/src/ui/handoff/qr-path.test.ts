import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from 'lean-qr/nano';
import { qrPath, qrViewSize, type QrBitmap } from './qr-path.ts';

function bitmapOf(rows: string[]): QrBitmap {
  return { size: rows.length, get: (x, y) => rows[y]?.[x] === '#' };
}

/** Paints a path of `M x y h w v1 h-w z` rectangles back into a grid. */
function paint(path: string, side: number): boolean[][] {
  const grid = Array.from({ length: side }, () => Array<boolean>(side).fill(false));
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < w; i++) grid[y]![x + i] = true;
  }
  return grid;
}

describe('QR path', () => {
  it('merges horizontal runs and offsets by the quiet zone', () => {
    assert.equal(qrPath(bitmapOf(['##.#', '....', '.###', '#...']), 1), 'M1 1h2v1h-2zM4 1h1v1h-1zM2 3h3v1h-3zM1 4h1v1h-1z');
    assert.equal(qrViewSize(bitmapOf(['#']), 4), 9);
  });

  it('draws every dark module of a real code and nothing else', () => {
    const code = generate('http://localhost:3000/verify/AbCdEfGhIjKlMnOpQrStUvWx');
    const side = qrViewSize(code);
    const grid = paint(qrPath(code), side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        assert.equal(grid[y]![x], code.get(x - 4, y - 4), `module ${x},${y}`);
      }
    }
  });
});
