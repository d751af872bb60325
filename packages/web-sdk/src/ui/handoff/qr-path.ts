// A QR bitmap as one SVG path: each horizontal run of dark modules becomes one rectangle, offset by the
// quiet zone. Crisp at any size, no canvas, no inline style.

export interface QrBitmap {
  readonly size: number;
  get(x: number, y: number): boolean;
}

export function qrPath(bitmap: QrBitmap, quiet = 4): string {
  const parts: string[] = [];
  for (let y = 0; y < bitmap.size; y++) {
    let x = 0;
    while (x < bitmap.size) {
      if (!bitmap.get(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < bitmap.size && bitmap.get(x, y)) x++;
      parts.push(`M${start + quiet} ${y + quiet}h${x - start}v1h-${x - start}z`);
    }
  }
  return parts.join('');
}

/** Side of the whole picture in modules, quiet zone included (the viewBox). */
export const qrViewSize = (bitmap: QrBitmap, quiet = 4): number => bitmap.size + 2 * quiet;
