// PATCH …/phone_verification and …/email_verification: compare a guess with the session's current code for that
// channel. Right → the code is used up and the step verified (one push, the flow moves on). Wrong → 422 with
// details.attempts_left, the fifth wrong guess answering attempts_left 0. After that, or with no code to compare with,
// nothing is compared any more: 429 (attempts exhausted, Retry-After = until a new code may be sent) or 422.
import { checkStepAction } from '@tessera/flow';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { changeSession } from '../sessions/change-session.ts';
import { loadForApplicant, throwIfRejected } from '../sessions/session-actions.ts';
import { codesMatch, destinationKey, hashCode, type OtpChannel } from './code-hash.ts';
import { normalizeEmail, normalizePhone } from './normalize-destination.ts';
import { OTP_LIMITS, attemptsLeft, resendAvailableAt } from './otp-limits.ts';
import { findActiveCode, recordAttempt, type OtpCode } from './otp-store.ts';
import { otpAction, otpRequirement } from './send-code.ts';

export interface CheckRequest {
  channel: OtpChannel;
  code: string;
  /** (ours) The destination the applicant believes the code went to; if given it must be the one it was sent to. */
  destination?: string | undefined;
  country_code?: string | undefined;
}

/** Throws unless the code can still be compared: exists, is not expired, has attempts left. */
function usable(code: OtpCode | null, now: Date): OtpCode {
  if (!code) {
    throw new AppError('validation_error', 'no code is waiting to be checked; ask for one first', { details: { reason: 'no_code', attempts_left: 0 } });
  }
  if (code.expires_at.getTime() <= now.getTime()) {
    throw new AppError('validation_error', 'this code expired; ask for a new one', { details: { reason: 'code_expired', attempts_left: 0 } });
  }
  if (code.attempts >= OTP_LIMITS.maxAttempts) {
    const retryAfter = Math.max(1, Math.ceil((resendAvailableAt(code.created_at).getTime() - now.getTime()) / 1000));
    throw new AppError('rate_limited', 'too many wrong codes; ask for a new code', { retryAfter, details: { reason: 'attempts_exhausted', attempts_left: 0 } });
  }
  return code;
}

export async function checkCode(deps: Deps, sessionId: string, request: CheckRequest): Promise<{ status: 'verified' }> {
  const { channel } = request;
  const action = otpAction(channel, 'check');
  // A code out of attempts is refused before anything else is read: that is where a brute-force run spends almost all
  // of its guesses, so each costs one indexed read and takes no lock.
  const current = await findActiveCode(deps.db, sessionId, channel);
  if (current && current.attempts >= OTP_LIMITS.maxAttempts) usable(current, deps.now());
  const before = await loadForApplicant(deps, sessionId);
  throwIfRejected(checkStepAction(before.state, before.level, deps.now(), action));
  const claimed = request.destination === undefined ? null
    : destinationKey(deps.otp.secret, before.mode, channel, channel === 'phone'
      ? normalizePhone(request.destination, request.country_code ?? before.applicant.phone_country, null).value
      : normalizeEmail(request.destination).value);
  usable(current, deps.now());

  let wrong: number | undefined;
  await changeSession(deps, sessionId, async (record, tx) => {
    const now = deps.now();
    throwIfRejected(checkStepAction(record.state, record.level, now, action));
    const code = usable(await findActiveCode(tx, sessionId, channel, { forUpdate: true }), now);
    const binding = { session_id: sessionId, channel, destination_key: code.destination_key };
    const guess = hashCode(deps.otp.secret, binding, request.code);
    // Both comparisons always run in sandbox, so which one matched does not show in the timing either.
    const real = codesMatch(code.code_hash, guess);
    const sandbox = record.mode === 'sandbox' && codesMatch(hashCode(deps.otp.secret, binding, OTP_LIMITS.sandboxCode), guess);
    const right = (real || sandbox) && (claimed === null || claimed === code.destination_key);
    // Written in this transaction and committed even for a wrong guess (changeSession commits a null event).
    await recordAttempt(tx, code, right, now);
    if (!right) {
      wrong = attemptsLeft(code.attempts + 1);
      return { event: null };
    }
    return { event: { kind: 'step_verified', requirement: otpRequirement[channel] }, eventData: { channel, code_id: code.id } };
  });
  if (wrong !== undefined) {
    const message = wrong > 0 ? 'this code is not correct' : 'this code is not correct and that was its last attempt; ask for a new code';
    throw new AppError('validation_error', message, { details: { reason: 'wrong_code', attempts_left: wrong } });
  }
  return { status: 'verified' };
}
