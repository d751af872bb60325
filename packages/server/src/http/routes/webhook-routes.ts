// /v1/webhook_endpoints (private key) and the JWKS that verifies webhook signatures (public).
import { webhookEndpointCreate } from '@tessera/protocol';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { SigningKey } from '../../webhooks/signing-key.ts';
import { createEndpoint, endpointDeliveries, endpointList, removeEndpoint } from '../../webhooks/webhook-actions.ts';
import { privateCallerOf } from '../caller.ts';
import { parse } from '../parse.ts';

const idParam = (params: unknown): string => String((params as { id: string }).id).slice(0, 64);

export function registerWebhookRoutes(app: FastifyInstance, deps: Deps, signingKey: SigningKey): void {
  app.get('/.well-known/jwks.json', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send({ keys: [signingKey.publicJwk] }));

  app.get('/v1/webhook_endpoints', async (request) => endpointList(deps.db, await privateCallerOf(deps.db, request)));

  app.post('/v1/webhook_endpoints', async (request, reply) => {
    const caller = await privateCallerOf(deps.db, request);
    return reply.status(201).send(await createEndpoint(deps.db, caller, parse(webhookEndpointCreate, request.body)));
  });

  app.delete('/v1/webhook_endpoints/:id', async (request) =>
    removeEndpoint(deps.db, await privateCallerOf(deps.db, request), idParam(request.params)));

  app.get('/v1/webhook_endpoints/:id/deliveries', async (request) =>
    endpointDeliveries(deps.db, await privateCallerOf(deps.db, request), idParam(request.params)));
}
