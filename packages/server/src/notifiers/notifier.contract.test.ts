// One contract for every notifier adapter, each run against a real counterpart: an SMTP server, a Twilio-shaped and
// a webhook-shaped HTTP server on loopback, and PostgreSQL for the outbox.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import type { Db } from '../storage/db.ts';
import { NotifierError, type Notifier, type NotifierChannel, type OutgoingMessage } from './notifier.ts';
import { createOutboxNotifier } from './outbox-notifier.ts';
import { listOutboxMessages } from './outbox-store.ts';
import { createSmtpNotifier } from './smtp-notifier.ts';
import { startHttpSink, type Answer } from './test-sinks/http-sink.ts';
import { startSmtpSink } from './test-sinks/smtp-sink.ts';
import { createTwilioNotifier } from './twilio-notifier.ts';
import { createWebhookNotifier } from './webhook-notifier.ts';

interface Harness {
  notifier: Notifier;
  /** What reached the other side, oldest first. */
  delivered(): Promise<{ to: string; text: string }[]>;
  /** The next send meets a provider that is down for a moment. */
  failNext(): void;
  close(): Promise<void>;
}

const adapters: { name: string; channel: NotifierChannel; to: string; start(): Promise<Harness> }[] = [
  {
    name: 'smtp', channel: 'email', to: 'applicant@example.com',
    async start() {
      const sink = await startSmtpSink();
      return {
        notifier: createSmtpNotifier({ url: sink.url, from: 'Tessera <no-reply@tessera.test>' }),
        delivered: async () => sink.inbox.map((m, i) => ({ to: sink.recipients[i]![0]!, text: (m.text ?? '').trim() })),
        failNext: () => sink.refuseNext(1, 451),
        close: () => sink.close(),
      };
    },
  },
  {
    name: 'twilio', channel: 'sms', to: '+46701234567',
    start: () => httpHarness(
      (url) => createTwilioNotifier({ accountSid: 'AC00000000000000000000000000000000', authToken: 'token', from: '+15005550006', baseUrl: url }),
      () => ({ status: 201, body: { sid: `SM${randomUUID().replaceAll('-', '')}` } }),
      { status: 503, body: { code: 20503, message: 'Service unavailable' } },
      (body) => {
        const form = new URLSearchParams(body);
        return { to: form.get('To')!, text: form.get('Body')! };
      },
    ),
  },
  {
    name: 'webhook', channel: 'sms', to: '+46701234567',
    start: () => httpHarness(
      (url) => createWebhookNotifier({ url: `${url}/sms`, secret: 'a-shared-secret-of-some-length' }),
      () => ({ status: 200, body: { id: `gw_${randomUUID()}` } }),
      { status: 500 },
      (body) => {
        const { to, text } = JSON.parse(body) as { to: string; text: string };
        return { to, text };
      },
    ),
  },
  {
    name: 'outbox', channel: 'sms', to: '+46701234567',
    async start() {
      const database: TestDatabase = await createTestDatabase();
      let fail = false;
      const flaky: Db = {
        query: (sql, params) => (fail ? ((fail = false), Promise.reject(new Error('connection reset'))) : database.db.query(sql, params)),
        transaction: (fn) => database.db.transaction(fn),
      };
      return {
        notifier: createOutboxNotifier({ db: flaky }),
        delivered: async () => (await listOutboxMessages(database.db, { limit: 100 })).reverse().map((m) => ({ to: m.to, text: m.text })),
        failNext: () => void (fail = true),
        close: () => database.drop(),
      };
    },
  },
];

/** An HTTP provider on loopback that accepts (or, once after failNext, refuses) each request. */
async function httpHarness(
  make: (url: string) => Notifier,
  ok: () => Answer,
  failure: Answer,
  read: (body: string) => { to: string; text: string },
): Promise<Harness> {
  let fail = false;
  const accepted: string[] = [];
  const sink = await startHttpSink((request) => {
    if (fail) {
      fail = false;
      return failure;
    }
    accepted.push(request.body);
    return ok();
  });
  return { notifier: make(sink.url), delivered: async () => accepted.map(read), failNext: () => void (fail = true), close: () => sink.close() };
}

let serial = 0;
const message = (channel: NotifierChannel, to: string, text: string): OutgoingMessage => ({
  reference: `otp_contract_${++serial}_${Date.now()}`,
  channel, to, text,
  subject: 'Your verification code',
  ...(channel === 'email' ? { html: `<p>${text}</p>` } : {}),
  locale: 'sv',
  owner: { organization_id: 'org_contract', mode: 'live', session_id: null },
});

for (const adapter of adapters) {
  describe(`notifier contract: ${adapter.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await adapter.start();
    });
    after(() => h.close());

    test('delivers the text to the recipient and returns the provider id', async () => {
      const result = await h.notifier.send(message(adapter.channel, adapter.to, 'Your verification code is 123456.'));
      assert.equal(typeof result.provider_id, 'string');
      assert.ok(result.provider_id!.length > 0);
      const last = (await h.delivered()).at(-1);
      assert.deepEqual(last, { to: adapter.to, text: 'Your verification code is 123456.' });
    });

    test('keeps non-ASCII text intact', async () => {
      const text = 'Din verifieringskod är 042917 — ça expire, Größe ✓';
      await h.notifier.send(message(adapter.channel, adapter.to, text));
      assert.equal((await h.delivered()).at(-1)?.text, text);
    });

    test('one send is one delivery, in order', async () => {
      const before = (await h.delivered()).length;
      await h.notifier.send(message(adapter.channel, adapter.to, 'first 111222'));
      await h.notifier.send(message(adapter.channel, adapter.to, 'second 333444'));
      const after = await h.delivered();
      assert.equal(after.length, before + 2);
      assert.deepEqual(after.slice(-2).map((d) => d.text), ['first 111222', 'second 333444']);
    });

    test('a provider that is down rejects with a retryable NotifierError, and the next send goes through', async () => {
      const before = (await h.delivered()).length;
      h.failNext();
      await assert.rejects(h.notifier.send(message(adapter.channel, adapter.to, 'lost 000000')), (error: unknown) => {
        assert.ok(error instanceof NotifierError, String(error));
        assert.equal(error.retryable, true);
        assert.doesNotMatch(error.message, /\+4670|applicant@/, 'the error message names no recipient');
        return true;
      });
      await h.notifier.send(message(adapter.channel, adapter.to, 'again 555666'));
      const after = await h.delivered();
      assert.equal(after.at(-1)?.text, 'again 555666');
      assert.ok(after.length <= before + 2);
    });

    test('a channel it does not carry is refused for good, before anything is sent', async () => {
      const other: NotifierChannel = adapter.channel === 'email' ? 'sms' : 'email';
      const before = (await h.delivered()).length;
      if (h.notifier.channels.includes(other)) {
        await h.notifier.send(message(other, other === 'email' ? 'applicant@example.com' : '+46701234567', 'both channels 777888'));
        assert.equal((await h.delivered()).length, before + 1);
        return;
      }
      await assert.rejects(h.notifier.send(message(other, 'x', 'nope')), (error: unknown) => error instanceof NotifierError && !error.retryable);
      assert.equal((await h.delivered()).length, before);
    });
  });
}
