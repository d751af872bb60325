// The live camera: open with the screen's constraints, sample small grey frames for auto-capture, grab a full
// frame as JPEG, and always release the device. Loaded only by the screens that use a camera.
import type { ScreenParameters } from '@tessera/protocol';
import { cameraConstraints, classifyCameraError, type CameraProblem } from './camera-constraints.ts';
import { toGray } from './frame-quality.ts';

export class CameraUnavailable extends Error {
  constructor(readonly problem: CameraProblem, cause?: unknown) {
    super(`camera unavailable: ${problem}`, { cause });
    this.name = 'CameraUnavailable';
  }
}

export interface Camera {
  video: HTMLVideoElement;
  /** Grey pixels of the centre region (`share` of the width, at `aspect`), scaled to `width` px wide. */
  sample(width: number, share: number, aspect: number): { gray: Float32Array; width: number; height: number } | null;
  /** The whole frame (or its centre up to maxWidth wide) as a JPEG. */
  grab(options?: { maxWidth?: number; quality?: number }): Promise<Blob>;
  stop(): void;
}

export async function openCamera(video: HTMLVideoElement, parameters: Pick<ScreenParameters, 'camera' | 'camera_quality'>): Promise<Camera> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new CameraUnavailable('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(parameters));
  } catch (error) {
    throw new CameraUnavailable(classifyCameraError(error), error);
  }
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('playsinline', '');
  video.srcObject = stream;
  try {
    await video.play();
  } catch {
    // Autoplay of a muted inline video is allowed everywhere we support; a refusal still leaves frames to read.
  }
  if (video.readyState < 2) {
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      video.addEventListener('loadeddata', done, { once: true });
      setTimeout(done, 3000);
    });
  }
  const small = document.createElement('canvas');
  const smallCtx = small.getContext('2d', { willReadFrequently: true });
  let stopped = false;

  return {
    video,
    sample(width, share, aspect) {
      const vw = video.videoWidth;
      const vh = video.videoHeight;
      if (!smallCtx || vw === 0 || vh === 0) return null;
      let sw = vw * share;
      let sh = sw / aspect;
      if (sh > vh * 0.95) {
        sh = vh * 0.95;
        sw = sh * aspect;
      }
      const height = Math.max(3, Math.round(width / aspect));
      small.width = width;
      small.height = height;
      smallCtx.drawImage(video, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, width, height);
      const pixels = smallCtx.getImageData(0, 0, width, height).data;
      return { gray: toGray(pixels, width, height), width, height };
    },
    async grab(options = {}) {
      const vw = video.videoWidth || 640;
      const vh = video.videoHeight || 480;
      const scale = options.maxWidth && vw > options.maxWidth ? options.maxWidth / vw : 1;
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(vw * scale);
      canvas.height = Math.round(vh * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d canvas');
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      return new Promise<Blob>((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the frame could not be encoded'))), 'image/jpeg', options.quality ?? 0.92);
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
