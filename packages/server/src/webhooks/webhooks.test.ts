// Webhooks end to end: registered endpoint, signed deliveries verified with the served JWKS, retries with a
// stable Idempotency-Key, every attempt visible, event filters, and the retry schedule.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { webhookDelivery, webhookEnvelope, webhookEndpoint } from '@tessera/protocol';
import { api, startTestServer, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';
import { nextAttemptAt } from './webhook-dispatcher.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: TestServer;
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let failuresLeft = 2;

before(async () => {
  server = await startTestServer({ TESSERA_WEBHOOK_RETRY_BASE_MS: '150', TESSERA_WEBHOOK_POLL_MS: '50' });
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const fail = request.url === '/flaky' && failuresLeft-- > 0;
      response.writeHead(fail ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('webhooks', () => {
  it('signs, retries with a stable key and records every attempt', async () => {
    const created = await api(server.url, 'POST', '/v1/webhook_endpoints', { key: TEST_KEYS.sandboxPrivate, body: { url: `${receiverUrl}/flaky` } });
    assert.equal(created.status, 201);
    const endpoint = webhookEndpoint.parse(created.body);
    const session = await api(server.url, 'POST', '/v1/sessions', { key: TEST_KEYS.sandboxPublic, body: { kyc_level: 'basic', unique_id: 'hook-1' } });
    const id = session.body.session_id as string;

    const flaky = () => received.filter((r) => r.path === '/flaky');
    const firstEvent = await until('three attempts', () => (flaky().length >= 3 ? flaky().slice(0, 3) : undefined));
    assert.equal(new Set(firstEvent.map((r) => r.headers['idempotency-key'])).size, 1, 'Idempotency-Key is stable across retries');
    const last = firstEvent[2]!;
    assert.equal(last.headers['x-webhook-token'], last.headers['idempotency-key']);
    const envelope = webhookEnvelope.parse(JSON.parse(last.body));
    assert.equal(envelope.event_type, 'session.created');
    assert.equal(envelope.resource.session_id, id);
    assert.equal(envelope.event_id, last.headers['idempotency-key']);

    const jwks = await api(server.url, 'GET', '/.well-known/jwks.json');
    const { payload, protectedHeader } = await jwtVerify(String(last.headers['x-bynn-signature']), createLocalJWKSet(jwks.body), { issuer: server.config.publicUrl });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, envelope.event_id);
    assert.equal(payload.v, 2);
    assert.equal(payload.sha256, createHash('sha256').update(last.body).digest('hex'));
    assert.equal(payload.exp! - payload.iat!, 24 * 3600);
    assert.equal(typeof payload.jti, 'string');

    const deliveries = await until('delivered status', async () => {
      const list = await api(server.url, 'GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries`, { key: TEST_KEYS.sandboxPrivate });
      const first = list.body.data.find((d: { event_type: string }) => d.event_type === 'session.created');
      return first?.status === 'delivered' ? first : undefined;
    });
    const delivery = webhookDelivery.parse(deliveries);
    assert.deepEqual(delivery.attempts.map((a) => a.status_code), [500, 500, 200]);
    assert.equal(delivery.attempts[0]!.error, 'HTTP 500');
  });

  it('sends only subscribed events, never across modes, and stops after delete', async () => {
    const created = await api(server.url, 'POST', '/v1/webhook_endpoints', { key: TEST_KEYS.sandboxPrivate, body: { url: `${receiverUrl}/consent`, events: ['session.consent.accept'] } });
    await api(server.url, 'POST', '/v1/webhook_endpoints', { key: TEST_KEYS.private, body: { url: `${receiverUrl}/live` } });
    const session = await api(server.url, 'POST', '/v1/sessions', { key: TEST_KEYS.sandboxPublic, body: { kyc_level: 'basic' } });
    await api(server.url, 'PATCH', `/v1/sessions/${session.body.session_id}/consent?gives_consent=true`);
    const hit = await until('consent event', () => received.find((r) => r.path === '/consent'));
    assert.equal(JSON.parse(hit.body).event_type, 'session.consent.accept');
    assert.equal(received.filter((r) => r.path === '/consent').length, 1, 'session.created was filtered out');
    assert.equal(received.filter((r) => r.path === '/live').length, 0, 'a live endpoint never sees sandbox events');

    const removed = await api(server.url, 'DELETE', `/v1/webhook_endpoints/${created.body.id}`, { key: TEST_KEYS.sandboxPrivate });
    assert.deepEqual(removed.body, { id: created.body.id, deleted: true });
    const list = await api(server.url, 'GET', '/v1/webhook_endpoints', { key: TEST_KEYS.sandboxPrivate });
    assert.ok(!list.body.data.some((e: { id: string }) => e.id === created.body.id));
  });

  it('refuses plain http for live endpoints off this machine, and public keys', async () => {
    const live = await api(server.url, 'POST', '/v1/webhook_endpoints', { key: TEST_KEYS.private, body: { url: 'http://example.com/hook' } });
    assert.equal(live.status, 422);
    assert.equal(live.body.error.type, 'validation_error');
    const publicKey = await api(server.url, 'GET', '/v1/webhook_endpoints', { key: TEST_KEYS.public });
    assert.equal(publicKey.status, 401);
    const other = await api(server.url, 'DELETE', '/v1/webhook_endpoints/whk_000000000000000000000000', { key: TEST_KEYS.private });
    assert.equal(other.status, 404);
  });

  it('retries with doubling delays for at least 72 hours, then gives up', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const options = { retryBaseMs: 10_000, maxDelayMs: 6 * 3600_000, retryForMs: 72 * 3600_000 };
    let now = created;
    const delays: number[] = [];
    for (let attempts = 1; ; attempts += 1) {
      const next = nextAttemptAt(created, attempts, now, options);
      if (!next) break;
      delays.push(next.getTime() - now.getTime());
      now = next;
    }
    assert.deepEqual(delays.slice(0, 4), [10_000, 20_000, 40_000, 80_000]);
    assert.ok(now.getTime() - created.getTime() >= 72 * 3600_000, 'retries span at least 72 h');
    assert.ok(Math.max(...delays) <= 6 * 3600_000);
  });
});
