import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cameraConstraints, classifyCameraError } from './camera-constraints.ts';
import { planLivenessFrames } from './liveness-plan.ts';

describe('camera constraints', () => {
  it('maps camera and camera_quality to facingMode and resolution', () => {
    assert.deepEqual(cameraConstraints({ camera: 'back', camera_quality: 'ultra' }).video, {
      facingMode: { ideal: 'environment' },
      width: { ideal: 1920 },
      height: { ideal: 1080 },
    });
    assert.deepEqual(cameraConstraints({ camera: 'front', camera_quality: 'high' }).video, { facingMode: { ideal: 'user' }, width: { ideal: 1280 }, height: { ideal: 720 } });
    const medium = cameraConstraints({ camera: 'back', camera_quality: 'medium' }).video as MediaTrackConstraints;
    assert.deepEqual([medium.width, medium.height], [{ ideal: 960 }, { ideal: 540 }]);
    const low = cameraConstraints({ camera: 'back', camera_quality: 'low' }).video as MediaTrackConstraints;
    assert.deepEqual([low.width, low.height], [{ ideal: 640 }, { ideal: 480 }]);
    assert.equal(cameraConstraints({ camera: 'back', camera_quality: 'low' }).audio, false);
  });

  it('explains getUserMedia failures', () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    assert.equal(classifyCameraError(named('NotAllowedError')), 'denied');
    assert.equal(classifyCameraError(named('SecurityError')), 'denied');
    assert.equal(classifyCameraError(named('NotFoundError')), 'missing');
    assert.equal(classifyCameraError(named('OverconstrainedError')), 'missing');
    assert.equal(classifyCameraError(named('NotReadableError')), 'busy');
    assert.equal(classifyCameraError(new TypeError('no mediaDevices')), 'unsupported');
    assert.equal(classifyCameraError(null), 'unsupported');
  });
});

describe('liveness frame plan', () => {
  it('takes exactly frame_count frames, spread over the moves', () => {
    const plan = planLivenessFrames(2, 8, 2000);
    assert.equal(plan.length, 8);
    assert.deepEqual(plan.map((p) => p.move), [0, 0, 0, 0, 1, 1, 1, 1]);
    for (const p of plan) assert.ok(p.atMs >= 600 && p.atMs <= 1900, `inside the turned part of the move: ${p.atMs}`);
    const first = plan.filter((p) => p.move === 0).map((p) => p.atMs);
    assert.deepEqual(first, [...first].sort((a, b) => a - b));
    assert.equal(new Set(first).size, first.length, 'no two frames at the same instant');
  });

  it('gives earlier moves the remainder', () => {
    const plan = planLivenessFrames(3, 7, 1000);
    assert.deepEqual([0, 1, 2].map((m) => plan.filter((p) => p.move === m).length), [3, 2, 2]);
    assert.deepEqual(planLivenessFrames(2, 1, 1000).map((p) => p.move), [0]);
    assert.deepEqual(planLivenessFrames(0, 8, 1000), []);
  });
});
