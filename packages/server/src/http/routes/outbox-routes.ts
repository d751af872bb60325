// GET /v1/outbox (private key, ours): the messages the embedded notifier kept instead of sending, newest first,
// for the caller's organization and mode only. This is how a new install reads its verification codes.
import { sessionId } from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { listOutboxMessages } from '../../notifiers/outbox-store.ts';
import { privateCallerOf } from '../caller.ts';
import { parse } from '../parse.ts';

const outboxQuery = z.object({
  session_id: sessionId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function registerOutboxRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/v1/outbox', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    const query = parse(outboxQuery, request.query, 'query');
    const data = await listOutboxMessages(deps.db, {
      owner: { organization_id: caller.organization_id, mode: caller.mode },
      limit: query.limit,
      ...(query.session_id ? { session_id: query.session_id } : {}),
    });
    return { data };
  });
}
