// The outbox as an operator reads it: the console line (recipient masked, code shown on purpose) and `tessera outbox`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases.ts';
import type { OutgoingMessage } from './notifier.ts';
import { createOutboxNotifier } from './outbox-notifier.ts';
import { printOutbox } from './print-outbox.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.drop());

const message = (reference: string, channel: 'sms' | 'email', to: string, text: string, session: string | null): OutgoingMessage => ({
  reference, channel, to, text, subject: 'Your verification code', locale: 'en', ...(channel === 'email' ? { html: `<p>${text}</p>` } : {}),
  owner: { organization_id: 'org_a', mode: 'live', session_id: session },
});

test('the console line shows the code and a masked recipient, once per message even if delivery is retried', async () => {
  const lines: string[] = [];
  const outbox = createOutboxNotifier({ db: database.db, print: (line) => lines.push(line) });
  const sms = message('otp_1', 'sms', '+46701234567', 'Your verification code is 042917.', 'S'.repeat(24));
  const first = await outbox.send(sms);
  const again = await outbox.send(sms);
  assert.equal(again.provider_id, first.provider_id, 'a retried delivery finds its message already filed');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^\[outbox msg_[0-9A-Za-z]{24}\] sms to \+46 •••• ••4567 \(live session SSSS…\): Your verification code is 042917\.$/);
});

test('tessera outbox lists the newest messages with recipients and codes in full, or as JSON', async () => {
  const outbox = createOutboxNotifier({ db: database.db });
  await outbox.send(message('otp_2', 'email', 'jane@example.com', 'Your verification code is:\n\n    314159\n', 'T'.repeat(24)));
  let out = '';
  await printOutbox(database.db, { limit: 10, json: false }, (text) => void (out += text));
  assert.ok(out.indexOf('jane@example.com') < out.indexOf('+46701234567'), 'newest first');
  assert.match(out, /email {2}to jane@example\.com {2}session T{24}/);
  assert.match(out, /Subject: Your verification code\n {2}Your verification code is:\n {2}\n {6}314159/);
  let json = '';
  await printOutbox(database.db, { limit: 1, json: true, sessionId: 'T'.repeat(24) }, (text) => void (json += text));
  const parsed = JSON.parse(json) as { data: { to: string; text: string }[] };
  assert.deepEqual(parsed.data.map((m) => m.to), ['jane@example.com']);
  let empty = '';
  await printOutbox(database.db, { limit: 5, json: false, sessionId: 'U'.repeat(24) }, (text) => void (empty += text));
  assert.match(empty, /the outbox is empty/);
});
