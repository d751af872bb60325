// Integrator endpoints of protocol §4.1–§4.3 and §4.13 (sessions, events, media, decisions).
import {
  decisionRequest,
  recordId,
  sessionCreate,
  sessionId as sessionIdSchema,
  sessionListQuery,
  sessionUpdate,
} from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';
import { requireAnyKey, ensureSameAccount } from '../../accounts/authenticate.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/app-error.ts';
import { findMedia } from '../../media/media-store.ts';
import { loadSessionOrThrow } from '../../sessions/change-session.ts';
import { createSession } from '../../sessions/create-session.ts';
import { sessionList } from '../../sessions/list-sessions.ts';
import { cancelSession, decideSession, sessionEvents, showSession, updateSession } from '../../sessions/session-actions.ts';
import { callerOf, privateCallerOf } from '../caller.ts';
import { parse } from '../parse.ts';

/** An id that cannot exist is answered like an unknown one, without touching the database. */
export function sessionIdParam(params: unknown): string {
  const id = (params as { session_id?: string }).session_id;
  if (!sessionIdSchema.safeParse(id).success) throw new AppError('not_found', 'no session with this id');
  return id!;
}

export function registerSessionRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/v1/sessions', async (request, reply) => {
    const caller = requireAnyKey(await callerOf(deps.db, request));
    const input = parse(sessionCreate, request.body);
    const key = request.headers['idempotency-key'];
    const body = await createSession(deps, caller, input, Array.isArray(key) ? key[0] : key);
    return reply.status(201).send(body);
  });

  app.get('/v1/sessions', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return sessionList(deps, caller, parse(sessionListQuery, request.query, 'query'));
  });

  app.get('/v1/sessions/:session_id', async (request) => {
    const id = sessionIdParam(request.params);
    return showSession(deps, await callerOf(deps.db, request), id);
  });

  app.post('/v1/sessions/:session_id', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return updateSession(deps, caller, sessionIdParam(request.params), parse(sessionUpdate, request.body));
  });

  app.delete('/v1/sessions/:session_id', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return cancelSession(deps, caller, sessionIdParam(request.params));
  });

  app.get('/v1/sessions/:session_id/events', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return sessionEvents(deps, caller, sessionIdParam(request.params));
  });

  app.post('/v1/sessions/:session_id/decision', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return decideSession(deps, caller, sessionIdParam(request.params), parse(decisionRequest, request.body));
  });

  app.get('/v1/sessions/:session_id/media/:media_id', async (request, reply) => {
    const caller = await privateCallerOf(deps.db, request);
    const id = sessionIdParam(request.params);
    const mediaId = (request.params as { media_id: string }).media_id;
    if (!recordId('media').safeParse(mediaId).success) throw new AppError('not_found', 'no media with this id');
    ensureSameAccount(caller, await loadSessionOrThrow(deps.db, id));
    const media = await findMedia(deps.db, id, mediaId);
    if (!media) throw new AppError('not_found', 'no media with this id in this session');
    const bytes = await deps.blobs.get(media.blob_key);
    return reply
      .header('content-type', media.content_type)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${media.id}"`)
      .send(bytes);
  });
}
