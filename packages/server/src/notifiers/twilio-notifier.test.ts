// The Twilio adapter against a local HTTP server that checks each request exactly as Twilio's Messages API
// documents it: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body, Basic auth.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NotifierError, type OutgoingMessage } from './notifier.ts';
import { startHttpSink, type HttpSink } from './test-sinks/http-sink.ts';
import { createTwilioNotifier } from './twilio-notifier.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'auth-token-0123456789';
let api: HttpSink;
before(async () => {
  api = await startHttpSink();
});
after(() => api.close());

const sms = (text: string): OutgoingMessage => ({
  reference: 'otp_ref', channel: 'sms', to: '+46701234567', subject: 'unused', text, locale: 'sv',
  owner: { organization_id: 'org_x', mode: 'live', session_id: 'S'.repeat(24) },
});

test('the request is exactly what the Messages API documents, and the SID becomes the provider id', async () => {
  api.requests.length = 0;
  api.respond = () => ({ status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } });
  const notifier = createTwilioNotifier({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: `${api.url}/` });
  const result = await notifier.send(sms('Din verifieringskod är 042917. Den slutar gälla om 10 minuter.'));
  assert.deepEqual(result, { provider_id: 'SM0123456789abcdef0123456789abcdef' });
  assert.equal(api.requests.length, 1);
  const request = api.requests[0]!;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
  assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  const form = new URLSearchParams(request.body);
  assert.deepEqual([...form.keys()].sort(), ['Body', 'From', 'To']);
  assert.equal(form.get('To'), '+46701234567');
  assert.equal(form.get('From'), '+15005550006');
  assert.equal(form.get('Body'), 'Din verifieringskod är 042917. Den slutar gälla om 10 minuter.');
  assert.match(request.body, /^To=%2B46701234567&From=%2B15005550006&Body=Din\+verifieringskod\+%C3%A4r\+042917/);
});

test('a Messaging Service SID is sent as MessagingServiceSid instead of From', async () => {
  api.requests.length = 0;
  api.respond = () => ({ status: 201, body: { sid: 'SMx' } });
  const service = 'MG0123456789abcdef0123456789abcdef';
  await createTwilioNotifier({ accountSid: SID, authToken: TOKEN, from: service, baseUrl: api.url }).send(sms('code 111222'));
  const form = new URLSearchParams(api.requests[0]!.body);
  assert.deepEqual([...form.keys()].sort(), ['Body', 'MessagingServiceSid', 'To']);
  assert.equal(form.get('MessagingServiceSid'), service);
});

test('Twilio errors: 400 (invalid number) is permanent and names the code, not the number; 429 and 5xx are retryable', async () => {
  const notifier = createTwilioNotifier({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: api.url });
  api.respond = () => ({ status: 400, body: { code: 21211, message: "The 'To' number +46701234567 is not a valid phone number.", status: 400 } });
  await assert.rejects(notifier.send(sms('x')), (error: unknown) => {
    assert.ok(error instanceof NotifierError);
    assert.equal(error.retryable, false);
    assert.equal(error.status, 400);
    assert.match(error.message, /21211/);
    assert.doesNotMatch(error.message, /4670/);
    return true;
  });
  for (const status of [429, 500, 503]) {
    api.respond = () => ({ status, body: { code: 20429, message: 'Too many requests' } });
    await assert.rejects(notifier.send(sms('x')), (error: unknown) => error instanceof NotifierError && error.retryable && error.status === status);
  }
  api.respond = () => ({ status: 401, body: { code: 20003, message: 'Authenticate' } });
  await assert.rejects(notifier.send(sms('x')), (error: unknown) => error instanceof NotifierError && !error.retryable);
});

test('an unreachable API is retryable', async () => {
  const notifier = createTwilioNotifier({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: 'http://127.0.0.1:1' });
  await assert.rejects(notifier.send(sms('x')), (error: unknown) => error instanceof NotifierError && error.retryable);
});
