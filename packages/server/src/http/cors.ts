// CORS (protocol §2): session creation and applicant steps answer browsers; private-key endpoints never do.
import type { FastifyRequest } from 'fastify';

const APPLICANT_PATH = /^\/v1\/sessions\/[0-9A-Za-z]{24}(\/(preflight|consent|media|liveness\/start|liveness\/complete|address_verification|funds_verification|phone_verification|email_verification|nfc))?$/;

export function isBrowserRoute(method: string, path: string): boolean {
  if (path === '/v1/sessions') return method === 'POST';
  if (path === '/v1/nfc') return method === 'POST';
  const match = APPLICANT_PATH.exec(path);
  if (!match) return false;
  return match[1] !== undefined || method === 'GET'; // the bare session path is applicant-facing only for GET
}

export interface CorsPolicy {
  /** Allowed origins; '*' allows any (the default, as integrators embed the flow on their own sites). */
  origins: string[] | '*';
}

export function corsOptionsFor(policy: CorsPolicy) {
  return (request: FastifyRequest, callback: (error: Error | null, options: object) => void) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const method = request.method === 'OPTIONS' ? String(request.headers['access-control-request-method'] ?? '').toUpperCase() : request.method;
    const origin = request.headers.origin;
    const allowed = isBrowserRoute(method, path) && origin !== undefined && (policy.origins === '*' || policy.origins.includes(origin));
    callback(null, {
      origin: allowed ? origin : false,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'x-origin', 'Idempotency-Key'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  };
}
