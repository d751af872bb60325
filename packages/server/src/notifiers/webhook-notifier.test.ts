// The signed SMS webhook: the receiver checks the HMAC over "<timestamp>.<body>" with the shared secret.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { NotifierError, type OutgoingMessage } from './notifier.ts';
import { startHttpSink, type HttpSink } from './test-sinks/http-sink.ts';
import { createWebhookNotifier } from './webhook-notifier.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

const SECRET = 'whsec-0123456789abcdef';
let receiver: HttpSink;
before(async () => {
  receiver = await startHttpSink();
});
after(() => receiver.close());

const sms: OutgoingMessage = {
  reference: 'otp_Abc123', channel: 'sms', to: '+46701234567', subject: 'unused', text: 'Din verifieringskod är 042917.', locale: 'sv',
  owner: { organization_id: 'org_x', mode: 'live', session_id: null },
};

test('each message is a signed JSON POST the receiver can verify', async () => {
  receiver.requests.length = 0;
  receiver.respond = () => ({ status: 202, body: { id: 'gateway-77' } });
  const notifier = createWebhookNotifier({ url: `${receiver.url}/hooks/sms`, secret: SECRET, nowSeconds: () => 1_800_000_000 });
  assert.deepEqual(await notifier.send(sms), { provider_id: 'gateway-77' });
  const request = receiver.requests[0]!;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/hooks/sms');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['idempotency-key'], 'otp_Abc123');
  assert.deepEqual(JSON.parse(request.body), { id: 'otp_Abc123', channel: 'sms', to: '+46701234567', text: 'Din verifieringskod är 042917.', locale: 'sv' });
  const timestamp = request.headers['x-tessera-timestamp'] as string;
  const signature = request.headers['x-tessera-signature'] as string;
  assert.equal(timestamp, '1800000000');
  // Computed here from the documented recipe, independent of the code under test.
  assert.equal(signature, `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const check = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
    verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp, signature, nowSeconds: 1_800_000_010, ...overrides });
  assert.equal(check({}), true);
  assert.equal(check({ secret: 'another-secret-entirely' }), false);
  assert.equal(check({ body: request.body.replace('042917', '999999') }), false);
  assert.equal(check({ timestamp: '1800000001' }), false);
  assert.equal(check({ nowSeconds: 1_800_000_000 + 301 }), false, 'a replay after 5 minutes is refused');
  assert.equal(check({ signature: undefined }), false);
});

test('4xx answers are permanent, 5xx and unreachable receivers retryable', async () => {
  const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET });
  receiver.respond = () => ({ status: 422 });
  await assert.rejects(notifier.send(sms), (error: unknown) => error instanceof NotifierError && !error.retryable && error.status === 422);
  receiver.respond = () => ({ status: 502 });
  await assert.rejects(notifier.send(sms), (error: unknown) => error instanceof NotifierError && error.retryable);
  const gone = createWebhookNotifier({ url: 'http://127.0.0.1:1/sms', secret: SECRET });
  await assert.rejects(gone.send(sms), (error: unknown) => error instanceof NotifierError && error.retryable);
});
