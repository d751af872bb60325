// Auto-capture: is the camera frame steady and sharp? Pure functions over small grey pixel arrays (a video frame
// drawn onto a canvas of ~200 px), so they run on every tick without a worker and are tested on synthetic pixels.

/** Rec. 601 luma of RGBA pixels, one float per pixel (0–255). */
export function toGray(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!;
  }
  return out;
}

/**
 * Sharpness: the variance of the 4-neighbour Laplacian over the interior pixels. Edges in focus give large
 * second derivatives; blur spreads them out, so the variance drops sharply. 0 for a flat image.
 */
export function laplacianVariance(gray: ArrayLike<number>, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = gray[i - 1]! + gray[i + 1]! + gray[i - width]! + gray[i + width]! - 4 * gray[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return Math.max(0, sumSq / n - mean * mean);
}

/** Motion between two frames of the same size: mean absolute grey difference (0–255). */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}

export function meanBrightness(gray: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < gray.length; i++) total += gray[i]!;
  return gray.length === 0 ? 0 : total / gray.length;
}

export interface AutoCaptureOptions {
  /** Largest mean grey difference between consecutive frames still counted as steady. */
  maxMotion: number;
  /** Smallest Laplacian variance counted as sharp. */
  minSharpness: number;
  /** A frame must also reach this share of the best sharpness seen lately, so we don't settle for a worse moment. */
  relativeSharpness: number;
  /** Consecutive good frames needed before capturing. */
  steadyFrames: number;
  /** Too dark or washed out frames (mean grey outside this range) never count. */
  brightness: [min: number, max: number];
}

export const DEFAULT_AUTO_CAPTURE: AutoCaptureOptions = {
  maxMotion: 6,
  minSharpness: 40,
  relativeSharpness: 0.7,
  steadyFrames: 4,
  brightness: [35, 235],
};

export type FrameHint = 'moving' | 'blurry' | 'dark' | 'steady' | 'ready';

export interface FrameAssessment {
  sharpness: number;
  motion: number;
  brightness: number;
  hint: FrameHint;
  /** True once `steadyFrames` good frames in a row were seen: time to take the picture. */
  ready: boolean;
}

export interface AutoCapture {
  push(gray: Float32Array, width: number, height: number): FrameAssessment;
  reset(): void;
}

export function createAutoCapture(options: Partial<AutoCaptureOptions> = {}): AutoCapture {
  const o = { ...DEFAULT_AUTO_CAPTURE, ...options };
  let previous: Float32Array | null = null;
  let peak = 0;
  let streak = 0;
  return {
    push(gray, width, height) {
      const sharpness = laplacianVariance(gray, width, height);
      const motion = previous ? meanAbsDiff(previous, gray) : Number.POSITIVE_INFINITY;
      const brightness = meanBrightness(gray);
      previous = gray;
      peak = Math.max(sharpness, peak * 0.97);
      let hint: FrameHint;
      if (brightness < o.brightness[0] || brightness > o.brightness[1]) hint = 'dark';
      else if (!(motion <= o.maxMotion)) hint = 'moving';
      else if (sharpness < o.minSharpness || sharpness < peak * o.relativeSharpness) hint = 'blurry';
      else hint = 'steady';
      streak = hint === 'steady' ? streak + 1 : 0;
      const ready = streak >= o.steadyFrames;
      return { sharpness, motion, brightness, hint: ready ? 'ready' : hint, ready };
    },
    reset() {
      previous = null;
      peak = 0;
      streak = 0;
    },
  };
}
