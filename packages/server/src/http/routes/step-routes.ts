// Applicant step endpoints of protocol §4.4–§4.12. The session id is the capability: no key needed.
import {
  addressUpload,
  codeCheck,
  consentBody,
  consentQuery,
  emailSend,
  fundsUpload,
  livenessComplete,
  mediaUpload,
  mediaScreen,
  mediaUploadFields,
  nfcUpload,
  phoneSend,
  screenShow,
} from '@tessera/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeStrictBase64 } from '../../captures/decode-strict-base64.ts';
import { readMultipartCapture } from '../../captures/read-multipart-capture.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/app-error.ts';
import { completeLiveness, decodeLivenessBody, startLiveness } from '../../media/liveness.ts';
import { receiveNfc } from '../../media/receive-nfc.ts';
import { DOCUMENT_TYPES, receiveCapture } from '../../media/receive-capture.ts';
import { checkCode } from '../../otp/check-code.ts';
import { sendCode } from '../../otp/send-code.ts';
import { getPreflight, giveConsent, loadForApplicant } from '../../sessions/session-actions.ts';
import { parse } from '../parse.ts';
import { sessionIdParam } from './session-routes.ts';

/** JSON captures arrive base64-encoded: the body may be a third larger than the decoded limit. */
export const captureBodyLimit = (maxUploadBytes: number): number => Math.ceil((maxUploadBytes * 4) / 3) + 64 * 1024;

