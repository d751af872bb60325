// Liveness (protocol §4.7): a random single-use head-turn challenge, then the frames or video that answer it.
import { randomBytes, randomInt } from 'node:crypto';
import { checkStepAction } from '@tessera/flow';
import type { LivenessComplete, LivenessStarted } from '@tessera/protocol';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { newRecordId } from '../ids.ts';
import { loadForApplicant, throwIfRejected } from '../sessions/session-actions.ts';
import { findChallengeForUpdate, insertChallenge, markChallengeUsed, type Challenge } from '../sessions/liveness-store.ts';
import { recordEvents } from '../sessions/record-events.ts';
import { IMAGE_TYPES, VIDEO_TYPES, receiveCapture } from './receive-capture.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;
const MOVES = ['left', 'right', 'up', 'down'] as const;

function randomChallenge(): Challenge {
  const first = MOVES[randomInt(MOVES.length)]!;
  const rest = MOVES.filter((m) => m !== first);
  return { kind: 'head_turn', sequence: [first, rest[randomInt(rest.length)]!], nonce: randomBytes(16).toString('base64url'), frame_count: 8 };
}

export async function startLiveness(deps: Deps, sessionId: string): Promise<LivenessStarted> {
  const record = await loadForApplicant(deps, sessionId);
  const now = deps.now();
  throwIfRejected(checkStepAction(record.state, record.level, now, 'liveness_start'));
  const id = newRecordId('liv');
  const challenge = randomChallenge();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await deps.db.transaction(async (tx) => {
    await insertChallenge(tx, { id, session_id: sessionId, challenge, expires_at: expiresAt });
    // Starting a challenge changes no screen, so it is recorded at the current sequence and pushes nothing.
    await recordEvents(tx, record, ['session.liveness.started'], { liveness_id: id });
  });
  return { liveness_id: id, challenge, expires_at: expiresAt.toISOString(), server_time: now.toISOString() };
}

export type LivenessAnswer = { liveness_id: string } & ({ frames: Buffer[] } | { video: Buffer });

/** Accepts the JSON body of protocol §4.7 and turns it into raw buffers; base64 was validated at the edge. */
export function decodeLivenessBody(body: LivenessComplete, decode: (b64: string) => Buffer): LivenessAnswer {
  return 'frames' in body
    ? { liveness_id: body.liveness_id, frames: body.frames.map(decode) }
    : { liveness_id: body.liveness_id, video: decode(body.video_base64_strict) };
}

export async function completeLiveness(deps: Deps, sessionId: string, answer: LivenessAnswer) {
  const isVideo = 'video' in answer;
  await receiveCapture(deps, sessionId, {
    action: 'liveness_complete',
    requirement: 'liveness',
    files: isVideo ? [answer.video] : answer.frames,
    allowed: isVideo ? VIDEO_TYPES : IMAGE_TYPES,
    metadata: { liveness_id: answer.liveness_id },
    withinTransaction: async (_record, tx) => {
      const found = await findChallengeForUpdate(tx, answer.liveness_id);
      const now = deps.now();
      if (!found || found.session_id !== sessionId) throw challengeError('unknown', 'no such liveness challenge for this session; call liveness/start');
      if (found.used_at) throw challengeError('used', 'this liveness challenge was already used; call liveness/start for a new one');
      if (found.expires_at.getTime() <= now.getTime()) throw challengeError('expired', 'this liveness challenge expired; call liveness/start for a new one');
      if (!isVideo && answer.frames.length < found.challenge.frame_count) {
        throw new AppError('validation_error', `the challenge asks for ${found.challenge.frame_count} frames; got ${answer.frames.length}`, { details: { frame_count: found.challenge.frame_count } });
      }
      await markChallengeUsed(tx, found.id, now);
    },
  });
  return { status: 'processing' as const };
}

const challengeError = (reason: string, message: string) => new AppError('step_not_expected', message, { details: { reason } });
