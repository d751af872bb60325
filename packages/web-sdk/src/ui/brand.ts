// Branding from the session (protocol §4.2 `branding`), made safe: a primary colour that keeps white text at
// WCAG AA contrast (4.5:1), and a logo only when it costs no third-party request.

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;
export const DEFAULT_PRIMARY = '#2743d8';

export function parseHex(value: string): [number, number, number] | null {
  const m = HEX.exec(value.trim());
  if (!m) return null;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const toHex = (rgb: [number, number, number]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2.x relative luminance of an sRGB colour. */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The brand colour, darkened just enough for white text on it to reach `min` contrast; the default if unusable. */
export function accessiblePrimary(value: string | null | undefined, min = 4.5): string {
  const rgb = value ? parseHex(value) : null;
  if (!rgb) return DEFAULT_PRIMARY;
  const white: [number, number, number] = [255, 255, 255];
  let current = rgb;
  for (let step = 0; step < 40 && contrastRatio(current, white) < min; step++) {
    current = current.map((c) => c * 0.93) as [number, number, number];
  }
  return toHex(current);
}

/** A logo URL we may show under `img-src 'self' data: blob:`: same origin or a data: image. */
export function usableLogo(url: string | null | undefined, pageOrigin: string): string | null {
  if (!url) return null;
  if (/^data:image\/(png|jpeg|webp|gif|svg\+xml);/i.test(url)) return url;
  try {
    const parsed = new URL(url, pageOrigin);
    return parsed.origin === pageOrigin ? parsed.href : null;
  } catch {
    return null;
  }
}