export function registerStepRoutes(app: FastifyInstance, deps: Deps): void {
  const max = deps.limits.maxUploadBytes;
  const captureRoute = { bodyLimit: captureBodyLimit(max) };
  const decode = (b64: string) => decodeStrictBase64(b64, max);

  app.patch('/v1/sessions/:session_id/consent', async (request) => {
    const id = sessionIdParam(request.params);
    const query = parse(consentQuery, request.query, 'query');
    const body = parse(consentBody, request.body ?? {});
    const given = query.gives_consent !== undefined ? query.gives_consent === 'true' : body.gives_consent;
    if (given === undefined) throw new AppError('invalid_request', 'say gives_consent=true or gives_consent=false');
    return giveConsent(deps, id, given, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
  });

  app.get('/v1/sessions/:session_id/preflight', async (request) => getPreflight(deps, sessionIdParam(request.params)));

  app.post('/v1/sessions/:session_id/media', captureRoute, async (request, reply) => {
    const id = sessionIdParam(request.params);
    const upload = await readMediaUpload(deps, id, request, max, decode);
    const { media_ids } = await receiveCapture(deps, id, {
      action: upload.app_screen === 'scan_id_document_back_screen' ? 'media_back' : 'media_front',
      requirement: 'identity_document',
      side: upload.app_screen === 'scan_id_document_back_screen' ? 'back' : 'front',
      appScreen: upload.app_screen,
      ...(upload.document_type ? { documentType: upload.document_type } : {}),
      files: [upload.bytes],
      allowed: DOCUMENT_TYPES,
    });
    return reply.status(202).send({ media_id: media_ids[0], app_screen: upload.app_screen, status: 'processing' });
  });

  app.post('/v1/sessions/:session_id/liveness/start', async (request) => startLiveness(deps, sessionIdParam(request.params)));

  app.post('/v1/sessions/:session_id/liveness/complete', captureRoute, async (request, reply) => {
    const id = sessionIdParam(request.params);
    if (request.isMultipart()) {
      const form = await readMultipartCapture(request, { fileField: 'video', maxBytes: max });
      const livenessId = form.fields.liveness_id;
      if (!livenessId) throw new AppError('invalid_request', 'form field liveness_id is required');
      return reply.status(202).send(await completeLiveness(deps, id, { liveness_id: livenessId, video: form.file }));
    }
    const body = parse(livenessComplete, request.body);
    return reply.status(202).send(await completeLiveness(deps, id, decodeLivenessBody(body, decode)));
  });

  app.post('/v1/sessions/:session_id/address_verification', captureRoute, async (request, reply) => {
    const id = sessionIdParam(request.params);
    const { document_base64_strict, ...facts } = parse(addressUpload, request.body);
    await receiveCapture(deps, id, {
      action: 'address', requirement: 'proof_of_address', files: [decode(document_base64_strict)], allowed: DOCUMENT_TYPES,
      metadata: { has_location: facts.latitude !== undefined && facts.longitude !== undefined },
    });
    return reply.status(202).send({ status: 'processing' });
  });

  app.post('/v1/sessions/:session_id/funds_verification', captureRoute, async (request, reply) => {
    const id = sessionIdParam(request.params);
    const body = parse(fundsUpload, request.body);
    await receiveCapture(deps, id, {
      action: 'funds', requirement: 'proof_of_funds', files: [decode(body.document_base64_strict)], allowed: DOCUMENT_TYPES,
      metadata: { funds_type: body.funds_type ?? 'other' },
    });
    return reply.status(202).send({ status: 'processing' });
  });

  const nfc = async (request: FastifyRequest, id: string) => receiveNfc(deps, id, parse(nfcUpload, request.body), decode);
  app.post('/v1/sessions/:session_id/nfc', captureRoute, async (request, reply) =>
    reply.status(202).send(await nfc(request, sessionIdParam(request.params))));
  app.post('/v1/nfc', captureRoute, async (request, reply) =>
    reply.status(202).send(await nfc(request, sessionIdParam({ session_id: (request.body as { session_id?: unknown } | null)?.session_id }))));

  // Phone and email codes (§4.10–§4.11). Send answers 200 once the code is stored and its delivery queued; the
  // check body may (ours) repeat the destination, which must then be the one the code went to.
  const phoneCheck = codeCheck.extend(phoneSend.partial().shape);
  const emailCheck = codeCheck.extend(emailSend.partial().shape);
  app.post('/v1/sessions/:session_id/phone_verification', async (request) =>
    sendCode(deps, sessionIdParam(request.params), { channel: 'phone', ...parse(phoneSend, request.body) }));
  app.patch('/v1/sessions/:session_id/phone_verification', async (request) => {
    const id = sessionIdParam(request.params);
    const { code, phone_number, country_code } = parse(phoneCheck, request.body);
    return checkCode(deps, id, { channel: 'phone', code, destination: phone_number, country_code });
  });
  app.post('/v1/sessions/:session_id/email_verification', async (request) =>
    sendCode(deps, sessionIdParam(request.params), { channel: 'email', ...parse(emailSend, request.body) }));
  app.patch('/v1/sessions/:session_id/email_verification', async (request) => {
    const id = sessionIdParam(request.params);
    const { code, email_address } = parse(emailCheck, request.body);
    return checkCode(deps, id, { channel: 'email', code, destination: email_address });
  });
}

async function readMediaUpload(deps: Deps, id: string, request: FastifyRequest, max: number, decode: (b64: string) => Buffer) {
  if (request.isMultipart()) {
    const form = await readMultipartCapture(request, { fileField: 'media', maxBytes: max });
    await refuseOtherScreens(deps, id, form.fields.app_screen);
    return { ...parse(mediaUploadFields, form.fields, 'form'), bytes: form.file };
  }
  await refuseOtherScreens(deps, id, (request.body as { app_screen?: unknown } | null)?.app_screen);
  const { media_base64_strict, ...fields } = parse(mediaUpload, request.body);
  return { ...fields, bytes: decode(media_base64_strict) };
}

/** Media for a screen that takes none (e.g. liveness_screen) is an action out of place (§3: 409), not a malformed body. */
async function refuseOtherScreens(deps: Deps, id: string, appScreen: unknown): Promise<void> {
  if (!screenShow.safeParse(appScreen).success || mediaScreen.safeParse(appScreen).success) return;
  await loadForApplicant(deps, id); // an unknown or gone session answers 404 / 410 first, as for any step call
  throw new AppError('step_not_expected', `media uploads do not belong to ${String(appScreen)}`, { details: { app_screen: appScreen } });
}
