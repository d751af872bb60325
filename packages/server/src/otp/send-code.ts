// POST …/phone_verification and …/email_verification (protocol §4.10–§4.11): check the screen and the destination,
// apply the send limits, then in one transaction replace any earlier code, store the new one (hashed), enqueue its
// delivery and push the same screen with extra_data {code_sent, destination, resend_available_at, attempts_left}.
import { checkStepAction, type StepAction } from '@tessera/flow';
import type { StepType } from '@tessera/protocol';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { randomBase62 } from '../ids.ts';
import { changeSession } from '../sessions/change-session.ts';
import { loadForApplicant, throwIfRejected } from '../sessions/session-actions.ts';
import { destinationKey, generateCode, hashCode, sealMessage, type OtpChannel } from './code-hash.ts';
import { normalizeEmail, normalizePhone, type Destination } from './normalize-destination.ts';
import { OTP_LIMITS, resendAvailableAt, sendRefusal } from './otp-limits.ts';
import { insertCode, loadSendHistory, lockDestination, supersedeCodes } from './otp-store.ts';
import { loadSmsCountries } from './sms-countries.ts';

export type SendRequest =
  | { channel: 'phone'; phone_number: string; country_code?: string | undefined }
  | { channel: 'email'; email_address: string };

export interface CodeSent {
  status: 'code_sent';
  destination: string;
  expires_at: string;
  resend_available_at: string;
}

export const otpRequirement: Record<OtpChannel, StepType> = { phone: 'phone_verification', email: 'email_verification' };
export const otpAction = (channel: OtpChannel, verb: 'send' | 'check'): StepAction => `${channel}_${verb}`;

export async function sendCode(deps: Deps, sessionId: string, request: SendRequest): Promise<CodeSent> {
  const { channel } = request;
  const action = otpAction(channel, 'send');
  // Cheap refusals before any lock: wrong screen, gone session, a destination that can never work.
  const before = await loadForApplicant(deps, sessionId);
  throwIfRejected(checkStepAction(before.state, before.level, deps.now(), action));
  const destination: Destination = request.channel === 'phone'
    ? normalizePhone(request.phone_number, request.country_code ?? before.applicant.phone_country, await loadSmsCountries(deps.db, before.organization_id))
    : normalizeEmail(request.email_address);
  const destKey = destinationKey(deps.otp.secret, before.mode, channel, destination.value);

  let sent: CodeSent | undefined;
  await changeSession(deps, sessionId, async (record, tx) => {
    const now = deps.now();
    throwIfRejected(checkStepAction(record.state, record.level, now, action));
    await lockDestination(tx, destKey);
    const history = await loadSendHistory(tx, { sessionId, channel, destinationKey: destKey, since: new Date(now.getTime() - OTP_LIMITS.destinationWindowMs) });
    const refusal = sendRefusal(history, now, new Date(record.state.expires_at));
    if (refusal) {
      const retryAfter = Math.max(1, Math.ceil((refusal.retryAt.getTime() - now.getTime()) / 1000));
      throw new AppError('rate_limited', refusal.message, { retryAfter, details: { reason: refusal.reason, retry_at: refusal.retryAt.toISOString() } });
    }
    const id = `otp_${randomBase62(24)}`;
    const code = generateCode();
    const expiresAt = new Date(now.getTime() + OTP_LIMITS.codeTtlMs);
    await supersedeCodes(tx, sessionId, channel, now);
    await insertCode(tx, {
      id, session_id: sessionId, organization_id: record.organization_id, mode: record.mode, channel,
      destination_key: destKey, destination_masked: destination.masked,
      code_hash: hashCode(deps.otp.secret, { session_id: sessionId, channel, destination_key: destKey }, code),
      expires_at: expiresAt, created_at: now,
      sealed_message: sealMessage(deps.otp.secret, id, { to: destination.value, code }),
    });
    await deps.jobs.send('otp.deliver', { code_id: id }, { tx, singletonKey: id });
    sent = { status: 'code_sent', destination: destination.masked, expires_at: expiresAt.toISOString(), resend_available_at: resendAvailableAt(now).toISOString() };
    return {
      event: {
        kind: 'step_started',
        requirement: otpRequirement[channel],
        extra: {
          code_sent: true, destination: sent.destination, expires_at: sent.expires_at, resend_available_at: sent.resend_available_at,
          attempts_left: OTP_LIMITS.maxAttempts, delivery_error: null,
        },
      },
      eventData: { channel, code_id: id },
      wake: 'otp.deliver',
    };
  });
  deps.log.info({ session: sessionId.slice(0, 4), channel, destination: destination.masked }, 'verification code sent');
  return sent!;
}
