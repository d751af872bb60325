// Screen parameters (protocol §5) → getUserMedia constraints, and getUserMedia failures → what we tell the applicant.
import type { ScreenParameters } from '@tessera/protocol';

export const CAMERA_RESOLUTIONS: Record<ScreenParameters['camera_quality'], { width: number; height: number }> = {
  ultra: { width: 1920, height: 1080 },
  high: { width: 1280, height: 720 },
  medium: { width: 960, height: 540 },
  low: { width: 640, height: 480 },
};

/** `camera: back` → the environment-facing camera; `front` → the user-facing one. `ideal`, so laptops with one camera still work. */
export function cameraConstraints(parameters: Pick<ScreenParameters, 'camera' | 'camera_quality'>): MediaStreamConstraints {
  const size = CAMERA_RESOLUTIONS[parameters.camera_quality] ?? CAMERA_RESOLUTIONS.high;
  return {
    audio: false,
    video: {
      facingMode: { ideal: parameters.camera === 'front' ? 'user' : 'environment' },
      width: { ideal: size.width },
      height: { ideal: size.height },
    },
  };
}

export type CameraProblem = 'denied' | 'missing' | 'busy' | 'unsupported';

/** DOMException names from getUserMedia (Media Capture and Streams §10) mapped to the four cases the UI explains. */
export function classifyCameraError(error: unknown): CameraProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    default:
      return 'unsupported';
  }
}
