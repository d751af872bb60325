// /v1/kyc_levels (private key, protocol §4.13).
import { kycLevelCreate, kycLevelUpdate } from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { createLevel, getLevel, levelList, updateLevel } from '../../levels/level-actions.ts';
import { privateCallerOf } from '../caller.ts';
import { parse } from '../parse.ts';

const levelParam = (params: unknown): string => String((params as { level: string }).level).slice(0, 64);

export function registerLevelRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/v1/kyc_levels', async (request) => levelList(deps.db, (await privateCallerOf(deps.db, request)).organization_id));

  app.post('/v1/kyc_levels', async (request, reply) => {
    const caller = await privateCallerOf(deps.db, request);
    return reply.status(201).send(await createLevel(deps.db, caller.organization_id, parse(kycLevelCreate, request.body)));
  });

  app.get('/v1/kyc_levels/:level', async (request) =>
    getLevel(deps.db, (await privateCallerOf(deps.db, request)).organization_id, levelParam(request.params)));

  app.patch('/v1/kyc_levels/:level', async (request) => {
    const caller = await privateCallerOf(deps.db, request);
    return updateLevel(deps.db, caller.organization_id, levelParam(request.params), parse(kycLevelUpdate, request.body));
  });
}
