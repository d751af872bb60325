// The otp.deliver job: open the sealed code, write the message in the session's language and hand it to the notifier
// for the session's mode and channel. Idempotent: a code is claimed only while its delivery is queued. A failure is
// retried by the queue until deps.otp.deliveryAttempts (or at once if the provider says it will never work); then the
// applicant is told: the screen is pushed again with code_sent false and delivery_error, and the cool-down is waived.
import { checkStepAction } from '@tessera/flow';
import type { Deps } from '../deps.ts';
import { isAppError } from '../errors/app-error.ts';
import type { JobTypes } from '../jobs/job-queue.ts';
import { NotifierError, notifierFor, type SendResult } from '../notifiers/notifier.ts';
import { changeSession } from '../sessions/change-session.ts';
import { openSealedMessage } from './code-hash.ts';
import { claimDelivery, findActiveCode, finishDelivery, type DeliveryClaim } from './otp-store.ts';
import { renderOtpMessage } from './render-otp-message.ts';
import { otpAction, otpRequirement } from './send-code.ts';

export const DELIVERY_ERROR = 'provider_unavailable';

export function deliverCodeJob(deps: Deps) {
  return async (job: JobTypes['otp.deliver']): Promise<void> => {
    const claim = await claimDelivery(deps.db, job.code_id);
    if (!claim) return; // delivered, given up, or unknown: a repeat of this job changes nothing
    const now = deps.now();
    if (claim.used_at || claim.superseded_at || claim.expires_at.getTime() <= now.getTime()) {
      // A newer code replaced it (or it can no longer be used): sending it would only confuse the applicant.
      await finishDelivery(deps.db, claim.id, { status: 'skipped', at: now });
      return;
    }
    const channel = claim.channel === 'phone' ? 'sms' : 'email';
    const notifier = notifierFor(deps.notifiers, claim.mode, channel);
    const log = { session: claim.session_id.slice(0, 4), code_id: claim.id, destination: claim.destination_masked, notifier: notifier.name };
    let sealed: ReturnType<typeof openSealedMessage>;
    try {
      sealed = openSealedMessage(deps.otp.secret, claim.id, claim.sealed_message!);
    } catch {
      // Sealed under another OTP secret (it was changed meanwhile): no retry can open it.
      await giveUp(deps, claim, { status: 'failed', error: 'sealed with another OTP secret', at: now });
      return;
    }
    const { to, code } = sealed;
    const rendered = renderOtpMessage({ channel, code, i18n: claim.i18n });
    let result: SendResult;
    try {
      result = await notifier.send({
        reference: claim.id, channel, to, subject: rendered.subject, text: rendered.text, locale: rendered.locale,
        ...(rendered.html ? { html: rendered.html } : {}),
        owner: { organization_id: claim.organization_id, mode: claim.mode, session_id: claim.session_id },
      });
    } catch (error) {
      const retryable = !(error instanceof NotifierError) || error.retryable;
      const reason = error instanceof Error ? error.message : String(error);
      if (retryable && claim.delivery_attempts < deps.otp.deliveryAttempts) {
        deps.log.warn({ ...log, attempt: claim.delivery_attempts, reason }, 'verification code delivery failed; will retry');
        throw error; // the queue retries with back-off; the next run claims the code again
      }
      deps.log.warn({ ...log, attempt: claim.delivery_attempts, reason }, 'verification code delivery failed for good');
      await giveUp(deps, claim, { status: 'failed', provider: notifier.name, error: reason.slice(0, 200), at: deps.now() });
      return;
    }
    await finishDelivery(deps.db, claim.id, { status: 'sent', provider: notifier.name, ...(result.provider_id ? { provider_id: result.provider_id } : {}), at: deps.now() });
    deps.log.info({ ...log, attempt: claim.delivery_attempts }, 'verification code delivered');
  };
}

/**
 * Records the failure and, in the same transaction, pushes it if the code is still the one the applicant waits for on
 * the screen it was sent from. If that transaction fails the job is retried and finds the code still queued.
 */
async function giveUp(deps: Deps, claim: DeliveryClaim, outcome: Parameters<typeof finishDelivery>[2]): Promise<void> {
  try {
    await changeSession(deps, claim.session_id, async (record, tx) => {
      await finishDelivery(tx, claim.id, outcome);
      const active = await findActiveCode(tx, claim.session_id, claim.channel);
      if (active?.id !== claim.id || checkStepAction(record.state, record.level, deps.now(), otpAction(claim.channel, 'send'))) return { event: null };
      return {
        event: {
          kind: 'step_updated',
          requirement: otpRequirement[claim.channel],
          extra: { code_sent: false, delivery_error: DELIVERY_ERROR, resend_available_at: deps.now().toISOString() },
        },
        eventData: { channel: claim.channel, code_id: claim.id, delivery: 'failed' },
      };
    });
  } catch (error) {
    // A session canceled or expired meanwhile needs no news, but its sealed code is still erased.
    if (isAppError(error) && (error.type === 'session_gone' || error.type === 'not_found')) {
      await finishDelivery(deps.db, claim.id, outcome);
      return;
    }
    throw error;
  }
}
